import { BehaviorSubject, Subject, Subscription, type Observable } from 'rxjs';
import type { QualityLevel } from '../../contract/index.js';
import { HcwError } from '../../core/errors.js';
import { LocalMedia } from '../local-media.js';
import type { LocalSource, RemoteTrack, SourceOptions } from '../types.js';
import { CallSources, type CallSource } from './call-sources.js';
import type { IceRestartNotice, PeerMediaManagerOptions } from './options.js';
import { Outbox } from './outbox.js';
import { peerError } from './peer-error.js';
import { fingerprintOf, PeerLink } from './peer-link.js';
import { PeerQuality } from './peer-quality.js';
import type { PeerDeparture, PeerMessage, PeerSignalling } from './peer-signalling.js';

/**
 * Peer-to-peer media for 1:1 calls and small meshes: one `RTCPeerConnection` per remote peer,
 * negotiated with the perfect negotiation pattern over a {@link PeerSignalling} (the peer whose
 * user id sorts first is polite). The surface of the mediasoup `MediaManager` where it applies.
 *
 * Peers come from the signalling's presence where it has one (each peer present or joining gets a
 * call; one that leaves is hung up at once, its tracks gone; one whose signalling is lost keeps its
 * call while its media flows), from {@link connect}, or with their first offer. An offer from a new
 * connection of a known peer (another DTLS fingerprint: it reloaded) replaces the old call.
 * Recovery: an ICE restart when a connection fails or stays disconnected, while the signalling is
 * up; after a signalling drop, what was held is sent and every peer gets a fresh negotiation (an
 * ICE restart offer). Media keeps flowing while the signalling is down.
 */
export class PeerMediaManager {
  private readonly links = new Map<string, PeerLink>();
  private readonly local = new CallSources((source) => void this.stop(source));
  private readonly outbox: Outbox;
  private readonly localMedia: LocalMedia;
  private readonly monitor: PeerQuality;
  private readonly remote = new BehaviorSubject<readonly RemoteTrack[]>([]);
  private readonly peers = new BehaviorSubject<readonly string[]>([]);
  private readonly restarts = new Subject<IceRestartNotice>();
  private readonly subscriptions = new Subscription();
  private listening = false;
  private disposed = false;

  /** Tracks received from the peers (`userId`: the peer's; `consumerId`/`producerId`: `<peer>:<mid>`, stable). */
  readonly remoteTracks$: Observable<readonly RemoteTrack[]> = this.remote.asObservable();
  /** This participant's tracks being sent. */
  readonly localTracks$: Observable<Partial<Record<LocalSource, MediaStreamTrack>>> = this.local.local$;
  /** Measured call quality (undefined until the first period; "lost" while a connection is down). */
  readonly quality$: Observable<QualityLevel | undefined>;
  /** Cameras and microphones, refreshed on `devicechange`. */
  readonly devices$: Observable<readonly MediaDeviceInfo[]>;
  /** The peers this participant is in a call with. */
  readonly peers$: Observable<readonly string[]> = this.peers.asObservable();
  /** Every ICE restart this side starts. */
  readonly iceRestarts$: Observable<IceRestartNotice> = this.restarts.asObservable();

  /** @param signalling the channel to the peers; `createRootPrefixedPeerMedia(client, { roomId })` builds one. */
  constructor(
    private readonly signalling: PeerSignalling,
    private readonly options: PeerMediaManagerOptions = {},
  ) {
    this.outbox = new Outbox(signalling);
    // Nothing to tell a server about permissions here: a failure reaches the caller as a MediaAccessError.
    this.localMedia = new LocalMedia(
      { reportPermission: () => undefined, reportAccessError: () => undefined },
      options.mediaDevices ?? globalThis.navigator?.mediaDevices,
    );
    this.monitor = new PeerQuality(signalling.scheduler, options.statsIntervalMs ?? 5000, () => [...this.links.values()].map((l) => l.pc));
    this.quality$ = this.monitor.quality$;
    this.devices$ = this.localMedia.devices$;
  }

  /** The tracks received now (the last value of `remoteTracks$`). */
  get remoteTracks(): readonly RemoteTrack[] {
    return this.remote.value;
  }

  /** The last measured quality (the last value of `quality$`). */
  get currentQuality(): QualityLevel | undefined {
    return this.monitor.current;
  }

  /** The connection to one peer (for its stats), while in a call with it. */
  connection(peerId: string): RTCPeerConnection | undefined {
    return this.links.get(peerId)?.pc;
  }

  /** Starts listening to the peers (presence, messages, reconnections). Idempotent; the other calls do it. */
  async join(): Promise<void> {
    this.assertOpen();
    if (this.listening) return;
    this.listening = true;
    const { signalling, subscriptions } = this;
    subscriptions.add(signalling.messages$.subscribe((message) => this.onMessage(message)));
    subscriptions.add(signalling.peerJoined$.subscribe((peerId) => this.onPeerJoined(peerId)));
    subscriptions.add(signalling.peerLeft$.subscribe((departure) => this.onPeerLeft(departure)));
    subscriptions.add(signalling.reconnected$.subscribe(() => this.onSignallingBack()));
    this.monitor.start();
    this.localMedia.watch();
  }

  /** Starts a call with a peer (sending what is published; negotiated by whichever side needs it). Idempotent. */
  connect(peerId: string): void {
    this.assertOpen();
    void this.join();
    if (peerId === this.signalling.userId) throw new HcwError('invalid_state', 'a peer cannot call itself (same user id)');
    if (!this.links.has(peerId)) this.link(peerId);
  }

  /** Ends the call with one peer (its connection closed, its tracks gone). */
  disconnect(peerId: string): void {
    const link = this.links.get(peerId);
    if (!link) return;
    this.links.delete(peerId);
    this.outbox.forget(peerId);
    link.close();
    this.peers.next([...this.links.keys()]);
  }

  /** Sends the camera to every peer. */
  startCamera(source: SourceOptions = {}): Promise<MediaStreamTrack> {
    return this.publish('camera', source);
  }

  /** Sends the microphone to every peer. */
  startMicrophone(source: SourceOptions = {}): Promise<MediaStreamTrack> {
    return this.publish('microphone', source);
  }

  /** Stops sending one source: its senders removed (renegotiated), the track stopped. */
  async stop(source: LocalSource): Promise<void> {
    if (source === 'screen') return;
    const track = this.local.delete(source);
    if (!track) return;
    for (const link of this.links.values()) link.unsend(source);
    track.stop();
  }

  /** Mutes or unmutes the microphone (`replaceTrack(null)`: nothing sent while muted). */
  setMicrophoneEnabled(enabled: boolean): Promise<void> {
    return this.setEnabled('microphone', enabled);
  }

  /**
   * Turns the camera off or on without releasing it: every sender's track is replaced by `null`
   * (no frames, no bytes; the peer's decoder stops) and back, with no renegotiation. Not
   * `track.enabled = false`, which keeps sending black frames and blacks out the local preview.
   */
  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.setEnabled('camera', enabled);
  }

  /** Switches camera or microphone on every sender with `RTCRtpSender.replaceTrack` (no renegotiation). */
  async switchDevice(source: CallSource, next: SourceOptions): Promise<void> {
    const entry = this.local.get(source);
    if (!entry) throw new HcwError('invalid_state', `${source} is not started`);
    const old = entry.track;
    if (this.options.stopTrackBeforeSwitch) old.stop();
    const { track } = await this.localMedia.acquire(source, next);
    this.local.set(source, track);
    await Promise.all([...this.links.values()].map((link) => this.sendTo(link, source, entry.enabled ? track : null, track)));
    if (!this.options.stopTrackBeforeSwitch) old.stop();
  }

  /** Refreshes `devices$`. */
  refreshDevices(): Promise<readonly MediaDeviceInfo[]> {
    return this.localMedia.refresh();
  }

  /** One stats period now. */
  sampleStats(): Promise<QualityLevel | undefined> {
    return this.monitor.sample();
  }

  /** Ends every call: connections closed, local tracks stopped, streams completed. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.subscriptions.unsubscribe();
    for (const peerId of [...this.links.keys()]) this.disconnect(peerId);
    this.local.close();
    this.outbox.close();
    this.signalling.close?.();
    this.localMedia.close();
    this.monitor.complete();
    for (const subject of [this.remote, this.peers, this.restarts]) subject.complete();
  }

  // ---- Internals -----------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.disposed) throw new HcwError('disposed', 'the peer media manager was disposed');
  }

  /** A call with a peer; sending what is published now, unless `offer` (then once it is applied). */
  private link(peerId: string, offer?: PeerMessage): PeerLink {
    const link = new PeerLink({
      localId: this.signalling.userId,
      peerId,
      rtcConfiguration: this.options.rtcConfiguration ?? { iceServers: [] },
      scheduler: this.signalling.scheduler,
      outbox: this.outbox,
      connected: () => this.signalling.connected,
      report: (message, error) => this.signalling.report(peerError(`${peerId}: ${message}`, error)),
      onRemoteChange: () => this.remote.next([...this.links.values()].flatMap((l) => l.remoteTracks)),
      offerRetryMs: this.options.offerRetryMs ?? 4000,
      // Only where both sides of a new pair start at once: elsewhere one side waits for nothing.
      firstOfferDelayMs: this.signalling.presence === 'list' ? (this.options.firstOfferDelayMs ?? 1000) : 0,
      disconnectedMs: this.options.iceDisconnectedMs ?? 3000,
      iceRetryMs: this.options.iceRestartRetryMs ?? 5000,
      onIceRestart: (peer, reason) => this.restarts.next({ peerId: peer, reason }),
      onGone: () => this.links.get(peerId) === link && this.disconnect(peerId),
    });
    this.links.set(peerId, link);
    this.peers.next([...this.links.keys()]);
    const sendLocal = () => {
      if (this.links.get(peerId) !== link) return;
      for (const [source, { track, enabled }] of this.local.entriesNow()) void this.sendTo(link, source, enabled ? track : null, track);
    };
    if (offer) void link.receive(offer).then(sendLocal);
    else sendLocal();
    return link;
  }

  private onSignallingBack(): void {
    for (const link of this.links.values()) {
      // No list after a reconnection: a peer whose call is down may have left unseen meanwhile.
      if (this.signalling.presence === 'arrivals' && link.pc.connectionState !== 'connected') link.away();
      link.signallingBack();
    }
  }

  private onPeerJoined(peerId: string): void {
    if (this.disposed || peerId === this.signalling.userId) return;
    const link = this.links.get(peerId);
    if (link) link.back();
    else this.link(peerId);
  }

  private onPeerLeft({ peerId, reason }: PeerDeparture): void {
    if (reason === 'left') this.disconnect(peerId);
    else this.links.get(peerId)?.away();
  }

  private onMessage(message: PeerMessage): void {
    if (this.disposed || message.from === this.signalling.userId) return;
    let link = this.links.get(message.from);
    if (link && message.kind === 'offer') {
      const was = link.remoteFingerprint;
      const now = fingerprintOf(message.data.sdp);
      if (was !== undefined && now !== undefined && was !== now) {
        this.disconnect(message.from); // the peer's connection is a new one (it reloaded): so is ours
        link = undefined;
      }
    }
    // A peer appears with its first offer (not with leftovers of a call ended here), which is
    // applied before anything is sent: the local tracks then take the offer's transceivers.
    if (!link) {
      if (message.kind === 'offer') this.link(message.from, message);
      return;
    }
    void link.receive(message);
  }

  private async publish(source: CallSource, options: SourceOptions): Promise<MediaStreamTrack> {
    await this.join();
    if (this.local.get(source)) throw new HcwError('invalid_state', `${source} is already started`);
    const { track } = await this.localMedia.acquire(source, options);
    this.local.set(source, track);
    await Promise.all([...this.links.values()].map((link) => this.sendTo(link, source, track, track)));
    return track;
  }

  private async setEnabled(source: CallSource, enabled: boolean): Promise<void> {
    const entry = this.local.get(source);
    if (!entry) throw new HcwError('invalid_state', `${source} is not started`);
    entry.enabled = enabled;
    await Promise.all([...this.links.values()].map((link) => this.sendTo(link, source, enabled ? entry.track : null, entry.track)));
  }

  private sendTo(link: PeerLink, source: CallSource, outgoing: MediaStreamTrack | null, track: MediaStreamTrack): Promise<void> {
    return link
      .send(source, outgoing, track, this.local.stream ?? new MediaStream([track]))
      .catch((error: unknown) => this.signalling.report(peerError(`${link.peerId}: could not send the ${source}`, error)));
  }
}
