/**
 * A stand-in for `RTCPeerConnection` (and `MediaStream`) in Node, for what the peer-to-peer media
 * manager does with them besides media: the signalling state machine of JSEP (offer, answer,
 * rollback of a colliding offer), `negotiationneeded` after `addTransceiver`, a direction change or `restartIce`,
 * one host candidate per description, `track` events for what the remote description sends, and a
 * connection state the test sets (`connected` by itself once a negotiation completes).
 *
 * The SDP is the fake's own: `a=fingerprint:` names the connection (as a DTLS certificate does),
 * `a=ice-ufrag:` changes on `restartIce`, one `m=<kind> <id>` line per transceiver sending. It proves
 * nothing about media (test/browser/p2p*.test.ts do that in Chromium): only who talks to whom.
 *
 * `installFakeWebRtc()` puts both on `globalThis` and returns what removes them.
 */
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';

let connections = 0;

/** Every fake connection made since the last install, in order. */
export const fakeConnections: FakePeerConnection[] = [];

export class FakeMediaStream extends EventTarget {
  readonly id = `stream-${Math.random().toString(36).slice(2, 8)}`;
  private readonly tracks: MediaStreamTrack[];
  constructor(tracks: MediaStreamTrack[] = []) {
    super();
    this.tracks = [...tracks];
  }
  addTrack(track: MediaStreamTrack): void {
    if (!this.tracks.includes(track)) this.tracks.push(track);
  }
  removeTrack(track: MediaStreamTrack): void {
    const index = this.tracks.indexOf(track);
    if (index >= 0) this.tracks.splice(index, 1);
  }
  getTracks(): MediaStreamTrack[] {
    return [...this.tracks];
  }
}

interface FakeSender {
  track: MediaStreamTrack | null;
  replaceTrack(track: MediaStreamTrack | null): Promise<void>;
}

/** A send transceiver: `direction` set by the manager (a change needs a negotiation). */
class FakeTransceiver {
  private current: RTCRtpTransceiverDirection;
  readonly kind: string;
  constructor(
    readonly sender: FakeSender,
    direction: RTCRtpTransceiverDirection,
    private readonly changed: () => void,
  ) {
    this.current = direction;
    this.kind = sender.track?.kind ?? 'video';
  }
  get direction(): RTCRtpTransceiverDirection {
    return this.current;
  }
  set direction(next: RTCRtpTransceiverDirection) {
    if (next === this.current) return;
    this.current = next;
    this.changed();
  }
  get receiver(): { track: { kind: string } } {
    return { track: { kind: this.kind } };
  }
}

type Description = { type: 'offer' | 'answer' | 'rollback'; sdp?: string };

export class FakePeerConnection extends EventTarget {
  readonly id = ++connections;
  readonly fingerprint = `FA:KE:${String(this.id).padStart(2, '0')}`;
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: { type: 'offer' | 'answer'; sdp: string } | null = null;
  remoteDescription: { type: 'offer' | 'answer'; sdp: string } | null = null;
  readonly candidates: RTCIceCandidateInit[] = [];
  private readonly sending: FakeTransceiver[] = [];
  private readonly received = new Map<string, MediaStreamTrack>();
  private ufrag = 1;
  /** The negotiation-needed flag: set by a change, cleared by an offer made (set again by its rollback). */
  private needed = false;
  private firing = false;

  constructor(readonly configuration?: RTCConfiguration) {
    super();
    fakeConnections.push(this);
  }

  /** Sets the connection state and fires `connectionstatechange`. */
  setConnectionState(state: RTCPeerConnectionState): void {
    if (this.connectionState === state || this.connectionState === 'closed') return;
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }

  /** The tracks the remote description sends, by id. */
  get remoteTrackIds(): string[] {
    return [...this.received.keys()];
  }

  addTransceiver(track: MediaStreamTrack, init: RTCRtpTransceiverInit = {}): FakeTransceiver {
    const sender: FakeSender = {
      track,
      replaceTrack: async (next) => {
        sender.track = next;
      },
    };
    const transceiver = new FakeTransceiver(sender, init.direction ?? 'sendrecv', () => this.needNegotiation());
    this.sending.push(transceiver);
    this.needNegotiation();
    return transceiver;
  }

  restartIce(): void {
    this.ufrag++;
    this.needNegotiation();
  }

  getTransceivers(): FakeTransceiver[] {
    return [...this.sending];
  }

  async getStats(): Promise<RTCStatsReport> {
    return new Map();
  }

  async setLocalDescription(description?: Description): Promise<void> {
    await Promise.resolve();
    this.assertOpen();
    if (description?.type === 'rollback') return this.rollback();
    const type = this.signalingState === 'have-remote-offer' ? 'answer' : 'offer';
    this.localDescription = { type, sdp: this.sdp(type) };
    if (type === 'offer') this.needed = false;
    this.signal(type === 'offer' ? 'have-local-offer' : 'stable');
    if (type === 'answer') this.negotiated();
    setTimeout(() => this.gather(), 0); // after the description's promise, as a browser does
  }

  async setRemoteDescription(description: Description): Promise<void> {
    await Promise.resolve();
    this.assertOpen();
    if (description.type === 'rollback') return this.rollback();
    if (description.type === 'offer') {
      if (this.signalingState === 'have-local-offer') this.rollback(); // the polite side's implicit rollback
      if (this.signalingState !== 'stable') throw new DOMException(`offer in ${this.signalingState}`, 'InvalidStateError');
      this.remoteDescription = { type: 'offer', sdp: description.sdp ?? '' };
      this.applyTracks(description.sdp ?? '');
      this.signal('have-remote-offer');
      return;
    }
    if (this.signalingState !== 'have-local-offer') throw new DOMException(`answer in ${this.signalingState}`, 'InvalidStateError');
    this.remoteDescription = { type: 'answer', sdp: description.sdp ?? '' };
    this.applyTracks(description.sdp ?? '');
    this.signal('stable');
    this.negotiated();
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    if (!this.remoteDescription) throw new DOMException('no remote description', 'InvalidStateError');
    this.candidates.push(candidate);
  }

  close(): void {
    if (this.signalingState === 'closed') return;
    this.signalingState = 'closed';
    this.connectionState = 'closed';
    for (const track of this.received.values()) (track as FakeMediaStreamTrack).stop();
  }

  private sdp(type: 'offer' | 'answer'): string {
    const lines = ['v=0', `o=- ${this.id} ${type}`, `a=fingerprint:sha-256 ${this.fingerprint}`, `a=ice-ufrag:u${this.id}x${this.ufrag}`];
    this.sending.forEach((transceiver, index) => {
      if (transceiver.direction === 'sendonly' || transceiver.direction === 'sendrecv')
        lines.push(`m=${transceiver.kind} ${this.id}-${index}`);
    });
    return `${lines.join('\r\n')}\r\n`;
  }

  private applyTracks(sdp: string): void {
    for (const [, kind, id] of sdp.matchAll(/^m=(audio|video) (\S+)$/gm)) {
      if (this.received.has(id!)) continue;
      const track = new FakeMediaStreamTrack({ kind: kind! }) as unknown as MediaStreamTrack;
      this.received.set(id!, track);
      const event = Object.assign(new Event('track'), { track, transceiver: { mid: id }, streams: [] });
      queueMicrotask(() => this.dispatchEvent(event));
    }
  }

  private rollback(): void {
    if (this.localDescription?.type === 'offer') this.needed = true; // what it carried is not negotiated
    this.localDescription = null;
    this.signal('stable');
  }

  private negotiated(): void {
    if (this.connectionState === 'new' || this.connectionState === 'connecting') this.setConnectionState('connected');
  }

  private gather(): void {
    if (this.signalingState === 'closed') return;
    const candidate = { candidate: `candidate:${this.id} 1 udp 1 192.0.2.${this.id % 250} 9 typ host`, sdpMid: '0', sdpMLineIndex: 0 };
    this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate }));
  }

  private signal(state: RTCSignalingState): void {
    if (this.signalingState === state) return;
    this.signalingState = state;
    this.dispatchEvent(new Event('signalingstatechange'));
    if (state === 'stable') this.fireIfNeeded();
  }

  /** `negotiationneeded` once stable (a change made during a negotiation waits for its end), again after each negotiation while still needed. */
  private needNegotiation(): void {
    this.needed = true;
    this.fireIfNeeded();
  }

  private fireIfNeeded(): void {
    if (!this.needed || this.firing || this.signalingState !== 'stable') return;
    this.firing = true;
    queueMicrotask(() => {
      this.firing = false;
      if (this.needed && this.signalingState === 'stable') this.dispatchEvent(new Event('negotiationneeded'));
    });
  }

  private assertOpen(): void {
    if (this.signalingState === 'closed') throw new DOMException('closed', 'InvalidStateError');
  }
}

/** Camera and microphone of fake tracks, as `navigator.mediaDevices`. */
export const fakeMediaDevices = {
  getUserMedia: async (constraints: MediaStreamConstraints) =>
    new FakeMediaStream([new FakeMediaStreamTrack({ kind: constraints.video ? 'video' : 'audio' })]) as unknown as MediaStream,
};

/** Puts the fakes on `globalThis` (RTCPeerConnection, MediaStream); returns what removes them. */
export function installFakeWebRtc(): () => void {
  const globals = globalThis as Record<string, unknown>;
  const saved = { RTCPeerConnection: globals.RTCPeerConnection, MediaStream: globals.MediaStream };
  globals.RTCPeerConnection = FakePeerConnection;
  globals.MediaStream = FakeMediaStream;
  fakeConnections.length = 0;
  return () => {
    globals.RTCPeerConnection = saved.RTCPeerConnection;
    globals.MediaStream = saved.MediaStream;
    fakeConnections.length = 0;
  };
}
