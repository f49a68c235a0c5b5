import { Subject, Subscription, type Observable } from 'rxjs';
import type { QualityLevel } from '../../contract/index.js';
import { HcwError } from '../../core/errors.js';
import { LocalMedia } from '../local-media.js';
import type { LocalSource, RemoteTrack, SourceOptions } from '../types.js';
import { CallSources, type CallSource } from './call-sources.js';
import { PeerCalls } from './peer-calls.js';
import type { IceRestartNotice, PeerMediaManagerOptions } from './options.js';
import { Outbox } from './outbox.js';
import { peerError } from './peer-error.js';
import { PeerLink } from './peer-link.js';
import { PeerQuality } from './peer-quality.js';
import { routePeerSignalling } from './peer-routing.js';
import type { PeerMessage, PeerSignalling } from './peer-signalling.js';

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
  private readonly local = new CallSources((source) => void this.stop(source));
  private readonly calls = new PeerCalls(this.local, (link, message, error) =>
    this.signalling.report(peerError(`${link.peerId}: ${message}`, error)),
  );
  private readonly outbox: Outbox;
  private readonly localMedia: LocalMedia;
  private readonly monitor: PeerQuality;
  private readonly restarts = new Subject<IceRestartNotice>();
  private readonly subscriptions = new Subscription();
  private listening = false;
  private disposed = false;

  /** Tracks received from the peers (`userId`: the peer's; `consumerId`/`producerId`: `<peer>:<mid>`, stable). */
  readonly remoteTracks$: Observable<readonly RemoteTrack[]> = this.calls.remote$;
  /** This participant's tracks being sent. */
  readonly localTracks$: Observable<Partial<Record<LocalSource, MediaStreamTrack>>> = this.local.local$;
  /** Measured call quality (undefined until the first period; "lost" while a connection is down). */
  readonly quality$: Observable<QualityLevel | undefined>;
  /** Cameras and microphones, refreshed on `devicechange`. */
  readonly devices$: Observable<readonly MediaDeviceInfo[]>;
  /** The peers this participant is in a call with. */
  readonly peers$: Observable<readonly string[]> = this.calls.peers$;
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
    this.monitor = new PeerQuality(signalling.scheduler, options.statsIntervalMs ?? 5000, () => this.calls.all().map((l) => l.pc));
    this.quality$ = this.monitor.quality$;
    this.devices$ = this.localMedia.devices$;
  }

  /** The tracks received now (the last value of `remoteTracks$`). */
  get remoteTracks(): readonly RemoteTrack[] {
    return this.calls.remoteTracks;
  }

  /** The last measured quality (the last value of `quality$`). */
  get currentQuality(): QualityLevel | undefined {
    return this.monitor.current;
  }

  /** The connection to one peer (for its stats), while in a call with it. */
  connection(peerId: string): RTCPeerConnection | undefined {
    return this.calls.get(peerId)?.pc;
  }

  /** Starts listening to the peers (presence, messages, reconnections). Idempotent; the other calls do it. */
  async join(): Promise<void> {
    this.assertOpen();
    if (this.listening) return;
    this.listening = true;
    const actions = {
      call: (peerId: string, offer?: PeerMessage) => void this.link(peerId, offer),
      hangUp: (peerId: string) => this.disconnect(peerId),
    };
    this.subscriptions.add(routePeerSignalling(this.signalling, this.calls, actions));
    this.monitor.start();
    this.localMedia.watch();
  }

  /** Starts a call with a peer (sending what is published; negotiated by whichever side needs it). Idempotent. */
  connect(peerId: string): void {
    this.assertOpen();
    void this.join();
    if (peerId === this.signalling.userId) throw new HcwError('invalid_state', 'a peer cannot call itself (same user id)');
    if (!this.calls.get(peerId)) this.link(peerId);
  }

  /** Ends the call with one peer (its connection closed, its tracks gone). */
  disconnect(peerId: string): void {
    const link = this.calls.remove(peerId);
    if (!link) return;
    this.outbox.forget(peerId);
    link.close();
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
    this.calls.unsend(source);
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
    await this.calls.send(source, entry.enabled ? track : null, track);
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
    for (const link of this.calls.all()) this.disconnect(link.peerId);
    this.local.close();
    this.outbox.close();
    this.signalling.close?.();
    this.localMedia.close();
    this.monitor.complete();
    this.calls.complete();
    this.restarts.complete();
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
      onRemoteChange: () => this.calls.remoteChanged(),
      offerRetryMs: this.options.offerRetryMs ?? 4000,
      // Only where both sides of a new pair start at once: elsewhere one side waits for nothing.
      firstOfferDelayMs: this.signalling.presence === 'list' ? (this.options.firstOfferDelayMs ?? 1000) : 0,
      disconnectedMs: this.options.iceDisconnectedMs ?? 3000,
      iceRetryMs: this.options.iceRestartRetryMs ?? 5000,
      onIceRestart: (peer, reason) => this.restarts.next({ peerId: peer, reason }),
      onGone: () => this.calls.get(peerId) === link && this.disconnect(peerId),
    });
    this.calls.add(link);
    const sendLocal = () => this.calls.get(peerId) === link && this.calls.sendSources(link);
    if (offer) void link.receive(offer).then(sendLocal);
    else sendLocal();
    return link;
  }

  private async publish(source: CallSource, options: SourceOptions): Promise<MediaStreamTrack> {
    await this.join();
    if (this.local.get(source)) throw new HcwError('invalid_state', `${source} is already started`);
    const { track } = await this.localMedia.acquire(source, options);
    this.local.set(source, track);
    await this.calls.send(source, track, track);
    return track;
  }

  private async setEnabled(source: CallSource, enabled: boolean): Promise<void> {
    const entry = this.local.get(source);
    if (!entry) throw new HcwError('invalid_state', `${source} is not started`);
    entry.enabled = enabled;
    await this.calls.send(source, enabled ? entry.track : null, entry.track);
  }
}
