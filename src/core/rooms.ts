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
  readonly params: unknown;
  readonly subscribers: Set<{ next(value: RoomJoined): void; error(error: unknown): void }>;
  joins: number;
}

/**
 * The rooms of one namespace that are joined by an event (the contract's `rooms`): refcounted per
 * room and parameters (joined on the first subscriber, left on the last), joined again after every
 * reconnection the server could not recover (the server lost its rooms with the session). A refused
 * join errors every subscriber of that room with the server's reason.
 */
export class Rooms<NS extends NamespaceSpec> {
  private readonly active = new Map<string, ActiveRoom>();
  private readonly resync: Subscription;

  constructor(private readonly channel: Channel<NS>) {
    this.resync = channel.resync$.subscribe(() => {
      for (const entry of this.active.values()) this.join(entry);
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
      entry ??= { room, params, subscribers: new Set(), joins: 0 };
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
    const { join } = this.channel.spec.rooms![entry.room]!;
    const rejoined = entry.joins > 0;
    entry.joins++;
    this.send(join, entry.params).then(
      (answer) => {
        for (const subscriber of [...entry.subscribers]) subscriber.next({ room: entry.room, answer, rejoined });
      },
      (error: unknown) => {
        // The connection dropping before the answer is not a refusal: the next resync joins again.
        if (error instanceof HcwError && (error.reason === 'disconnected' || error.reason === 'timeout')) return;
        this.active.forEach((candidate, key) => candidate === entry && this.active.delete(key));
        for (const subscriber of [...entry.subscribers]) subscriber.error(error);
      },
    );
  }

  /** A request where the contract says how the server answers, else a plain emit. */
  private send(event: string, params: unknown): Promise<unknown> {
    const entry = eventSpec(this.channel.spec, event)!;
    const answered = entry.ack !== undefined || (entry.responses?.length ?? 0) > 0;
    // The room's events are the contract's, known here only as strings.
    const channel = this.channel as unknown as Record<'request' | 'emit', (e: string, p: unknown) => Promise<unknown>>;
    return answered ? channel.request(event, params) : channel.emit(event, params);
  }
}
