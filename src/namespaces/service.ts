import type { Observable } from 'rxjs';
import type {
  ClientEventName,
  IncomingPayload,
  NamespaceSpec,
  OutgoingPayload,
  RequestEventName,
  RequestResult,
  ServerEventName,
  AckEventName,
  AckPayload,
} from '../contract/index.js';
import type { Channel, RequestOptions } from '../core/channel.js';
import type { ConnectionState } from '../core/connection-state.js';
import { Rooms, type RoomJoined } from '../core/rooms.js';

/**
 * The public face of one namespace over the client's shared connection: typed `on`, `emit`,
 * `request` and the namespace's state. The channel behind it (socket, state machine, queue) is
 * private by construction: nothing here can forge a state, dispose the namespace or write to the
 * socket unvalidated. Namespace services add their conveniences on top.
 */
export class NamespaceService<NS extends NamespaceSpec> {
  readonly #channel: Channel<NS>;
  #rooms: Rooms<NS> | undefined;
  /** This namespace's connection state, starting with the current one. */
  readonly state$: Observable<ConnectionState>;
  /** Fires after a reconnection the server could not recover: state may have been missed. */
  readonly resync$: Observable<void>;

  constructor(channel: Channel<NS>) {
    this.#channel = channel;
    this.state$ = channel.state$;
    this.resync$ = channel.resync$;
  }

  /** The namespace path, e.g. `/chat`. */
  get name(): NS['name'] {
    return this.#channel.name;
  }

  /** The namespace's contract (events, payload schemas). */
  get spec(): NS {
    return this.#channel.spec;
  }

  /** Current connection state. */
  get state(): ConnectionState {
    return this.#channel.state;
  }

  /** Whether the namespace is connected right now. */
  get connected(): boolean {
    return this.#channel.connected;
  }

  /**
   * Validated payloads of a server→client event, shared by all subscribers. A payload lacking what
   * the SDK needs is reported on `errors$` and skipped; one broken elsewhere only is delivered.
   */
  on<E extends ServerEventName<NS>>(event: E): Observable<IncomingPayload<NS, E>> {
    return this.#channel.on(event);
  }

  /**
   * Sends a client→server event after validating it; resolves once written (or queued and then
   * flushed), or with the validated ack for acknowledged events. Rejects, sending nothing, on an
   * invalid payload, a full queue, or a namespace that will not reconnect by itself.
   */
  emit<E extends ClientEventName<NS>>(
    event: E,
    payload: OutgoingPayload<NS, E>,
  ): Promise<E extends AckEventName<NS> ? AckPayload<NS, E> : void> {
    return this.#channel.emit(event, payload);
  }

  /**
   * Sends a request and resolves with its answer (the ack, or the first matching response event).
   * Rejects at once on the server's refusal, else on timeout.
   */
  /**
   * Stays in a room of the contract (`rooms`) while subscribed: joined (with `params`, the join
   * event's payload) on the first subscription, left on the last unsubscribe, joined again after
   * every reconnection the server could not recover. Emits on each join; errors when the server
   * refuses it.
   */
  room<R extends keyof NonNullable<NS['rooms']> & string>(room: R, params: RoomParams<NS, R>): Observable<RoomJoined> {
    this.#rooms ??= new Rooms(this.#channel);
    return this.#rooms.stayIn(room, params);
  }

  request<E extends RequestEventName<NS>>(
    event: E,
    payload: OutgoingPayload<NS, E>,
    options?: RequestOptions<RequestResult<NS, E>>,
  ): Promise<RequestResult<NS, E>> {
    return this.#channel.request(event, payload, options);
  }
}

/** The join payload of room `R` of `NS`. */
export type RoomParams<NS extends NamespaceSpec, R extends keyof NonNullable<NS['rooms']>> = NonNullable<NS['rooms']>[R] extends {
  join: infer J extends string;
}
  ? J extends ClientEventName<NS>
    ? OutgoingPayload<NS, J>
    : never
  : never;
