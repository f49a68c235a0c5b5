import { Device, type types as ms } from 'mediasoup-client';
import { Subject, Subscription, type Observable } from 'rxjs';
import type { QualityLevel } from '../contract/index.js';
import { HcwError } from '../core/errors.js';
import { IceRestarter } from './ice-restarter.js';
import { createPathProbe } from './path-probe.js';
import { LocalMedia } from './local-media.js';
import { Publisher } from './publisher.js';
import { QualityMonitor } from './quality-monitor.js';
import { MediaRecovery } from './recovery.js';
import type { MediaSignalling } from './signalling-port.js';
import { Subscriber } from './subscriber.js';
import { MediaTransports } from './transports.js';
import type { LocalSource, MediaManagerOptions, QualityWarning, RemoteTrack, SourceOptions } from './types.js';

/**
 * A video consultation in a few calls: `join()`, `startCamera()`, `startMicrophone()`, and remote
 * tracks arrive on `remoteTracks$`. Create it with `createMediaManager(client)`.
 *
 * Recovery, by case: ICE broke while the signalling is up → ICE restart, retried until the
 * transport connects; the signalling came back with its session → the same, transports kept; it
 * came back as a new session (or the server cannot restart ICE) → a full rebuild: new transports,
 * every source published again, every remote producer consumed again.
 */
export class MediaManager {
  private readonly transports: MediaTransports;
  private readonly ice: IceRestarter;
  private readonly publisher: Publisher;
  private readonly subscriber: Subscriber;
  private readonly localMedia: LocalMedia;
  private readonly monitor: QualityMonitor;
  private readonly warnings = new Subject<QualityWarning>();
  private readonly subscriptions = new Subscription();
  private readonly recovery: MediaRecovery;
  private joinPromise: Promise<void> | undefined;
  private listening = false;
  private disposed = false;
  private readonly options: Required<Pick<MediaManagerOptions, 'stopTrackBeforeSwitch'>>;

  /** Tracks received from the other participants. */
  readonly remoteTracks$: Observable<readonly RemoteTrack[]>;
  /** This participant's published tracks. */
  readonly localTracks$: Observable<Partial<Record<LocalSource, MediaStreamTrack>>>;
  /** Measured connection quality (undefined until the first stats period; "lost" while the link is down). */
  readonly quality$: Observable<QualityLevel | undefined>;
  /** The server's connection-quality warnings, for this participant or another one. */
  readonly qualityWarnings$: Observable<QualityWarning> = this.warnings.asObservable();
  /** Cameras and microphones, refreshed on `devicechange`. */
  readonly devices$: Observable<readonly MediaDeviceInfo[]>;

  /** @param signalling the server side of media; `createMediaManager(client)` builds the HCW one. */
  constructor(
    private readonly signalling: MediaSignalling,
    options: MediaManagerOptions = {},
  ) {
    const { handlerFactory, handlerName } = options;
    this.options = { stopTrackBeforeSwitch: options.stopTrackBeforeSwitch ?? false };
    const createDevice = () => new Device({ ...(handlerFactory ? { handlerFactory } : {}), ...(handlerName ? { handlerName } : {}) });
    this.transports = new MediaTransports(signalling, createDevice, (transport, state) => this.recovery.onTransportState(transport, state));
    const pathProbeMs = options.pathProbeMs ?? 300;
    this.ice = new IceRestarter(signalling, {
      retryMs: options.iceRestartRetryMs ?? 3000,
      onUnrecoverable: () => void this.recovery.rebuild(true),
      ...(pathProbeMs > 0 ? { probe: createPathProbe(signalling.scheduler, pathProbeMs) } : {}),
    });
    this.recovery = new MediaRecovery(signalling, {
      joined: () => this.transports.loaded !== undefined,
      transports: () => this.transports.all(),
      restartIce: (transport, restart) => void this.ice.restart(transport, restart),
      rebuild: (closeOnServer) => this.rebuild(closeOnServer),
      lost: () => this.monitor.lost(),
      disposed: () => this.disposed,
    });
    this.publisher = new Publisher(signalling, { simulcast: options.simulcast ?? true, onTrackEnded: (source) => void this.stop(source) });
    this.subscriber = new Subscriber(signalling, async () => ({
      transport: await this.transports.ensure('recv'),
      rtpCapabilities: this.joinedDevice().rtpCapabilities,
    }));
    this.localMedia = new LocalMedia(signalling, options.mediaDevices ?? globalThis.navigator?.mediaDevices);
    this.monitor = new QualityMonitor(signalling, {
      intervalMs: options.statsIntervalMs ?? 5000,
      transports: () => this.transports.all(),
      onLevel: (level) => this.publisher.adaptSending(level),
    });
    this.remoteTracks$ = this.subscriber.remote$;
    this.localTracks$ = this.publisher.local$;
    this.quality$ = this.monitor.quality$;
    this.devices$ = this.localMedia.devices$;
  }

  get remoteTracks(): readonly RemoteTrack[] {
    return this.subscriber.tracks;
  }

  get currentQuality(): QualityLevel | undefined {
    return this.monitor.current;
  }

  /** The mediasoup-client Device (after `join()`). */
  get mediasoupDevice(): Device | undefined {
    return this.transports.loaded;
  }

  /**
   * Loads the router capabilities, listens for remote producers and consumes the existing ones.
   * Idempotent. Needs an admitted consultation (the router exists from admission on).
   */
  join(): Promise<void> {
    if (this.disposed) return Promise.reject(new HcwError('disposed', 'the media manager was disposed'));
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
  stop(source: LocalSource): Promise<void> {
    return this.publisher.stop(source);
  }

  /** Mutes or unmutes the microphone: pauses the producer and tells the others (`toggle_audio`). */
  setMicrophoneEnabled(enabled: boolean): Promise<void> {
    return this.publisher.setEnabled('microphone', enabled);
  }

  /** Turns the camera off or on without releasing it (`toggle_video`). */
  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.publisher.setEnabled('camera', enabled);
  }

  /** Switches camera or microphone without renegotiation (`replaceTrack`). */
  async switchDevice(source: 'camera' | 'microphone', next: SourceOptions): Promise<void> {
    const old = this.publisher.producer(source).track;
    if (this.options.stopTrackBeforeSwitch) old?.stop();
    const { track } = await this.localMedia.acquire(source, next);
    await this.publisher.replaceTrack(source, track);
    if (!this.options.stopTrackBeforeSwitch) old?.stop();
  }

  /** Consumes a producer by id (for servers without producer discovery, e.g. the reference backend). */
  async consume(producerId: string, userId?: string): Promise<RemoteTrack | undefined> {
    await this.join();
    return this.subscriber.consume(producerId, userId, false);
  }

  /** Refreshes `devices$`. */
  refreshDevices(): Promise<readonly MediaDeviceInfo[]> {
    return this.localMedia.refresh();
  }

  /** One stats period now: local quality, then reported to the server (`collect_stats`, `update_connection_quality`). */
  sampleStats(): Promise<QualityLevel | undefined> {
    return this.monitor.sample();
  }

  /** Closes everything: local tracks stopped, producers, consumers and transports closed. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.subscriptions.unsubscribe();
    const transports = this.closeLocally({ keepTracks: false });
    await Promise.all(transports.map((transport) => this.signalling.closeTransport(transport.id).catch(() => undefined)));
    this.localMedia.close();
    this.subscriber.complete();
    this.publisher.complete();
    this.monitor.complete();
    this.warnings.complete();
  }

  // ---- Internals -----------------------------------------------------------------------------------

  private async doJoin(): Promise<void> {
    await this.transports.load();
    this.listen();
    await this.subscriber.consumeExisting();
    this.monitor.start();
    this.localMedia.watch();
  }

  private joinedDevice(): Device {
    const device = this.transports.loaded;
    if (!device) throw new HcwError('invalid_state', 'media is not joined: call join() first', { namespace: '/mediasoup' });
    return device;
  }

  private async publish(source: LocalSource, options: SourceOptions): Promise<ms.Producer> {
    await this.join();
    if (this.publisher.has(source)) throw new HcwError('invalid_state', `${source} is already published`, { namespace: '/mediasoup' });
    const { track, opened } = await this.localMedia.acquire(source, options);
    try {
      return await this.publisher.publish(source, track, await this.transports.ensure('send'), this.joinedDevice());
    } catch (error) {
      if (opened) track.stop(); // opened here: release the device
      throw error;
    }
  }

  private listen(): void {
    if (this.listening || this.disposed) return;
    this.listening = true;
    const { signalling, subscriptions } = this;
    subscriptions.add(signalling.newProducer$.subscribe((producer) => this.subscriber.consumeAnnounced(producer)));
    subscriptions.add(signalling.producerClosed$.subscribe((producerId) => this.subscriber.dropProducer(producerId)));
    subscriptions.add(signalling.producerPaused$.subscribe(({ producerId, paused }) => this.subscriber.setPaused(producerId, paused)));
    subscriptions.add(signalling.sessionClosed$.subscribe(() => this.closeLocally({ keepTracks: false })));
    subscriptions.add(
      signalling.qualityWarning$.subscribe(({ mine, ...warning }) => {
        this.warnings.next(warning);
        // The server's verdict on this participant's link: send fewer simulcast layers.
        if (mine) void this.publisher.adaptSending(warning.level);
      }),
    );
    subscriptions.add(signalling.connected$.subscribe((connected) => connected || this.monitor.lost()));
    subscriptions.add(signalling.reconnected$.subscribe((event) => this.recovery.onReconnected(event)));
  }

  /** Closes this session's media here and builds it again: new transports, sources published again. */
  private async rebuild(closeOnServer: boolean): Promise<void> {
    const old = this.closeLocally({ keepTracks: true });
    // Same session (ICE could not be restarted): the server still holds the old transports.
    if (closeOnServer) for (const transport of old) void this.signalling.closeTransport(transport.id).catch(() => undefined);
    this.joinPromise = undefined;
    await this.join();
    await this.publisher.republish(() => this.transports.ensure('send'), this.joinedDevice());
  }

  /** Closes producers, consumers and transports here; returns the transports that were open. */
  private closeLocally(options: { keepTracks: boolean }): ms.Transport[] {
    this.monitor.stop();
    this.ice.stopAll();
    this.publisher.closeAll(options);
    this.subscriber.closeAll();
    return this.transports.closeAll();
  }
}
