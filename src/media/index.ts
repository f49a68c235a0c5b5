/**
 * Media for HCW@Home consultations over mediasoup-client (optional peer dependency), as its own
 * entry point `hcw-realtime-sdk/media` so chat-only apps never load mediasoup-client.
 * @packageDocumentation
 * @module hcw-realtime-sdk/media
 */
export { createMediaManager } from './hcw-signalling.js';
export { MediaManager } from './media-manager.js';
export type { LocalSource, MediaDevicesLike, MediaManagerOptions, QualityWarning, RemoteTrack, SourceOptions } from './types.js';
export type { MediaSignalling, ProducerNotice, SignallingReconnected, StatsReport } from './signalling-port.js';
export { MEDIA_GUIDANCE, MediaAccessError, mediaErrorKind, toMediaAccessError, type MediaErrorKind } from './permissions.js';
export { qualityLevelOf, readCounters, sampleBetween, type NetworkSample, type StatCounters } from './quality.js';
