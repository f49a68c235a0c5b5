import type { Subscription } from 'rxjs';
import { peerError } from './peer-error.js';
import type { PeerMessageData, PeerMessageKind, PeerSignalling } from './peer-signalling.js';

type Queued = { [K in PeerMessageKind]: { kind: K; to: string | undefined; data: PeerMessageData[K] } }[PeerMessageKind];

/** Messages kept while the signalling is down, at most (the oldest candidates go first). */
const LIMIT = 500;

/**
 * The one way out to the peers: sends now while the signalling is up, holds messages while it is
 * down (never sent into a dead socket, nor replayed by it into a room not joined again yet) and
 * sends them in order once it is back.
 */
export class Outbox {
  private queued: Queued[] = [];
  private readonly subscription: Subscription;

  constructor(private readonly signalling: PeerSignalling) {
    this.subscription = signalling.connected$.subscribe((connected) => connected && this.flush());
  }

  /** Messages waiting for the signalling. */
  get pending(): number {
    return this.queued.length;
  }

  send<K extends PeerMessageKind>(kind: K, to: string | undefined, data: PeerMessageData[K]): void {
    if (!this.signalling.connected || this.queued.length > 0) {
      this.queued.push({ kind, to, data } as Queued);
      if (this.queued.length > LIMIT) this.dropOldestCandidate();
      if (this.signalling.connected) this.flush();
      return;
    }
    this.transmit({ kind, to, data } as Queued);
  }

  /** Forgets what was queued for one peer (it left). */
  forget(peerId: string): void {
    this.queued = this.queued.filter((message) => message.to !== peerId);
  }

  close(): void {
    this.subscription.unsubscribe();
    this.queued = [];
  }

  private flush(): void {
    while (this.queued.length > 0 && this.signalling.connected) this.transmit(this.queued.shift()!);
  }

  private transmit(message: Queued): void {
    this.signalling
      .send(message.kind, message.to, message.data)
      .catch((error: unknown) => this.signalling.report(peerError(`could not send the ${message.kind}`, error)));
  }

  private dropOldestCandidate(): void {
    const index = this.queued.findIndex((message) => message.kind === 'candidate');
    this.queued.splice(index === -1 ? 0 : index, 1);
  }
}
