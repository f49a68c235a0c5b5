import { Device, type types as ms } from 'mediasoup-client';
import { BehaviorSubject, Subject, Subscription, type Observable } from 'rxjs';
import type { QualityLevel, ServerFeature } from '../contract/index.js';
import type { HcwClient } from '../client.js';
import { HcwError } from '../core/errors.js';
import type { TimerHandle } from '../core/scheduler.js';
import { qualityLevelOf, readCounters, sampleBetween, type StatCounters } from './quality.js';
import { toMediaAccessError, type MediaAccessError } from './permissions.js';
import { requestTransportOptions, wireTransport } from './signalling.js';

/** A connection-quality warning from the server (`connection_quality_warning`, `poor_connection_detected`). */
export interface QualityWarning {
  readonly userId: string;
  readonly level: string;
  readonly message: string;
}

/** What the manager publishes, one per source. */
export type LocalSource = 'camera' | 'microphone' | 'screen';

/** A remote participant's track being received. */
export interface RemoteTrack {
  readonly consumerId: string;
  readonly producerId: string;
  readonly userId: string | undefined;
  readonly kind: 'audio' | 'video';
  readonly track: MediaStreamTrack;
  readonly paused: boolean;
}

/** The subset of `navigator.mediaDevices` the manager uses (injectable for tests and React Native). */
export interface MediaDevicesLike {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  getDisplayMedia?(constraints?: DisplayMediaStreamOptions): Promise<MediaStream>;
  enumerateDevices?(): Promise<MediaDeviceInfo[]>;
  addEventListener?(type: 'devicechange', listener: () => void): void;
  removeEventListener?(type: 'devicechange', listener: () => void): void;
}

export interface MediaManagerOptions {
  /** mediasoup-client handler (tests: `FakeHandler.createFactory(...)`; default: detected from the platform). */
  handlerFactory?: ms.HandlerFactory;
  /** Force a builtin handler, e.g. `'ReactNative106'`. */
  handlerName?: ms.BuiltinHandlerName;
  /** Default: `navigator.mediaDevices`. */
  mediaDevices?: MediaDevicesLike;
  /** Camera simulcast (three VP8 layers). Default true. */
  simulcast?: boolean;
  /** Stop the old track before opening the new one when switching devices (mobile cameras cannot be open twice). Default false. */
  stopTrackBeforeSwitch?: boolean;
  /** Stats period feeding `quality$`, `collect_stats` and `update_connection_quality`. Default 5000 ms; 0 disables. */
  statsIntervalMs?: number;
  /** Timeout of calls to the test server's extensions (absent on the reference backend). Default 2000 ms. */
  extensionTimeoutMs?: number;
}

/** Where a local track comes from: a device id, or a track the app already has. */
export interface SourceOptions {
  deviceId?: string;
  track?: MediaStreamTrack;
}

const CAMERA_SIMULCAST: RTCRtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

/**
 * A video consultation in a few calls: `join()`, `startCamera()`, `startMicrophone()`, and remote
 * tracks arrive on `remoteTracks$`. Wraps a mediasoup-client Device over the `/mediasoup` service.
 */
export class MediaManager {
  private device: Device | undefined;
  private sendTransport: ms.Transport | undefined;
  private recvTransport: ms.Transport | undefined;
  private readonly producers = new Map<LocalSource, ms.Producer>();
  private readonly consumers = new Map<string, { consumer: ms.Consumer; userId: string | undefined }>();
  /** Consumes and transport creations under way: concurrent callers share them (no duplicates). */
  private readonly consuming = new Map<string, Promise<RemoteTrack | undefined>>();
  private readonly creatingTransport = new Map<'send' | 'recv', Promise<ms.Transport>>();
  private readonly remote = new BehaviorSubject<readonly RemoteTrack[]>([]);
  private readonly local = new BehaviorSubject<Partial<Record<LocalSource, MediaStreamTrack>>>({});
  private readonly quality = new BehaviorSubject<QualityLevel | undefined>(undefined);
  private readonly devices = new BehaviorSubject<readonly MediaDeviceInfo[]>([]);
  private readonly warnings = new Subject<QualityWarning>();
  private readonly subscriptions = new Subscription();
  private joinPromise: Promise<void> | undefined;
  private statsTimer: TimerHandle | undefined;
  private lastCounters: StatCounters | undefined;
  private disposed = false;
  private listening = false;
  private readonly options: Required<Omit<MediaManagerOptions, 'handlerFactory' | 'handlerName' | 'mediaDevices'>> &
    Pick<MediaManagerOptions, 'handlerFactory' | 'handlerName' | 'mediaDevices'>;

  /** Tracks received from the other participants. */
  readonly remoteTracks$: Observable<readonly RemoteTrack[]> = this.remote.asObservable();
  /** This participant's published tracks. */
  readonly localTracks$: Observable<Partial<Record<LocalSource, MediaStreamTrack>>> = this.local.asObservable();
  /** Measured connection quality (undefined until the first stats period). */
  readonly quality$: Observable<QualityLevel | undefined> = this.quality.asObservable();
  /** The server's connection-quality warnings, for this participant or another one. */
  readonly qualityWarnings$: Observable<QualityWarning> = this.warnings.asObservable();
  /** Cameras and microphones, refreshed on `devicechange`. */
  readonly devices$: Observable<readonly MediaDeviceInfo[]> = this.devices.asObservable();

  constructor(
    private readonly client: HcwClient,
    options: MediaManagerOptions = {},
  ) {
    this.options = {
      simulcast: true,
      stopTrackBeforeSwitch: false,
      statsIntervalMs: 5000,
      extensionTimeoutMs: 2000,
      ...options,
      mediaDevices: options.mediaDevices ?? globalThis.navigator?.mediaDevices,
    };
  }

  private get signalling() {
    return this.client.mediasoup;
  }

  private get consultationId() {
    return this.client.identity.consultationId;
  }

  get remoteTracks(): readonly RemoteTrack[] {
    return this.remote.value;
  }

  get currentQuality(): QualityLevel | undefined {
    return this.quality.value;
  }

  /** The mediasoup-client Device (after `join()`). */
  get mediasoupDevice(): Device | undefined {
    return this.device;
  }

  /**
   * Loads the router capabilities, listens for remote producers and consumes the existing ones.
   * Idempotent. Needs an admitted consultation (the router exists from admission on).
   */
  join(): Promise<void> {
    this.joinPromise ??= this.doJoin().catch((error: unknown) => {
      this.joinPromise = undefined;
      throw error;
    });
    return this.joinPromise;
  }

  /** Publishes the camera (simulcast where the codec allows). */
  startCamera(source: SourceOptions = {}): Promise<ms.Producer> {
    return this.publish('camera', source);
  }

  /** Publishes the microphone. */
  startMicrophone(source: SourceOptions = {}): Promise<ms.Producer> {
    return this.publish('microphone', source);
  }

  /** Publishes the screen. */
  startScreenShare(source: SourceOptions = {}): Promise<ms.Producer> {
    return this.publish('screen', source);
  }

  /** Stops publishing one source (track stopped, producer closed on both sides). */
  async stop(source: LocalSource): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) return;
    this.producers.delete(source);
    producer.track?.stop();
    producer.close();
    this.setLocal(source, undefined);
    await this.extension('media_controls', () => this.signalling.request('closeProducer', { producerId: producer.id }));
  }

  /** Mutes or unmutes the microphone: pauses the producer and tells the others (`toggle_audio`). */
  setMicrophoneEnabled(enabled: boolean): Promise<void> {
    return this.setEnabled('microphone', enabled);
  }

  /** Turns the camera off or on without releasing it (`toggle_video`). */
  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.setEnabled('camera', enabled);
  }

  /** Switches camera or microphone without renegotiation (`replaceTrack`). */
  async switchDevice(source: 'camera' | 'microphone', next: SourceOptions): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) throw new HcwError('invalid_state', `${source} is not published`);
    const old = producer.track;
    if (this.options.stopTrackBeforeSwitch) old?.stop();
    const track = await this.acquire(source, next);
    await producer.replaceTrack({ track });
    if (!this.options.stopTrackBeforeSwitch) old?.stop();
    this.setLocal(source, track);
  }

  /** Consumes a producer by id (for servers without producer discovery, e.g. the reference backend). */
  async consume(producerId: string, userId?: string): Promise<RemoteTrack | undefined> {
    await this.join();
    return this.consumeProducer(producerId, userId);
  }

  /** Refreshes `devices$`. */
  async refreshDevices(): Promise<readonly MediaDeviceInfo[]> {
    const list = (await this.options.mediaDevices?.enumerateDevices?.()) ?? [];
    this.devices.next(list);
    return list;
  }

  /** Closes everything: local tracks stopped, producers, consumers and transports closed. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.subscriptions.unsubscribe();
    this.options.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    const transports = [this.sendTransport, this.recvTransport].filter((t): t is ms.Transport => t !== undefined);
    this.closeLocally();
    await Promise.all(
      transports.map((transport) =>
        this.signalling.request('closeTransport', { transportId: transport.id }, { timeoutMs: 2000 }).catch(() => undefined),
      ),
    );
    this.remote.complete();
    this.warnings.complete();
    this.local.complete();
    this.quality.complete();
    this.devices.complete();
  }

  // ---- Internals -----------------------------------------------------------------------------------

  private async doJoin(): Promise<void> {
    const { rtpCapabilities } = await this.signalling.request('getRouterCapabilities', { consultationId: this.consultationId });
    this.device ??= this.createDevice();
    if (!this.device.loaded) {
      await this.device.load({ routerRtpCapabilities: rtpCapabilities });
    }
    this.listen();
    const discovered = await this.extension('producer_discovery', () =>
      this.signalling.request('getProducers', { consultationId: this.consultationId }, { timeoutMs: this.options.extensionTimeoutMs }),
    );
    for (const producer of discovered?.producers ?? []) {
      await this.consumeProducer(producer.producerId, String(producer.userId), producer.paused ?? false);
    }
    this.startStats();
    this.options.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
  }

  private createDevice(): Device {
    const { handlerFactory, handlerName } = this.options;
    return new Device({ ...(handlerFactory ? { handlerFactory } : {}), ...(handlerName ? { handlerName } : {}) });
  }

  private listen(): void {
    if (this.listening || this.disposed) return;
    this.listening = true;
    const signalling = this.signalling;
    const me = String(this.client.identity.userId);
    // The server's verdict on this participant's link: send fewer simulcast layers, tell the app.
    this.subscriptions.add(
      this.client.consultation.on('connection_quality_warning').subscribe((event) => {
        if (String(event.userId) !== me) return;
        this.warnings.next({ userId: me, level: event.qualityLevel, message: event.message });
        void this.adaptSending(event.qualityLevel);
      }),
    );
    this.subscriptions.add(
      this.client.consultation
        .on('poor_connection_detected')
        .subscribe((event) => this.warnings.next({ userId: String(event.affectedUserId), level: 'poor', message: event.message })),
    );
    this.subscriptions.add(
      signalling.on('newProducer').subscribe((event) => {
        if (String(event.userId) === String(this.client.identity.userId)) return;
        void this.consumeProducer(event.producerId, String(event.userId), event.paused ?? false).catch((error: unknown) =>
          this.report('could not consume a new producer', error),
        );
      }),
    );
    this.subscriptions.add(signalling.on('producerClosed').subscribe((event) => this.dropConsumersOf(event.producerId)));
    this.subscriptions.add(
      signalling.on('producerPaused').subscribe((event) => this.updateRemote(event.producerId, { paused: event.paused })),
    );
    this.subscriptions.add(signalling.on('media_session_closed').subscribe(() => this.closeLocally()));
    this.subscriptions.add(this.client.consultation.on('media_session_closed').subscribe(() => this.closeLocally()));
    // After a reconnection the server could not recover, its transports are gone: rebuild.
    this.subscriptions.add(signalling.resync$.subscribe(() => void this.rebuild()));
  }

  private async publish(source: LocalSource, options: SourceOptions): Promise<ms.Producer> {
    await this.join();
    if (this.producers.has(source)) throw new HcwError('invalid_state', `${source} is already published`);
    const track = await this.acquire(source, options);
    const transport = await this.ensureTransport('send');
    const vp8 = this.device?.rtpCapabilities.codecs?.some((codec) => codec.mimeType.toLowerCase() === 'video/vp8');
    // stopTracks: false — the manager stops tracks itself (stop(), dispose()); closing a producer
    // must not end its track, or the rebuild after a server restart has nothing to republish.
    const producer = await transport
      .produce({
        track,
        stopTracks: false,
        ...(source === 'camera' && this.options.simulcast && vp8 ? { encodings: CAMERA_SIMULCAST } : {}),
        ...(source === 'microphone' ? { codecOptions: { opusDtx: true, opusFec: true } } : {}),
        appData: { source },
      })
      .catch((error: unknown) => {
        if (!options.track) track.stop(); // acquired here: release the device
        throw error;
      });
    this.producers.set(source, producer);
    producer.on('trackended', () => void this.stop(source));
    this.setLocal(source, track);
    return producer;
  }

  private async acquire(source: LocalSource, options: SourceOptions): Promise<MediaStreamTrack> {
    if (options.track) return options.track;
    const devices = this.options.mediaDevices;
    const device = source === 'screen' ? 'screen' : source;
    try {
      if (!devices) throw Object.assign(new Error('no media devices on this platform'), { name: 'NotFoundError' });
      let stream: MediaStream;
      if (source === 'screen') {
        if (!devices.getDisplayMedia) throw Object.assign(new Error('screen capture unsupported'), { name: 'NotFoundError' });
        stream = await devices.getDisplayMedia({ video: true });
      } else {
        const constraint = options.deviceId ? { deviceId: { exact: options.deviceId } } : true;
        stream = await devices.getUserMedia(source === 'camera' ? { video: constraint } : { audio: constraint });
      }
      const track = stream.getTracks()[0];
      if (!track) throw Object.assign(new Error('no track in the stream'), { name: 'NotFoundError' });
      if (source !== 'screen') this.reportPermission(source, true);
      return track;
    } catch (error) {
      const mapped = toMediaAccessError(error, device);
      this.reportAccessError(mapped);
      throw mapped;
    }
  }

  private async setEnabled(source: 'camera' | 'microphone', enabled: boolean): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) throw new HcwError('invalid_state', `${source} is not published`);
    if (enabled) producer.resume();
    else producer.pause();
    const { consultationId, userId } = this.client.identity;
    await Promise.all([
      this.extension('media_controls', () =>
        this.signalling.request(
          enabled ? 'resumeProducer' : 'pauseProducer',
          { producerId: producer.id },
          { timeoutMs: this.options.extensionTimeoutMs },
        ),
      ),
      source === 'microphone'
        ? this.client.consultation.emit('toggle_audio', { consultationId, userId, audioEnabled: enabled })
        : this.client.consultation.emit('toggle_video', { consultationId, userId, videoEnabled: enabled }),
    ]);
  }

  /** The transport of one direction, created on first need (one at a time under concurrency). */
  private async ensureTransport(direction: 'send' | 'recv'): Promise<ms.Transport> {
    const current = direction === 'send' ? this.sendTransport : this.recvTransport;
    if (current && !current.closed) return current;
    let pending = this.creatingTransport.get(direction);
    if (!pending) {
      pending = (async () => {
        const options = await requestTransportOptions(this.signalling, this.consultationId, direction === 'send' ? 'producer' : 'consumer');
        const transport = direction === 'send' ? this.device!.createSendTransport(options) : this.device!.createRecvTransport(options);
        this.watchTransport(transport);
        if (direction === 'send') this.sendTransport = transport;
        else this.recvTransport = transport;
        return transport;
      })().finally(() => {
        if (this.creatingTransport.get(direction) === pending) this.creatingTransport.delete(direction);
      });
      this.creatingTransport.set(direction, pending);
    }
    return pending;
  }

  private watchTransport(transport: ms.Transport): void {
    wireTransport(transport, this.signalling, this.consultationId);
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed' || state === 'disconnected') void this.restartIce(transport);
    });
  }

  /** ICE restart through the server's `restartIce` extension. */
  private async restartIce(transport: ms.Transport): Promise<void> {
    const answer = await this.extension('media_controls', () =>
      this.signalling.request('restartIce', { transportId: transport.id }, { timeoutMs: this.options.extensionTimeoutMs }),
    );
    if (answer && !transport.closed) {
      await transport.restartIce({ iceParameters: answer.iceParameters as unknown as ms.IceParameters });
    }
  }

  /**
   * Consumes a remote producer once: discovery (`getProducers`) and the live `newProducer` notice
   * can announce the same producer at the same time; the second caller gets undefined.
   */
  private consumeProducer(producerId: string, userId?: string, paused = false): Promise<RemoteTrack | undefined> {
    if ([...this.consumers.values()].some(({ consumer }) => consumer.producerId === producerId)) return Promise.resolve(undefined);
    const inFlight = this.consuming.get(producerId);
    if (inFlight)
      return inFlight.then(
        () => undefined,
        () => undefined,
      );
    const attempt = this.createConsumer(producerId, userId, paused).finally(() => {
      if (this.consuming.get(producerId) === attempt) this.consuming.delete(producerId);
    });
    this.consuming.set(producerId, attempt);
    return attempt;
  }

  private async createConsumer(producerId: string, userId: string | undefined, paused: boolean): Promise<RemoteTrack | undefined> {
    const transport = await this.ensureTransport('recv');
    const answer = await this.signalling.request('consume', {
      consultationId: this.consultationId,
      transportId: transport.id,
      producerId,
      rtpCapabilities: this.device!.rtpCapabilities,
    });
    const consumer = await transport.consume({
      id: answer.id,
      producerId: answer.producerId,
      kind: answer.kind,
      rtpParameters: answer.rtpParameters as unknown as ms.RtpParameters,
    });
    this.consumers.set(consumer.id, { consumer, userId });
    consumer.on('transportclose', () => this.dropConsumer(consumer.id));
    consumer.on('trackended', () => this.dropConsumer(consumer.id));
    const remote: RemoteTrack = { consumerId: consumer.id, producerId, userId, kind: consumer.kind, track: consumer.track, paused };
    this.remote.next([...this.remote.value, remote]);
    return remote;
  }

  private dropConsumersOf(producerId: string): void {
    for (const [id, { consumer }] of this.consumers) if (consumer.producerId === producerId) this.dropConsumer(id);
  }

  private dropConsumer(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    this.consumers.delete(consumerId);
    if (!entry.consumer.closed) entry.consumer.close();
    this.remote.next(this.remote.value.filter((track) => track.consumerId !== consumerId));
  }

  private updateRemote(producerId: string, change: Partial<Pick<RemoteTrack, 'paused'>>): void {
    this.remote.next(this.remote.value.map((track) => (track.producerId === producerId ? { ...track, ...change } : track)));
  }

  private setLocal(source: LocalSource, track: MediaStreamTrack | undefined): void {
    const next = { ...this.local.value };
    if (track) next[source] = track;
    else delete next[source];
    this.local.next(next);
  }

  /** Rebuilds transports, producers and consumers after the server lost them (restart). */
  private async rebuild(): Promise<void> {
    if (this.disposed || !this.device) return;
    const tracks = [...this.producers.entries()].map(([source, producer]) => ({ source, track: producer.track, paused: producer.paused }));
    this.closeLocally({ keepTracks: true });
    this.joinPromise = undefined;
    try {
      await this.join();
      for (const { source, track, paused } of tracks) {
        if (!track || track.readyState === 'ended') continue;
        const producer = await this.publish(source, { track });
        if (paused) producer.pause();
      }
    } catch (error) {
      this.report('media rebuild after reconnection failed', error);
    }
  }

  private closeLocally(options: { keepTracks?: boolean } = {}): void {
    this.stopStats();
    for (const [source, producer] of this.producers) {
      if (!options.keepTracks) producer.track?.stop();
      producer.close();
      this.setLocal(source, undefined);
    }
    this.producers.clear();
    for (const id of [...this.consumers.keys()]) this.dropConsumer(id);
    // Work under way belongs to the closed transports: let the next join start afresh.
    this.consuming.clear();
    this.creatingTransport.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = this.recvTransport = undefined;
  }

  private startStats(): void {
    if (this.options.statsIntervalMs <= 0 || this.statsTimer) return;
    this.statsTimer = this.client.connection.options.scheduler.setInterval(() => void this.sampleStats(), this.options.statsIntervalMs, {
      background: true,
    });
  }

  private stopStats(): void {
    this.client.connection.options.scheduler.clear(this.statsTimer);
    this.statsTimer = undefined;
    this.lastCounters = undefined;
  }

  /** One stats period: local quality, then reported to the server (`collect_stats`, `update_connection_quality`). */
  async sampleStats(): Promise<QualityLevel | undefined> {
    const transports = [this.sendTransport, this.recvTransport].filter((t): t is ms.Transport => t !== undefined && !t.closed);
    if (transports.length === 0) return undefined;
    const reports = await Promise.all(transports.map((transport) => transport.getStats()));
    const counters = readCounters(reports);
    const sample = sampleBetween(this.lastCounters, counters);
    this.lastCounters = counters;
    const level = qualityLevelOf(sample);
    this.quality.next(level);
    await this.adaptSending(level);
    const { consultationId } = this.client.identity;
    const stats = { packetLoss: sample.packetLoss, rttMs: sample.rttMs ?? null, jitterMs: sample.jitterMs ?? null, bytes: counters.bytes };
    await Promise.all([
      this.signalling
        .request('collect_stats', { consultationId, stats: { type: 'transport', id: transports[0]!.id, stats } })
        .catch((error: unknown) => this.report('collect_stats failed', error)),
      this.client.consultation
        .emit('update_connection_quality', {
          consultationId,
          packetLoss: Math.round(sample.packetLoss * 10_000) / 100, // percent on the wire
          ...(sample.rttMs === undefined ? {} : { latency: sample.rttMs }),
          ...(sample.jitterMs === undefined ? {} : { jitter: sample.jitterMs }),
          quality: level,
        })
        .catch((error: unknown) => this.report('update_connection_quality failed', error)),
    ]);
    return level;
  }

  /** Caps the camera's simulcast layers to what the link carries (poor → lowest, good → all). */
  private async adaptSending(level: string): Promise<void> {
    const camera = this.producers.get('camera');
    const layers = camera?.rtpParameters.encodings?.length ?? 0;
    if (!camera || camera.closed || layers < 2) return;
    const wanted = level === 'poor' || level === 'lost' ? 0 : level === 'fair' ? Math.min(1, layers - 1) : layers - 1;
    if (camera.maxSpatialLayer === wanted) return;
    await camera.setMaxSpatialLayer(wanted).catch((error: unknown) => this.report('setMaxSpatialLayer failed', error));
  }

  private reportPermission(source: 'camera' | 'microphone', granted: boolean): void {
    const { consultationId, userId } = this.client.identity;
    const status = {
      consultationId,
      userId,
      camera: source === 'camera' ? granted : 'unknown',
      microphone: source === 'microphone' ? granted : 'unknown',
    };
    void this.signalling.emit('media_permission_status', status).catch(() => undefined);
  }

  private reportAccessError(error: MediaAccessError): void {
    const { consultationId, userId } = this.client.identity;
    if (error.kind === 'denied' && error.device !== 'screen') {
      void this.signalling
        .emit('media_permission_denied', {
          consultationId,
          userId,
          camera: error.device === 'camera' ? false : 'unknown',
          microphone: error.device === 'microphone' ? false : 'unknown',
        })
        .catch(() => undefined);
    } else {
      void this.client.consultation
        .emit('media_permission_error', { consultationId, userId, errorType: error.kind, errorMessage: error.guidance })
        .catch(() => undefined);
    }
  }

  /**
   * Calls a test-server extension; resolves undefined at once where the server did not announce it
   * (the reference backend has none: nothing waits on a timeout there), or when it fails.
   */
  private async extension<T>(feature: ServerFeature, call: () => Promise<T>): Promise<T | undefined> {
    if (!this.client.features.has(feature)) return undefined;
    try {
      return await call();
    } catch {
      return undefined;
    }
  }

  private report(message: string, error: unknown): void {
    this.client.connection.report(
      error instanceof HcwError
        ? error
        : new HcwError('server_error', `${message}: ${String(error)}`, { namespace: '/mediasoup', cause: error }),
    );
  }

  private readonly onDeviceChange = () => void this.refreshDevices();
}
