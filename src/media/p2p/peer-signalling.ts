import type { Observable } from 'rxjs';
import type { HcwError } from '../../core/errors.js';
import type { Scheduler } from '../../core/scheduler.js';

/** What peers exchange to negotiate: a session description, or one ICE candidate. */
export type PeerMessageKind = 'offer' | 'answer' | 'candidate';

/** The payload of each kind: a description (`RTCSessionDescriptionInit` on the wire) or a candidate. */
export interface PeerMessageData {
  readonly offer: { readonly type: 'offer'; readonly sdp: string };
  readonly answer: { readonly type: 'answer'; readonly sdp: string };
  readonly candidate: {
    readonly candidate: string;
    readonly sdpMid?: string | null;
    readonly sdpMLineIndex?: number | null;
    readonly usernameFragment?: string | null;
  };
}

/** A message from another peer, as the signalling delivers it. */
export type PeerMessage = {
  [K in PeerMessageKind]: {
    readonly kind: K;
    /** The sender's user id. */
    readonly from: string;
    /** The addressee, where the signalling carries one (absent: everyone in the room). */
    readonly to?: string;
    readonly data: PeerMessageData[K];
  };
}[PeerMessageKind];

/**
 * A peer gone from the room, as the signalling tells it. `left`: on purpose (hung up, left the
 * room): its call ends at once. `disconnected`: its signalling was lost, or the signalling cannot
 * tell why: it may come back, and its media may still flow (peer-to-peer media does not go through
 * the server), so its call ends only once its connection is down too.
 */
export interface PeerDeparture {
  readonly peerId: string;
  readonly reason: 'left' | 'disconnected';
}

/**
 * What peer-to-peer media needs from a signalling channel, and nothing else: the seam between
 * `PeerMediaManager` and a client. Adapters: `root-prefixed-signalling.ts` (the root-prefixed
 * contract's `webrtc:*` events over Socket.IO); unit tests implement it in memory.
 *
 * A channel without addressing (`to`) or presence still fits: `send` may broadcast, and
 * `peerJoined$`/`peerLeft$` may never fire (peers are then named by the app, or appear with
 * their first message).
 */
export interface PeerSignalling {
  /** This peer's user id, as the other peers see it in `from`. */
  readonly userId: string;
  readonly scheduler: Scheduler;
  /** Whether a message sent now reaches the other peers (connected, and in the room). */
  readonly connected: boolean;
  /** `connected`, starting with the current value. */
  readonly connected$: Observable<boolean>;
  /** Fires when the signalling is back after being down (once `connected` is true again). */
  readonly reconnected$: Observable<void>;
  /** Messages from the other peers (never this peer's own); `to` another peer is already dropped. */
  readonly messages$: Observable<PeerMessage>;
  /**
   * What the signalling tells of who is in the room. `list`: a joining peer learns who is there
   * (and after every re-join), the others of its arrival — both sides of a new pair start a call at
   * once. `arrivals`: only the others learn of a newcomer (its calls start with their offers), and a
   * departure missed while this side was away is never told. Absent: no presence at all.
   */
  readonly presence?: 'list' | 'arrivals';
  /**
   * The peers in the room (where the signalling tells): on subscribing, each one present now, then
   * each that enters, or comes back after a departure.
   */
  readonly peerJoined$: Observable<string>;
  /** A peer gone from the room (where the signalling tells), and how. */
  readonly peerLeft$: Observable<PeerDeparture>;
  /**
   * Sends one message, to one peer where the signalling can address it (else to the room).
   * Callers send only while `connected`; rejects when the message could not be sent.
   */
  send<K extends PeerMessageKind>(kind: K, to: string | undefined, data: PeerMessageData[K]): Promise<void>;
  /** An error nothing awaits, for the app (`errors$` of the client). */
  report(error: HcwError): void;
  /** Stops what the adapter started (leaves its room); called by the manager's `dispose()`. */
  close?(): void;
}
