import type { Scheduler, TimerHandle } from '../../core/scheduler.js';
import type { PeerMessage, PeerMessageData, PeerMessageKind } from './peer-signalling.js';

/**
 * Which side yields when both offer at once: the peer whose user id sorts first is polite (it
 * rolls its own offer back), the other impolite (it ignores the colliding offer). Deterministic:
 * both sides compute the same answer from the two ids, with no message exchanged.
 */
export function isPolite(localId: string, remoteId: string): boolean {
  return localId < remoteId;
}

/** What the negotiation knows when a description arrives. */
export interface NegotiationState {
  readonly makingOffer: boolean;
  readonly signalingState: RTCSignalingState;
  /** An answer is being applied (the state is `have-local-offer` but about to be `stable`). */
  readonly settingRemoteAnswer: boolean;
  readonly polite: boolean;
}

/** What to do with an incoming description (the perfect negotiation pattern of the WebRTC spec). */
export type DescriptionDecision =
  /** Apply it (a colliding offer on the polite side: `setRemoteDescription` rolls the own offer back). */
  | 'apply'
  /** The impolite side's answer to a collision: its own offer wins. */
  | 'ignore'
  /** An answer with no offer of ours pending (a duplicate after a re-sent offer): drop it. */
  | 'stale';

/** Decides the fate of an incoming offer or answer. */
export function decide(type: 'offer' | 'answer', state: NegotiationState): DescriptionDecision {
  if (type === 'answer') return state.signalingState === 'have-local-offer' ? 'apply' : 'stale';
  const readyForOffer = !state.makingOffer && (state.signalingState === 'stable' || state.settingRemoteAnswer);
  return !readyForOffer && !state.polite ? 'ignore' : 'apply';
}

/** How the negotiation of one peer connection talks to the rest. */
export interface NegotiationOptions {
  readonly polite: boolean;
  readonly scheduler: Scheduler;
  /** Sends to this peer (queued by the caller while the signalling is down). */
  readonly send: <K extends PeerMessageKind>(kind: K, data: PeerMessageData[K]) => void;
  /** Whether the signalling is up now (an unanswered offer is re-sent only then). */
  readonly connected: () => boolean;
  /** A failure nothing awaits. */
  readonly report: (message: string, error: unknown) => void;
  /** An offer unanswered this long is sent again (it may have been lost: no acks on a relay). */
  readonly offerRetryMs: number;
  /**
   * The polite side's first offer waits this long for the peer's (0: no wait). When both sides
   * start a call at once (presence tells each about the other), the impolite side's offer then
   * usually comes first, is answered, and the polite side offers its own sources after: no
   * collision on the first offer. (Chromium 156, made to roll back its very first offer while
   * it is being made, sometimes never gathers a candidate again on that connection, ICE restarts
   * included: about one call in eight set up by presence on two pages.)
   */
  readonly firstOfferDelayMs?: number;
}

/**
 * The perfect negotiation pattern on one `RTCPeerConnection`: offers made on
 * `negotiationneeded` with `setLocalDescription()` (no arguments), collisions settled by
 * politeness, incoming messages handled one at a time in arrival order, candidates that arrive
 * before their description held until it is applied and those of an ignored offer dropped.
 */
export class PerfectNegotiation {
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private chain: Promise<void> = Promise.resolve();
  private held: RTCIceCandidateInit[] = [];
  private retry: TimerHandle | undefined;
  private retries = 0;
  private closed = false;
  /** A description was applied here, local or remote: the first offer is past. */
  private started = false;
  private firstOfferTimer: TimerHandle | undefined;

  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly options: NegotiationOptions,
  ) {
    pc.addEventListener('negotiationneeded', this.onNegotiationNeeded);
    pc.addEventListener('icecandidate', this.onIceCandidate);
    pc.addEventListener('signalingstatechange', this.onSignalingState);
  }

  /** Handles a message from the peer, after the ones before it. */
  receive(message: PeerMessage): Promise<void> {
    const next = this.chain.then(() => this.handle(message));
    this.chain = next.catch((error: unknown) => this.options.report(`could not apply the peer's ${message.kind}`, error));
    return this.chain;
  }

  /** Sends the offer still waiting for its answer again (the signalling came back, or it went unanswered). */
  resendOffer(): void {
    const offer = this.pc.localDescription;
    if (this.closed || this.pc.signalingState !== 'have-local-offer' || offer?.type !== 'offer') return;
    this.options.send('offer', { type: 'offer', sdp: offer.sdp });
  }

  close(): void {
    this.closed = true;
    this.options.scheduler.clear(this.retry);
    this.options.scheduler.clear(this.firstOfferTimer);
    this.pc.removeEventListener('negotiationneeded', this.onNegotiationNeeded);
    this.pc.removeEventListener('icecandidate', this.onIceCandidate);
    this.pc.removeEventListener('signalingstatechange', this.onSignalingState);
  }

  private async handle(message: PeerMessage): Promise<void> {
    if (this.closed) return;
    if (message.kind === 'candidate') return this.addCandidate(message.data);
    const description = message.data;
    const decision = decide(description.type, {
      makingOffer: this.makingOffer,
      signalingState: this.pc.signalingState,
      settingRemoteAnswer: this.settingRemoteAnswer,
      polite: this.options.polite,
    });
    if (decision === 'stale') return;
    this.ignoreOffer = decision === 'ignore';
    if (this.ignoreOffer) {
      this.held = [];
      return;
    }
    this.settingRemoteAnswer = description.type === 'answer';
    this.started = true;
    try {
      await this.pc.setRemoteDescription(description); // a colliding offer rolls ours back (polite side)
    } finally {
      this.settingRemoteAnswer = false;
    }
    await this.flushHeld();
    if (description.type === 'offer') {
      await this.pc.setLocalDescription();
      const answer = this.pc.localDescription;
      if (answer?.type === 'answer') this.options.send('answer', { type: 'answer', sdp: answer.sdp });
    }
  }

  private async addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    if (!this.pc.remoteDescription) {
      if (!this.ignoreOffer) this.held.push(candidate); // its description is on its way or being applied
      return;
    }
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (error) {
      if (!this.ignoreOffer) throw error; // else: a candidate of the offer we ignored
    }
  }

  private async flushHeld(): Promise<void> {
    const held = this.held;
    this.held = [];
    for (const candidate of held) await this.addCandidate(candidate);
  }

  private readonly onNegotiationNeeded = () => {
    const delay = this.options.firstOfferDelayMs ?? 0;
    if (this.started || !this.options.polite || delay <= 0) return this.makeOffer();
    // The first offer, on the polite side: the peer's may be on its way. If it comes, the
    // connection asks again (negotiationneeded) once it is answered; if not, ours goes.
    this.firstOfferTimer ??= this.options.scheduler.setTimeout(() => {
      this.firstOfferTimer = undefined;
      if (!this.started && !this.closed && this.pc.signalingState === 'stable') this.makeOffer();
    }, delay);
  };

  private makeOffer(): void {
    this.options.scheduler.clear(this.firstOfferTimer);
    this.firstOfferTimer = undefined;
    this.started = true;
    void (async () => {
      try {
        this.makingOffer = true;
        await this.pc.setLocalDescription();
        const offer = this.pc.localDescription;
        if (offer?.type !== 'offer' || this.closed) return;
        this.options.send('offer', { type: 'offer', sdp: offer.sdp });
        this.retries = 0;
        this.armRetry();
      } catch (error) {
        this.options.report('could not make an offer', error);
      } finally {
        this.makingOffer = false;
      }
    })();
  }

  private readonly onIceCandidate = ({ candidate }: RTCPeerConnectionIceEvent) => {
    if (!candidate || this.closed) return; // null: gathering complete
    const { sdpMid, sdpMLineIndex, usernameFragment } = candidate;
    this.options.send('candidate', { candidate: candidate.candidate, sdpMid, sdpMLineIndex, usernameFragment });
  };

  private readonly onSignalingState = () => {
    if (this.pc.signalingState !== 'have-local-offer') {
      this.options.scheduler.clear(this.retry);
      this.retry = undefined;
    }
  };

  /** Re-sends an unanswered offer, backing off up to four times the period. */
  private armRetry(): void {
    this.options.scheduler.clear(this.retry);
    const delay = this.options.offerRetryMs * Math.min(4, 2 ** this.retries);
    this.retry = this.options.scheduler.setTimeout(() => {
      this.retry = undefined;
      if (this.closed || this.pc.signalingState !== 'have-local-offer') return;
      if (this.options.connected()) this.resendOffer();
      this.retries++;
      this.armRetry();
    }, delay);
  }
}
