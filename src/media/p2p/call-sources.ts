import { BehaviorSubject, type Observable } from 'rxjs';
import type { LocalSource } from '../types.js';

/** A source of the call: camera or microphone. */
export type CallSource = Exclude<LocalSource, 'screen'>;

/** A local track being sent, and whether it is muted (`enabled: false`: the senders send `null`). */
export interface CallTrack {
  track: MediaStreamTrack;
  enabled: boolean;
}

/**
 * The local tracks of a call, in one `MediaStream` (its id is the `msid` the peers group them by,
 * for lip sync), with `localTracks$`, and a source stopped when its device goes away.
 */
export class CallSources {
  private readonly entries = new Map<CallSource, CallTrack>();
  private readonly subject = new BehaviorSubject<Partial<Record<LocalSource, MediaStreamTrack>>>({});
  /** Every local track of the call (undefined where the platform has no `MediaStream`, as Node). */
  readonly stream: MediaStream | undefined = typeof MediaStream === 'function' ? new MediaStream() : undefined;
  readonly local$: Observable<Partial<Record<LocalSource, MediaStreamTrack>>> = this.subject.asObservable();

  /** @param onEnded a track ended by itself (device unplugged, permission revoked). */
  constructor(private readonly onEnded: (source: CallSource) => void) {}

  get(source: CallSource): CallTrack | undefined {
    return this.entries.get(source);
  }

  entriesNow(): [CallSource, CallTrack][] {
    return [...this.entries];
  }

  /** Adds a source, or puts a new track in its place (returned: the old one, not stopped). */
  set(source: CallSource, track: MediaStreamTrack): MediaStreamTrack | undefined {
    const entry = this.entries.get(source);
    const old = entry?.track;
    if (old) this.stream?.removeTrack(old);
    if (entry) entry.track = track;
    else this.entries.set(source, { track, enabled: true });
    this.stream?.addTrack(track);
    track.addEventListener('ended', () => this.entries.get(source)?.track === track && this.onEnded(source), { once: true });
    this.emit();
    return old;
  }

  /** Removes a source (its track returned, not stopped). */
  delete(source: CallSource): MediaStreamTrack | undefined {
    const entry = this.entries.get(source);
    if (!entry) return undefined;
    this.entries.delete(source);
    this.stream?.removeTrack(entry.track);
    this.emit();
    return entry.track;
  }

  /** Stops every track. */
  close(): void {
    for (const { track } of this.entries.values()) track.stop();
    this.entries.clear();
    this.subject.complete();
  }

  private emit(): void {
    const tracks: Partial<Record<LocalSource, MediaStreamTrack>> = {};
    for (const [source, { track }] of this.entries) tracks[source] = track;
    this.subject.next(tracks);
  }
}
