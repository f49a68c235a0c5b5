import type { Device, types as ms } from 'mediasoup-client';
import { BehaviorSubject, type Observable } from 'rxjs';
import { asMediaError, invalidMediaState } from './media-error.js';
import type { MediaSignalling } from './signalling-port.js';
import type { LocalSource } from './types.js';

const CAMERA_SIMULCAST: RTCRtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

/** A published source, enough to publish it again after a rebuild. */
export interface PublishedSource {
  readonly source: LocalSource;
  readonly track: MediaStreamTrack;
  readonly paused: boolean;
}

export interface PublisherOptions {
  readonly simulcast: boolean;
  /** The track of a source ended (unplugged device, screen share stopped from the browser bar). */
  readonly onTrackEnded: (source: LocalSource) => void;
}

/** This participant's producers, one per source, and the local tracks they send. */
export class Publisher {
  private readonly producers = new Map<LocalSource, ms.Producer>();
  /** What a rebuild must publish again (kept while a rebuild fails, until one succeeds or the source is stopped). */
  private owed: PublishedSource[] | undefined;
  private readonly local = new BehaviorSubject<Partial<Record<LocalSource, MediaStreamTrack>>>({});
  readonly local$: Observable<Partial<Record<LocalSource, MediaStreamTrack>>> = this.local.asObservable();

  constructor(
    private readonly signalling: MediaSignalling,
    private readonly options: PublisherOptions,
  ) {}

  has(source: LocalSource): boolean {
    return this.producers.has(source);
  }

  /** The producer of a published source, or an `invalid_state` error. */
  producer(source: LocalSource): ms.Producer {
    const producer = this.producers.get(source);
    if (!producer) throw invalidMediaState(`${source} is not published`);
    return producer;
  }

  /**
   * Publishes a track (camera with simulcast where VP8 allows, microphone with DTX and FEC).
   * `stopTracks: false`: the publisher stops tracks itself (stop, close), so a rebuild after a lost
   * session still has them to publish again.
   */
  async publish(source: LocalSource, track: MediaStreamTrack, transport: ms.Transport, device: Device): Promise<ms.Producer> {
    if (this.producers.has(source)) throw invalidMediaState(`${source} is already published`);
    const vp8 = device.rtpCapabilities.codecs?.some((codec) => codec.mimeType.toLowerCase() === 'video/vp8');
    const producer = await transport.produce({
      track,
      stopTracks: false,
      ...(source === 'camera' && this.options.simulcast && vp8 ? { encodings: CAMERA_SIMULCAST } : {}),
      ...(source === 'microphone' ? { codecOptions: { opusDtx: true, opusFec: true } } : {}),
      appData: { source },
    });
    if (transport.closed || this.producers.has(source)) {
      producer.close();
      throw invalidMediaState(`the media session was closed while ${source} was being published`);
    }
    this.producers.set(source, producer);
    producer.on('trackended', () => this.options.onTrackEnded(source));
    this.setLocal(source, track);
    return producer;
  }

  /** Stops publishing one source: track stopped, producer closed here and on the server. */
  async stop(source: LocalSource): Promise<void> {
    const owed = this.owed?.find((entry) => entry.source === source);
    if (owed) {
      owed.track.stop();
      this.owed = this.owed?.filter((entry) => entry !== owed);
    }
    const producer = this.producers.get(source);
    if (!producer) return;
    this.producers.delete(source);
    producer.track?.stop();
    producer.close();
    this.setLocal(source, undefined);
    await this.signalling.closeProducer(producer.id);
  }

  /** Pauses or resumes a source, here, on the server, and for the others (`toggle_audio` / `toggle_video`). */
  async setEnabled(source: 'camera' | 'microphone', enabled: boolean): Promise<void> {
    const producer = this.producer(source);
    if (enabled) producer.resume();
    else producer.pause();
    await Promise.all([this.signalling.setProducerPaused(producer.id, !enabled), this.signalling.announceEnabled(source, enabled)]);
  }

  /** Sends another track for a published source, without renegotiation. */
  async replaceTrack(source: LocalSource, track: MediaStreamTrack): Promise<void> {
    await this.producer(source).replaceTrack({ track });
    this.setLocal(source, track);
  }

  /** What is published now, live tracks only. */
  snapshot(): PublishedSource[] {
    return [...this.producers.entries()]
      .filter(([, producer]) => producer.track?.readyState === 'live')
      .map(([source, producer]) => ({ source, track: producer.track!, paused: producer.paused }));
  }

  /**
   * Closes every producer locally. `keepTracks`: for a rebuild, the tracks keep running and what
   * was published is owed to {@link republish}; otherwise owed tracks are released too.
   */
  closeAll(options: { keepTracks: boolean }): void {
    if (options.keepTracks) this.owed ??= this.snapshot();
    else {
      for (const { track } of this.owed ?? []) track.stop();
      this.owed = undefined;
    }
    for (const [source, producer] of this.producers) {
      if (!options.keepTracks) producer.track?.stop();
      producer.close();
      this.setLocal(source, undefined);
    }
    this.producers.clear();
  }

  /**
   * Caps the camera's simulcast layers to what the link carries (poor → lowest, fair → two, good →
   * all). A lost link changes nothing: nothing is sent meanwhile, and a cap set then would hold the
   * camera on its lowest layer for a stats period after the link is back.
   */
  async adaptSending(level: string): Promise<void> {
    const camera = this.producers.get('camera');
    const layers = camera?.rtpParameters.encodings?.length ?? 0;
    if (!camera || camera.closed || layers < 2 || level === 'lost') return;
    const wanted = level === 'poor' ? 0 : level === 'fair' ? Math.min(1, layers - 1) : layers - 1;
    if (camera.maxSpatialLayer === wanted) return;
    await camera
      .setMaxSpatialLayer(wanted)
      .catch((error: unknown) => this.signalling.report(asMediaError('setMaxSpatialLayer failed', error)));
  }

  /** Publishes again what the last rebuild's `closeAll({ keepTracks: true })` owes, paused ones paused. */
  async republish(transport: () => Promise<ms.Transport>, device: Device): Promise<void> {
    for (const { source, track, paused } of this.owed ?? []) {
      if (this.producers.has(source) || track.readyState !== 'live') continue;
      const producer = await this.publish(source, track, await transport(), device);
      if (paused) {
        producer.pause();
        await this.signalling.setProducerPaused(producer.id, true);
      }
    }
    this.owed = undefined;
  }

  complete(): void {
    this.local.complete();
  }

  private setLocal(source: LocalSource, track: MediaStreamTrack | undefined): void {
    const next = { ...this.local.value };
    if (track) next[source] = track;
    else delete next[source];
    this.local.next(next);
  }
}
