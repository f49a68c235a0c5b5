import { BehaviorSubject, type Observable } from 'rxjs';
import type { RemoteTrack } from '../types.js';
import type { CallSource, CallSources } from './call-sources.js';
import type { PeerLink } from './peer-link.js';

/**
 * The calls in progress, one {@link PeerLink} per peer, what they add up to (the peers and their
 * tracks), and the local sources sent on each of them.
 */
export class PeerCalls {
  private readonly links = new Map<string, PeerLink>();
  private readonly peers = new BehaviorSubject<readonly string[]>([]);
  private readonly remote = new BehaviorSubject<readonly RemoteTrack[]>([]);
  readonly peers$: Observable<readonly string[]> = this.peers.asObservable();
  readonly remote$: Observable<readonly RemoteTrack[]> = this.remote.asObservable();

  /** @param report a source that could not be sent on a call (the others are unaffected). */
  constructor(
    private readonly sources: CallSources,
    private readonly report: (link: PeerLink, message: string, error: unknown) => void,
  ) {}

  get remoteTracks(): readonly RemoteTrack[] {
    return this.remote.value;
  }

  get(peerId: string): PeerLink | undefined {
    return this.links.get(peerId);
  }

  all(): PeerLink[] {
    return [...this.links.values()];
  }

  add(link: PeerLink): void {
    this.links.set(link.peerId, link);
    this.peers.next([...this.links.keys()]);
  }

  /** Takes a call out (closing it, which updates the tracks, is the caller's); undefined if there was none. */
  remove(peerId: string): PeerLink | undefined {
    const link = this.links.get(peerId);
    if (!link) return undefined;
    this.links.delete(peerId);
    this.peers.next([...this.links.keys()]);
    return link;
  }

  /** A call's remote tracks changed. */
  remoteChanged(): void {
    this.remote.next(this.all().flatMap((link) => link.remoteTracks));
  }

  /** Sends a source on every call: its track, or `null` while it is muted. */
  async send(source: CallSource, outgoing: MediaStreamTrack | null, track: MediaStreamTrack): Promise<void> {
    await Promise.all(this.all().map((link) => this.sendOn(link, source, outgoing, track)));
  }

  /** Sends every local source on one call (a new one), muted ones as `null`. */
  sendSources(link: PeerLink): void {
    for (const [source, { track, enabled }] of this.sources.entriesNow()) void this.sendOn(link, source, enabled ? track : null, track);
  }

  /** Stops sending a source on every call (renegotiated). */
  unsend(source: CallSource): void {
    for (const link of this.all()) link.unsend(source);
  }

  complete(): void {
    this.peers.complete();
    this.remote.complete();
  }

  private sendOn(link: PeerLink, source: CallSource, outgoing: MediaStreamTrack | null, track: MediaStreamTrack): Promise<void> {
    return link
      .send(source, outgoing, track, this.sources.stream ?? new MediaStream([track]))
      .catch((error: unknown) => this.report(link, `could not send the ${source}`, error));
  }
}
