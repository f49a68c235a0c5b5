import { type Observable, Subject, filter, map, merge, take, type Subscription } from 'rxjs';
import {
  checkAck,
  checkIncoming,
  checkPayload,
  guardOf,
  eventSpec,
  type AckEventName,
  type AckPayload,
  type ClientEventName,
  type IncomingPayload,
  type NamespaceSpec,
  type OutgoingPayload,
  type RequestEventName,
  type RequestResult,
  type ServerEventName,
} from '../contract/index.js';
import { ConnectionStateMachine, isSettledState, type ConnectionState } from './connection-state.js';
import { HcwError, type HcwErrorReason } from './errors.js';
import { EventTap } from './event-tap.js';
import type { ResolvedOptions } from './options.js';
import { PendingRequests } from './pending-requests.js';
import type { TransportSocket } from './transport-socket.js';

/** Per-call options of {@link Channel.request}. */
export interface RequestOptions<T> {
  /** Overrides the client's `requestTimeoutMs`. */
  timeoutMs?: number;
  /** Accept only responses for which this returns true (e.g. same `clientUuid`). */
  match?: (response: T) => boolean;
  /** Ack calls only: re-send this many times after a timeout (at-least-once; make the call idempotent). */
  retries?: number;
}

/** What a channel needs from the connection that owns it. */
export interface ChannelHost {
  readonly options: ResolvedOptions;
  report(error: HcwError): void;
  /** Reports a payload delivered despite breaking the contract in fields nothing needs (deduplicated by the host). */
  reportDrift(error: HcwError): void;
  /** Called by the channel on `connect_error`; the host decides whether to retry. */
  onConnectError(channel: Channel<NamespaceSpec>, error: Error & { data?: unknown }): void;
}

const textEncoder = new TextEncoder();

/**
 * A server payload that lacks what the SDK needs, inside the shared stream of its event: `on()`
 * skips it, a request waiting for that event fails with its error at once.
 */
class Refused {
  constructor(
    readonly error: HcwError,
    readonly payload: unknown,
  ) {}
}
const isDelivered = (value: unknown) => !(value instanceof Refused);
const rejectAll = () => false;

/**
 * Typed view of one namespace over the client's connection: `on`, `emit`, `request`, validated both
 * ways against the contract. Listeners live on the socket object, which survives reconnections, so
 * subscriptions made before a reconnect keep working and are never registered twice. The socket is
 * the transport's ({@link TransportSocket}: a Socket.IO namespace socket, or a plain WebSocket endpoint).
 */
export class Channel<NS extends NamespaceSpec, S extends TransportSocket = TransportSocket> {
  private readonly machine: ConnectionStateMachine;
  /** Per event: the shared socket listener (payloads, and {@link Refused} ones). */
  private readonly taps = new Map<string, EventTap>();
  private readonly streams = new Map<string, Observable<unknown>>();
  private readonly pending = new PendingRequests();
  private readonly resyncSubject = new Subject<void>();
  private readonly pendingFlush = new Set<{ resolve: () => void; reject: (error: Error) => void }>();
  private hasConnected = false;
  private disposed = false;
  /** Set by {@link pause}: the next `disconnect` is a pause, not the end. */
  private pausing = false;

  /** This namespace's connection state, starting with the current one. */
  readonly state$: Observable<ConnectionState>;
  /**
   * Fires after a reconnection the server could not recover (no connection-state recovery): stores
   * re-request their state here. Not fired on the first connection nor after a recovered one.
   */
  readonly resync$: Observable<void> = this.resyncSubject.asObservable();

  constructor(
    readonly spec: NS,
    /** The underlying socket of the namespace (a Socket.IO namespace socket over the shared connection, or a WebSocket endpoint). */
    readonly socket: S,
    private readonly host: ChannelHost,
  ) {
    this.machine = new ConnectionStateMachine((from, to) =>
      host.options.logger.debug('ignored state transition', { namespace: spec.name, from: from.status, to: to.status }),
    );
    this.state$ = this.machine.state$;
    socket.on('connect', this.onConnect);
    socket.on('disconnect', this.onDisconnect);
    socket.on('connect_error', this.onConnectError);
    this.machine.watch((state) => {
      if (isSettledState(state)) this.settleAll(state);
    });
    // Refusals outside the answer (`error { event }`, `exception`): they end the request they are about.
    for (const name of ['error', 'exception']) {
      if (this.isServerEvent(name)) this.tap(name).listen((value) => this.onRefusal(name, value));
    }
  }

  /** The namespace path, e.g. `/chat`. */
  get name(): NS['name'] {
    return this.spec.name;
  }

  /** Current connection state of this namespace. */
  get state(): ConnectionState {
    return this.machine.state;
  }

  /** Whether the namespace is connected right now. */
  get connected(): boolean {
    return this.socket.connected;
  }

  /**
   * Validated payloads of a server→client event. One socket listener per event name, shared by
   * all subscribers, removed when the last one unsubscribes. A payload that breaks the contract is
   * reported on the client's `errors$` and skipped; the stream goes on.
   */
  on<E extends ServerEventName<NS>>(event: E): Observable<IncomingPayload<NS, E>> {
    let stream = this.streams.get(event);
    if (!stream) {
      stream = this.tap(event).observable(isDelivered);
      this.streams.set(event, stream);
    }
    return stream as Observable<IncomingPayload<NS, E>>;
  }

  /**
   * Sends a client→server event after validating it. Resolves once the packet is written (at once
   * when connected, on reconnection when queued offline) or, for events the server acknowledges,
   * with the validated ack. Rejects with an {@link HcwError} and sends nothing when the payload is
   * invalid, too large, or the offline queue is full.
   */
  emit<E extends ClientEventName<NS>>(
    event: E,
    payload: OutgoingPayload<NS, E>,
  ): Promise<E extends AckEventName<NS> ? AckPayload<NS, E> : void> {
    type Result = E extends AckEventName<NS> ? AckPayload<NS, E> : void;
    try {
      const value = this.prepare(event, payload);
      if (eventSpec(this.spec, event)?.ack) return this.sendWithAck(event, value, {}) as Promise<Result>;
      return this.send(event, value) as Promise<Result>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Sends a request and waits for its answer: the ack for events the server acknowledges, otherwise
   * the first matching response event of the contract (e.g. `request_participants` →
   * `participants_list`). Rejects on timeout, on a failure ack and on the contract's error events
   * (e.g. `participants_error`).
   */
  request<E extends RequestEventName<NS>>(
    event: E,
    payload: OutgoingPayload<NS, E>,
    options: RequestOptions<RequestResult<NS, E>> = {},
  ): Promise<RequestResult<NS, E>> {
    try {
      const value = this.prepare(event, payload);
      const entry = eventSpec(this.spec, event)!;
      const untypedOptions = options as RequestOptions<unknown>;
      if (entry.ack) return this.sendWithAck(event, value, untypedOptions) as Promise<RequestResult<NS, E>>;
      return this.awaitResponse(event, value, entry.responses ?? [], entry.errors ?? [], untypedOptions) as Promise<RequestResult<NS, E>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Opens the namespace (idempotent). */
  connect(): void {
    if (this.disposed || this.socket.connected || this.socket.active) return;
    this.pausing = false;
    this.machine.transition({ status: 'connecting' });
    this.socket.connect();
  }

  /** @internal Disconnects, keeping queued sends for the next {@link connect} (app in background). */
  pause(): void {
    if (this.disposed) return;
    this.pausing = true;
    this.socket.disconnect();
    // A socket that was not open (connecting, failed...) fires no `disconnect`.
    if (this.machine.state.status !== 'disconnected') this.machine.transition({ status: 'disconnected', reason: 'paused' });
  }

  /**
   * Treats a packet just written that nothing answers (a room join without ack) like a request for
   * `requestTimeoutMs`: the server's refusal (`error { event }`, `exception`) ends it by `onRefused`.
   * @internal
   */
  watchRefusal(event: string, onRefused: (error: HcwError) => void): void {
    const { scheduler, requestTimeoutMs } = this.host.options;
    const untrack = this.pending.add(event, (error) => {
      scheduler.clear(timer);
      // Only the server's no: a drop or a disposal is not a refusal (rooms re-join on reconnection).
      if (error.reason === 'server_error') onRefused(error);
    });
    const timer = scheduler.setTimeout(untrack, requestTimeoutMs, { background: true });
  }

  /** Closes the namespace for good: listeners removed, pending sends rejected. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.socket.off('connect', this.onConnect);
    this.socket.off('disconnect', this.onDisconnect);
    this.socket.off('connect_error', this.onConnectError);
    this.socket.disconnect();
    this.socket.removeAllListeners();
    this.machine.transition({ status: 'disconnected', reason: 'client' });
    this.settleAll(this.machine.state); // also when the state was already settled
    this.machine.complete();
    this.resyncSubject.complete();
  }

  // ---- Called by the connection ------------------------------------------------------------------

  /** @internal The connection scheduled reconnection attempt `attempt` in `delayMs`. */
  reconnectScheduled(attempt: number, delayMs: number, cause: string): void {
    if (this.disposed || this.socket.connected || isSettledState(this.machine.state)) return;
    if (this.machine.state.status === 'disconnected') return; // paused
    this.machine.transition({ status: 'reconnecting', attempt, nextDelayMs: delayMs, cause });
  }

  /** @internal Reconnection attempts are exhausted. */
  reconnectFailed(): void {
    if (this.disposed || this.socket.connected) return;
    this.machine.transition({ status: 'failed', message: 'reconnection attempts exhausted' });
  }

  /** @internal Move to an explicit state (unauthorized, failed, paused). */
  setState(state: ConnectionState): void {
    if (!this.disposed) this.machine.transition(state);
  }

  // ---- Internals -----------------------------------------------------------------------------------

  private prepare(event: string, payload: unknown): unknown {
    if (this.disposed) throw new HcwError('disposed', `${this.spec.name}: client disposed`, { namespace: this.spec.name, event });
    const entry = eventSpec(this.spec, event);
    if (!entry || entry.reserved || entry.direction === 'receive') {
      throw new HcwError('unsupported', `${this.spec.name} ${event}: not a client event of this namespace`, {
        namespace: this.spec.name,
        event,
      });
    }
    const result = checkPayload(this.spec, event, payload);
    if (!result.ok) {
      throw new HcwError('invalid_payload', result.message, { namespace: this.spec.name, event, issues: result.issues });
    }
    // A namespace that will not reconnect by itself would hold the send forever: refuse it now.
    if (isSettledState(this.machine.state)) throw this.settledError(this.machine.state, event);
    const json = JSON.stringify(payload) ?? '';
    const limit = this.host.options.maxPayloadBytes;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit: encode to count exactly only when that bound
    // is over the limit (encoding every payload cost ~1 µs per emit, as much as the rest of the check).
    if (json.length * 3 > limit) {
      const bytes = textEncoder.encode(json).length;
      if (bytes > limit) {
        throw new HcwError('payload_too_large', `${this.spec.name} ${event}: payload is ${bytes} bytes, the limit is ${limit}`, {
          namespace: this.spec.name,
          event,
        });
      }
    }
    if (!this.socket.connected && this.socket.sendBuffer.length >= this.host.options.maxQueuedEmits) {
      throw new HcwError('queue_full', `${this.spec.name} ${event}: ${this.socket.sendBuffer.length} emits already queued while offline`, {
        namespace: this.spec.name,
        event,
      });
    }
    return payload;
  }

  private send(event: string, value: unknown, tracked = false): Promise<void> {
    // The socket buffers emits while disconnected and flushes them in order on connect.
    if (!tracked) this.pending.noteOtherWrite();
    this.socket.emit(event, value);
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => this.pendingFlush.add({ resolve, reject }));
  }

  private async sendWithAck(event: string, value: unknown, options: RequestOptions<unknown>): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.host.options.requestTimeoutMs;
    const details = { namespace: this.spec.name, event };
    for (let attempt = 0; ; attempt++) {
      let answer: unknown;
      try {
        answer = await this.tracked(event, () => this.socket.timeout(timeoutMs).emitWithAck(event, value));
      } catch (error) {
        if (error instanceof HcwError) throw error; // refused by the server, or the namespace settled
        if (this.disposed) throw new HcwError('disposed', `${this.spec.name} ${event}: client disposed`, details);
        if (attempt < (options.retries ?? 0)) continue;
        // The socket fails the acks of packets already written when the connection drops.
        if (error instanceof Error && error.message === 'socket has been disconnected') {
          throw new HcwError('disconnected', `${this.spec.name} ${event}: the connection dropped before the ack`, {
            ...details,
            cause: error,
          });
        }
        throw new HcwError('timeout', `${this.spec.name} ${event}: no ack within ${timeoutMs} ms`, { ...details, cause: error });
      }
      const failure = serverFailure(answer);
      if (failure) throw this.serverError(event, failure);
      const checked = checkAck(this.spec, event, answer);
      if (!checked.ok) {
        const error = new HcwError('malformed_event', checked.message, { ...details, issues: checked.issues });
        this.host.report(error);
        throw error;
      }
      return checked.value;
    }
  }

  /** Runs a request's write, failing it early when the server refuses it outside the answer. */
  private tracked<T>(event: string, start: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const untrack = this.pending.add(event, reject);
      start().then(
        (value) => {
          untrack();
          resolve(value);
        },
        (error: unknown) => {
          untrack();
          reject(error);
        },
      );
    });
  }

  private awaitResponse(
    event: string,
    value: unknown,
    responses: readonly string[],
    errors: readonly string[],
    options: RequestOptions<unknown>,
  ): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.host.options.requestTimeoutMs;
    const details = { namespace: this.spec.name, event };
    const matches = (response: unknown) => {
      if (!options.match) return true;
      try {
        return options.match(response);
      } catch {
        return false; // a refused payload may lack what `match` reads
      }
    };
    type Outcome = { ok: true; value: unknown } | { ok: false; error: HcwError };
    const outcomes = merge(
      ...responses
        .filter((name) => this.isServerEvent(name))
        .map((name) =>
          this.tap(name)
            .observable()
            .pipe(
              // A matching answer that lacks what the SDK needs ends the request with that error, now.
              filter((response) => matches(response instanceof Refused ? response.payload : response)),
              map((response): Outcome =>
                response instanceof Refused ? { ok: false, error: response.error } : { ok: true, value: response },
              ),
            ),
        ),
      ...errors
        .filter((name) => this.isServerEvent(name))
        .map((name) =>
          this.tap(name)
            .observable()
            .pipe(
              map((failure): Outcome => {
                const record = failure instanceof Refused ? failure.payload : failure;
                return { ok: false, error: this.serverError(event, refusalOf(record), name) };
              }),
            ),
        ),
    ).pipe(take(1));

    return new Promise((resolve, reject) => {
      let subscription: Subscription | undefined;
      const settle = () => {
        this.host.options.scheduler.clear(timer);
        untrack();
        subscription?.unsubscribe();
        this.socket.off('disconnect', onDisconnect);
      };
      // Tracked from before the write, so a refusal outside the answer (`error { event }`) ends it.
      const untrack = this.pending.add(event, (error) => {
        settle();
        reject(error);
      });
      const timer = this.host.options.scheduler.setTimeout(() => {
        settle();
        reject(new HcwError('timeout', `${this.spec.name} ${event}: no answer within ${timeoutMs} ms`, details));
      }, timeoutMs);
      // The answer to a request already written may be lost with the connection: reject now, as
      // socket.io does with acks, rather than at the timeout. A request queued offline waits for it.
      let written = false;
      const onDisconnect = () => {
        if (!written) return;
        settle();
        reject(new HcwError('disconnected', `${this.spec.name} ${event}: the connection dropped before the answer`, details));
      };
      this.socket.on('disconnect', onDisconnect);
      subscription = outcomes.subscribe((outcome) => {
        settle();
        if (outcome.ok) resolve(outcome.value);
        else reject(outcome.error);
      });
      this.send(event, value, true).then(
        () => (written = true),
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }

  /**
   * The shared socket listener of a server event: well-formed payloads pass as they are (the
   * guard), payloads broken only where nothing depends on them are delivered and reported as
   * drift, payloads lacking what is needed are reported and passed on as {@link Refused}.
   */
  private tap(event: string): EventTap {
    let tap = this.taps.get(event);
    if (tap) return tap;
    if (!this.isServerEvent(event)) {
      throw new HcwError('unsupported', `${this.spec.name} ${event}: not a server event of this namespace`, {
        namespace: this.spec.name,
        event,
      });
    }
    // Resolved once per event: the receive path then allocates nothing for a well-formed payload.
    const accepts = guardOf(eventSpec(this.spec, event)!.payload) ?? rejectAll;
    tap = new EventTap(this.socket, event, accepts, this.checkReceived);
    this.taps.set(event, tap);
    return tap;
  }

  /** A payload the guard did not accept: delivered as checked (drift reported), or refused. */
  private readonly checkReceived = (event: string, payload: unknown): unknown => {
    const result = checkIncoming(this.spec, event, payload);
    const details = { namespace: this.spec.name, event };
    if (result.ok) {
      if (result.drift) this.host.reportDrift(new HcwError('schema_drift', result.message, { ...details, issues: result.drift }));
      return result.value;
    }
    const error = new HcwError('malformed_event', result.message, { ...details, issues: result.issues });
    this.host.report(error);
    return new Refused(error, payload);
  };

  /** @internal Calls `watcher` with every state the namespace moves to (for the SDK's own per-client watchers). */
  watchState(watcher: (state: ConnectionState) => void): void {
    this.machine.watch(watcher);
  }

  /**
   * @internal Calls `listener` with each delivered payload of `event` (not with refused ones), with
   * no Observable in between: for the connection's own listeners (one per namespace and client).
   */
  listen(event: string, listener: (payload: unknown) => void): () => void {
    return this.tap(event).listen((value) => {
      if (isDelivered(value)) listener(value);
    });
  }

  private isServerEvent(name: string): boolean {
    const entry = eventSpec(this.spec, name);
    return entry !== undefined && !entry.reserved && entry.direction !== 'emit';
  }

  /** `error` or `exception` from the server: ends the request it is about, or is reported. */
  private onRefusal(name: string, value: unknown): void {
    const record = value instanceof Refused ? value.payload : value;
    const refusal = refusalOf(record);
    const about = (record as { event?: unknown } | null)?.event;
    if (typeof about === 'string') {
      if (this.pending.failByEvent(about, this.serverError(about, refusal, name))) return;
    } else if (this.pending.failUnattributed((event) => this.serverError(event, refusal, name))) {
      return;
    }
    this.host.report(this.serverError(typeof about === 'string' ? about : undefined, refusal, name));
  }

  private serverError(event: string | undefined, failure: Refusal, via?: string): HcwError {
    const where = `${this.spec.name}${event === undefined ? '' : ` ${event}`}`;
    return new HcwError('server_error', `${where}: ${via && via !== event ? `${via}: ` : ''}${failure.message}`, {
      namespace: this.spec.name,
      ...(event === undefined ? {} : { event }),
      ...(failure.code === undefined ? {} : { code: failure.code }),
    });
  }

  /** Why a send cannot go out in a settled state. */
  private settledError(state: ConnectionState, event?: string): HcwError {
    const details = { namespace: this.spec.name, ...(event === undefined ? {} : { event }) };
    const where = `${this.spec.name}${event === undefined ? '' : ` ${event}`}`;
    if (this.disposed) return new HcwError('disposed', `${where}: client disposed`, details);
    const [reason, why]: [HcwErrorReason, string] =
      state.status === 'unavailable'
        ? ['unavailable', `the server does not have this namespace (${state.message})`]
        : state.status === 'unauthorized'
          ? ['unauthorized', state.message]
          : state.status === 'failed'
            ? ['connection_failed', state.message]
            : ['invalid_state', 'the server closed the namespace; call reconnect()'];
    return new HcwError(reason, `${where}: ${why}; nothing was sent`, details);
  }

  /** The namespace will not reconnect by itself: every queued send and pending request ends now. */
  private settleAll(state: ConnectionState): void {
    const error = this.settledError(state);
    // Nothing queued may leave later, on a connection the app did not ask for.
    this.socket.sendBuffer.length = 0;
    this.rejectPending(error);
    this.pending.failAll(error);
  }

  private rejectPending(error: Error): void {
    for (const pending of this.pendingFlush) pending.reject(error);
    this.pendingFlush.clear();
  }

  private readonly onConnect = (): void => {
    const reconnected = this.hasConnected;
    this.hasConnected = true;
    const recovered = this.socket.recovered;
    this.machine.transition({ status: 'connected', recovered, reconnected });
    // socket.io flushed its send buffer right before `connect` fired.
    for (const pending of this.pendingFlush) pending.resolve();
    this.pendingFlush.clear();
    if (reconnected && !recovered) this.resyncSubject.next();
  };

  private readonly onDisconnect = (reason: string): void => {
    if (this.disposed) return;
    this.pending.reset();
    // Still active: the connection schedules the next attempt right after this (`reconnectScheduled`).
    if (!this.socket.active) {
      const why = this.pausing ? 'paused' : reason === 'io server disconnect' ? 'server' : 'client';
      this.machine.transition({ status: 'disconnected', reason: why });
    }
  };

  private readonly onConnectError = (error: Error & { data?: unknown }): void => {
    if (this.disposed) return;
    this.host.onConnectError(this as unknown as Channel<NamespaceSpec>, error);
  };
}

/** A server refusal: its message and, when it has one, its code. */
interface Refusal {
  message: string;
  code?: string;
}

/** The server's failure answer: an ack `{ error: string, code? }` or `{ success: false, message }`. */
function serverFailure(answer: unknown): Refusal | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const record = answer as Record<string, unknown>;
  if (typeof record.error === 'string') return refusalOf(record);
  if (record.success === false) return refusalOf(record);
  return undefined;
}

/** Message and code of an error event or failure ack, whatever its exact shape. */
function refusalOf(record: unknown): Refusal {
  const fields = typeof record === 'object' && record !== null ? (record as Record<string, unknown>) : {};
  const text = fields.error ?? fields.message ?? fields.reason;
  const code = fields.code ?? fields.errorCode;
  return {
    message: typeof text === 'string' ? text : 'request failed',
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
  };
}
