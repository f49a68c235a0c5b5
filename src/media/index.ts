/**
 * Media for HCW@Home consultations over mediasoup-client (optional peer dependency), as its own
 * entry point `hcw-realtime-sdk/media` so chat-only apps never load mediasoup-client.
 * @packageDocumentation
 * @module hcw-realtime-sdk/media
 */
import type { HcwClient } from '../client.js';
import { MediaManager, type MediaManagerOptions } from './media-manager.js';

export { MediaManager } from './media-manager.js';
export type { LocalSource, MediaDevicesLike, MediaManagerOptions, QualityWarning, RemoteTrack, SourceOptions } from './media-manager.js';
export { MEDIA_GUIDANCE, MediaAccessError, mediaErrorKind, toMediaAccessError, type MediaErrorKind } from './permissions.js';
export { qualityLevelOf, readCounters, sampleBetween, type NetworkSample, type StatCounters } from './quality.js';

/** Creates the media manager of a client (one per client). */
export function createMediaManager(client: HcwClient, options?: MediaManagerOptions): MediaManager {
  return new MediaManager(client, options);
}
