import { concat, defer, from, Subject, type Observable } from 'rxjs';
import type { PeerDeparture } from './peer-signalling.js';

/**
 * Who is in the signalling room besides this peer, from what a signalling adapter hears: the list
 * the server gives after a join, and each join and departure after it. Gives the port's
 * `peerJoined$` (the peers present now on subscribing, then each arrival) and `peerLeft$`.
 *
 * A list after a re-join is the truth now: a peer known before and missing from it left while this
 * side was away, for a reason it cannot know (`disconnected`: its media may still flow, as when
 * both sides come back from a server restart one after the other).
 */
export class RoomPresence {
  private readonly present = new Set<string>();
  private readonly joined = new Subject<string>();
  private readonly left = new Subject<PeerDeparture>();
  readonly joined$: Observable<string> = defer(() => concat(from([...this.present]), this.joined));
  readonly left$: Observable<PeerDeparture> = this.left.asObservable();

  constructor(private readonly self: string) {}

  /** The peers present now. */
  get peers(): readonly string[] {
    return [...this.present];
  }

  /** The server's list after a join: each listed peer joined (or is still there), the others gone. */
  snapshot(peers: readonly string[]): void {
    const listed = new Set(peers.filter((peer) => peer !== this.self));
    for (const peer of [...this.present]) if (!listed.has(peer)) this.leave(peer, 'disconnected');
    for (const peer of listed) this.join(peer);
  }

  join(peer: string): void {
    if (peer === this.self) return;
    this.present.add(peer);
    this.joined.next(peer);
  }

  /** A departure (told even for a peer not heard of: it may have come in by its first offer). */
  leave(peer: string, reason: PeerDeparture['reason']): void {
    if (peer === this.self) return;
    this.present.delete(peer);
    this.left.next({ peerId: peer, reason });
  }

  close(): void {
    this.present.clear();
    this.joined.complete();
    this.left.complete();
  }
}
