import { Observable, type Subscription } from 'rxjs';
import { eventSpec, type NamespaceSpec } from '../contract/index.js';
import type { Channel } from './channel.js';
import { HcwError } from './errors.js';

/** Emitted by a room subscription each time the room is joined (first time, then after each resync). */
export interface RoomJoined {
  readonly room: string;
  /** The server's answer to the join (its ack or response event), when the contract declares one. */
  readonly answer: unknown;
  /** Joined again after a reconnection the server did not recover. */
  readonly rejoined: boolean;
}

interface ActiveRoom {
  readonly room: string;
  /** The join event. */
  readonly join: string;
  readonly params: unknown;
  readonly subscribers: Set<{ next(value: RoomJoined): void; error(error: unknown): void }>;
  joins: number;
  /** A join the server answers only to refuse (no ack, no response), sent and not yet written. */
  unwritten?: boolean;
}

/**
 * The rooms of one namespace that are joined by an event (the contract's `rooms`): refcounted per
 * room and parameters (joined on the first subscriber, left on the last), joined again after every
 * reconnection the server could not recover (the server lost its rooms with the session). A refused
 * join errors every subscriber of that room with the server's reason: a failure ack, a refusal
 * event (`error { event }`, `exception`) about it, attributed by the channel as it attributes them
 * to requests (`PendingRequests`). A join the server answers only to refuse (no ack, no
 * response) is never known to have been accepted: it is tracked as a pending request from its
 * write (in wire order) for `requestTimeoutMs`. Two such joins of one event in that time: an
 * `error { event }` ends the older one, as for requests.
 */
export class Rooms<NS extends NamespaceSpec> {
  private readonly active = new Map<string, ActiveRoom>();
  private readonly resync: Subscription;

  constructor(private readonly channel: Channel<NS>) {
    this.resync = channel.resync$.subscribe(() => {
      for (const entry of this.active.values()) this.join(entry);
    });
    // Every packet as written (queued ones when flushed). The service creates Rooms with the channel alone.
    channel.socket.onAnyOutgoing((event: string, payload: unknown) => {
      const entry = [...this.active.values()].find(
        (candidate) => candidate.unwritten && candidate.params === payload && candidate.join === event,
      );
      if (!entry) return;
      entry.unwritten = false;
      channel.watchRefusal(event, (error) => this.fail(entry, error));
    });
  }

  /** Stays in `room` (with the join payload `params`) while subscribed. */
  stayIn(room: string, params: unknown): Observable<RoomJoined> {
    const spec = this.channel.spec.rooms?.[room];
    if (!spec) {
      throw new HcwError('unsupported', `${this.channel.spec.name}: no room "${room}" in the contract`, {
        namespace: this.channel.spec.name,
      });
    }
    const key = `${room} ${JSON.stringify(params)}`;
    return new Observable<RoomJoined>((subscriber) => {
      let entry = this.active.get(key);
      const first = !entry;
      entry ??= { room, join: spec.join, params, subscribers: new Set(), joins: 0 };
      this.active.set(key, entry);
      entry.subscribers.add(subscriber);
      if (first) this.join(entry);
      return () => {
        entry.subscribers.delete(subscriber);
        if (entry.subscribers.size > 0 || this.active.get(key) !== entry) return;
        this.active.delete(key);
        if (spec.leave && this.channel.connected) this.send(spec.leave, params).catch(() => undefined);
      };
    });
  }

  dispose(): void {
    this.resync.unsubscribe();
    this.active.clear();
  }

  private join(entry: ActiveRoom): void {
    const rejoined = entry.joins > 0;
    entry.joins++;
    this.send(entry.join, entry.params, entry).then(
      (answer) => {
        for (const subscriber of [...entry.subscribers]) subscriber.next({ room: entry.room, answer, rejoined });
      },
      (error: unknown) => {
        // The connection dropping before the answer is not a refusal: the next resync joins again.
        if (error instanceof HcwError && (error.reason === 'disconnected' || error.reason === 'timeout')) return;
        this.fail(entry, error);
      },
    );
  }

  private fail(entry: ActiveRoom, error: unknown): void {
    this.active.forEach((candidate, key) => candidate === entry && this.active.delete(key));
    for (const subscriber of [...entry.subscribers]) subscriber.error(error);
  }

  /** A request where the contract says how the server answers, else a plain emit (a join: tracked once written). */
  private send(event: string, params: unknown, join?: ActiveRoom): Promise<unknown> {
    const entry = eventSpec(this.channel.spec, event)!;
    const answered = entry.ack !== undefined || (entry.responses?.length ?? 0) > 0;
    // The room's events are the contract's, known here only as strings.
    const channel = this.channel as unknown as Record<'request' | 'emit', (e: string, p: unknown) => Promise<unknown>>;
    if (answered) return channel.request(event, params);
    if (join) join.unwritten = true;
    return channel.emit(event, params);
  }
}
