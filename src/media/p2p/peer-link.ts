import type { Scheduler } from '../../core/scheduler.js';
import type { LocalSource, RemoteTrack } from '../types.js';
import { AwayWatch } from './away-watch.js';
import { IceWatchdog } from './ice-watchdog.js';
import type { Outbox } from './outbox.js';
import type { PeerMessage } from './peer-signalling.js';
import { isPolite, PerfectNegotiation } from './perfect-negotiation.js';

/** What one peer link needs from the manager. */
export interface PeerLinkOptions {
  readonly localId: string;
  readonly peerId: string;
  readonly rtcConfiguration: RTCConfiguration;
  readonly scheduler: Scheduler;
  readonly outbox: Outbox;
  /** Whether the signalling is up now. */
  readonly connected: () => boolean;
  readonly report: (message: string, error: unknown) => void;
  /** The remote tracks of this peer changed (added, removed, muted or unmuted). */
  readonly onRemoteChange: () => void;
  readonly offerRetryMs: number;
  readonly firstOfferDelayMs: number;
  readonly disconnectedMs: number;
  readonly iceRetryMs: number;
  readonly onIceRestart?: (peerId: string, reason: string) => void;
  /** The peer went away without leaving and its connection is down too: the call is over. */
  readonly onGone: () => void;
}

/**
 * The call with one remote peer: its `RTCPeerConnection`, the perfect negotiation and ICE
 * recovery on it, one sender per local source, and the tracks the peer sends, named by the peer's
 * user id and the transceiver's `mid` (stable across renegotiations and ICE restarts).
 */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  /** This side yields on an offer collision. */
  readonly polite: boolean;
  private readonly negotiation: PerfectNegotiation;
  private readonly watchdog: IceWatchdog;
  private readonly awayWatch: AwayWatch;
  private readonly transceivers = new Map<LocalSource, RTCRtpTransceiver>();
  private readonly remote = new Map<string, RemoteTrack>();
  private closed = false;

  constructor(private readonly options: PeerLinkOptions) {
    const { peerId, scheduler, outbox } = options;
    this.polite = isPolite(options.localId, peerId);
    this.pc = new RTCPeerConnection(options.rtcConfiguration);
    this.negotiation = new PerfectNegotiation(this.pc, {
      polite: this.polite,
      scheduler,
      send: (kind, data) => outbox.send(kind, peerId, data),
      connected: options.connected,
      report: options.report,
      offerRetryMs: options.offerRetryMs,
      firstOfferDelayMs: options.firstOfferDelayMs,
    });
    this.watchdog = new IceWatchdog(this.pc, {
      scheduler,
      connected: options.connected,
      disconnectedMs: options.disconnectedMs,
      retryMs: options.iceRetryMs,
      onRestart: (reason) => options.onIceRestart?.(peerId, reason),
    });
    this.awayWatch = new AwayWatch(this.pc, { scheduler, graceMs: options.disconnectedMs, onGone: options.onGone });
    this.pc.addEventListener('track', this.onTrack);
  }

  get peerId(): string {
    return this.options.peerId;
  }

  /** The tracks this peer sends, by stable id. */
  get remoteTracks(): readonly RemoteTrack[] {
    return [...this.remote.values()];
  }

  /** The sender of a local source (its `track` is what goes out now: `null` while muted). */
  sender(source: LocalSource): RTCRtpSender | undefined {
    return this.transceivers.get(source)?.sender;
  }

  receive(message: PeerMessage): Promise<void> {
    return this.negotiation.receive(message);
  }

  /**
   * Sends a local source: a new send-only transceiver (negotiated) the first time, else the track
   * replaced (`outgoing` null: nothing sent, the muted state).
   *
   * Send-only, of its own (`addTransceiver`, not `addTrack`): `addTrack` would take over a
   * transceiver the peer's offer created to receive on, turning it from `recvonly` to `sendrecv`,
   * and Chromium (156) stops delivering that transceiver's video to its track, for good, when an
   * offer carrying such a change is rolled back in a collision (frames are decoded, none painted:
   * seen in test/browser/p2p-mesh.test.ts, a page reloading mid-call). Own m-lines only ever
   * add to the session, which rolls back cleanly.
   */
  async send(source: LocalSource, outgoing: MediaStreamTrack | null, track: MediaStreamTrack, stream: MediaStream): Promise<void> {
    if (this.closed) return;
    const existing = this.transceivers.get(source);
    if (existing) {
      if (existing.direction !== 'sendonly') existing.direction = 'sendonly'; // a source sent again
      return existing.sender.replaceTrack(outgoing);
    }
    const added = this.pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    this.transceivers.set(source, added);
    if (outgoing !== track) await added.sender.replaceTrack(outgoing);
  }

  /** Stops sending a source (its transceiver inactive: renegotiated, the peer's track ends; kept for a later send). */
  unsend(source: LocalSource): void {
    const transceiver = this.transceivers.get(source);
    if (!transceiver || this.closed || transceiver.direction === 'inactive') return;
    transceiver.direction = 'inactive';
    void transceiver.sender.replaceTrack(null).catch(() => undefined);
  }

  /** The peer's signalling went away without it leaving: the call lasts while its media flows. */
  away(): void {
    if (!this.closed) this.awayWatch.start();
  }

  /** The peer is in the room again (or still): the call goes on, an unanswered offer is sent again now. */
  back(): void {
    if (this.closed) return;
    this.awayWatch.stop();
    this.negotiation.resendOffer();
  }

  /** The DTLS fingerprint of the peer's connection, from its last description applied here. */
  get remoteFingerprint(): string | undefined {
    return fingerprintOf(this.pc.remoteDescription?.sdp);
  }

  /** The signalling is back after a drop: unanswered offer again, then a fresh negotiation (ICE restart). */
  signallingBack(): void {
    if (this.closed) return;
    this.negotiation.resendOffer();
    this.watchdog.signallingBack();
  }

  getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.negotiation.close();
    this.watchdog.close();
    this.awayWatch.stop();
    this.pc.removeEventListener('track', this.onTrack);
    this.pc.close();
    this.remote.clear();
    this.options.onRemoteChange();
  }

  private readonly onTrack = ({ track, transceiver, streams }: RTCTrackEvent) => {
    const id = `${this.options.peerId}:${transceiver.mid ?? track.id}`;
    const kind = track.kind === 'audio' ? 'audio' : 'video';
    const update = () => {
      if (this.closed || this.remote.get(id)?.track !== track) return;
      this.remote.set(id, { consumerId: id, producerId: id, userId: this.options.peerId, kind, track, paused: track.muted });
      this.options.onRemoteChange();
    };
    const drop = () => {
      if (this.remote.get(id)?.track !== track) return;
      this.remote.delete(id);
      this.options.onRemoteChange();
    };
    this.remote.set(id, { consumerId: id, producerId: id, userId: this.options.peerId, kind, track, paused: track.muted });
    track.addEventListener('mute', update);
    track.addEventListener('unmute', update);
    track.addEventListener('ended', drop);
    streams[0]?.addEventListener('removetrack', (event) => event.track === track && drop());
    this.options.onRemoteChange();
  };
}

/** The first `a=fingerprint` of a description: it names the connection (its DTLS certificate) that made it. */
export function fingerprintOf(sdp: string | undefined): string | undefined {
  return /^a=fingerprint:(.+)$/m.exec(sdp ?? '')?.[1]?.trim();
}
