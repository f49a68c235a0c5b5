import { Observable, Subject, filter, map, merge, share, take, type Subscription } from 'rxjs';
import type { Socket } from 'socket.io-client';
import {
  checkAck,
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
import { ConnectionStateMachine, type ConnectionState } from './connection-state.js';
import { HcwError } from './errors.js';
import type { ResolvedOptions } from './options.js';

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
  /** Whether the host calls `reconnectScheduled` for every attempt the Manager schedules. */
  readonly reportsReconnectDelays: boolean;
  report(error: HcwError): void;
  /** Called by the channel on `connect_error`; the host decides whether to retry. */
  onConnectError(channel: Channel<NamespaceSpec>, error: Error & { data?: unknown }): void;
}

const textEncoder = new TextEncoder();

/** The Socket's listener API without socket.io's reserved-event typing (event names come from the contract). */
interface UntypedSocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Typed view of one namespace over the shared connection: `on`, `emit`, `request`, validated both
 * ways against the contract. Listeners live on the Socket object, which survives reconnections, so
 * subscriptions made before a reconnect keep working and are never registered twice.
 */
export class Channel<NS extends NamespaceSpec> {
  private readonly machine: ConnectionStateMachine;
  private readonly streams = new Map<string, Observable<unknown>>();
  private readonly resyncSubject = new Subject<void>();
  private readonly pendingFlush = new Set<{ resolve: () => void; reject: (error: Error) => void }>();
  private hasConnected = false;
  private disposed = false;

  /** This namespace's connection state, starting with the current one. */
  readonly state$: Observable<ConnectionState>;
  /**
   * Fires after a reconnection the server could not recover (no connection-state recovery): stores
   * re-request their state here. Not fired on the first connection nor after a recovered one.
   */
  readonly resync$: Observable<void> = this.resyncSubject.asObservable();

  constructor(
    readonly spec: NS,
    /** The underlying socket.io-client Socket (one per namespace, over the shared Manager). */
    readonly socket: Socket,
    private readonly host: ChannelHost,
  ) {
    this.machine = new ConnectionStateMachine((from, to) =>
      host.options.logger.debug('ignored state transition', { namespace: spec.name, from: from.status, to: to.status }),
    );
    this.state$ = this.machine.state$;
    socket.on('connect', this.onConnect);
    socket.on('disconnect', this.onDisconnect);
    socket.on('connect_error', this.onConnectError);
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
      const entry = eventSpec(this.spec, event);
      if (!entry || entry.reserved || entry.direction === 'emit') {
        throw new HcwError('unsupported', `${this.spec.name} ${event}: not a server event of this namespace`, {
          namespace: this.spec.name,
          event,
        });
      }
      // Resolved once per event: the receive path then allocates nothing for a well-formed payload.
      const accepts = guardOf(entry.payload) ?? (() => false);
      stream = new Observable<unknown>((subscriber) => {
        const listener = (payload: unknown) => {
          // Connection-state recovery appends an offset argument: only the first one is the payload.
          if (accepts(payload)) return subscriber.next(payload);
          const result = checkPayload(this.spec, event, payload);
          if (result.ok) subscriber.next(result.value);
          else this.reportMalformed(event, result.message, result.issues);
        };
        const socket = this.socket as unknown as UntypedSocket;
        socket.on(event, listener);
        return () => {
          socket.off(event, listener);
        };
      }).pipe(share());
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
      return this.awaitResponse(event, value, entry.responses ?? [], entry.errors ?? [], untypedOptions) as Promise<
        RequestResult<NS, E>
      >;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Opens the namespace (idempotent). */
  connect(): void {
    if (this.disposed || this.socket.connected || this.socket.active) return;
    this.machine.transition({ status: 'connecting' });
    this.socket.connect();
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
    this.rejectPending(new HcwError('disposed', `${this.spec.name}: client disposed`, { namespace: this.spec.name }));
    this.machine.complete();
    this.resyncSubject.complete();
  }

  // ---- Called by the connection ------------------------------------------------------------------

  /** @internal The Manager scheduled reconnection attempt `attempt` in `delayMs`. */
  reconnectScheduled(attempt: number, delayMs: number, cause: string): void {
    if (this.disposed || this.socket.connected) return;
    if (this.machine.state.status === 'disconnected' || this.machine.state.status === 'unauthorized') return;
    this.machine.transition({ status: 'reconnecting', attempt, nextDelayMs: delayMs, cause });
  }

  /** @internal Reconnection attempts are exhausted. */
  reconnectFailed(): void {
    if (this.disposed || this.socket.connected) return;
    this.machine.transition({ status: 'failed', message: 'reconnection attempts exhausted' });
    this.rejectPending(new HcwError('connection_failed', `${this.spec.name}: reconnection attempts exhausted`));
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
      throw new HcwError(
        'queue_full',
        `${this.spec.name} ${event}: ${this.socket.sendBuffer.length} emits already queued while offline`,
        { namespace: this.spec.name, event },
      );
    }
    return payload;
  }

  private send(event: string, value: unknown): Promise<void> {
    // socket.io buffers non-volatile emits while disconnected and flushes them in order on connect.
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
        answer = await this.socket.timeout(timeoutMs).emitWithAck(event, value);
      } catch (error) {
        if (this.disposed) throw new HcwError('disposed', `${this.spec.name} ${event}: client disposed`, details);
        if (attempt < (options.retries ?? 0)) continue;
        // socket.io fails the acks of packets already written when the connection drops.
        if (error instanceof Error && error.message === 'socket has been disconnected') {
          throw new HcwError('disconnected', `${this.spec.name} ${event}: the connection dropped before the ack`, { ...details, cause: error });
        }
        throw new HcwError('timeout', `${this.spec.name} ${event}: no ack within ${timeoutMs} ms`, { ...details, cause: error });
      }
      const failure = failureMessage(answer);
      if (failure !== undefined) throw new HcwError('server_error', `${this.spec.name} ${event}: ${failure}`, details);
      const checked = checkAck(this.spec, event, answer);
      if (!checked.ok) {
        const error = new HcwError('malformed_event', checked.message, { ...details, issues: checked.issues });
        this.host.report(error);
        throw error;
      }
      return checked.value;
    }
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
    const known = (name: string) => {
      const entry = eventSpec(this.spec, name);
      return entry !== undefined && !entry.reserved && entry.direction !== 'emit';
    };
    const on = (name: string) => this.on(name as ServerEventName<NS>) as Observable<unknown>;
    const outcomes = merge(
      ...responses.filter(known).map((name) =>
        on(name).pipe(
          filter((response) => options.match?.(response) ?? true),
          map((response) => ({ ok: true as const, name, value: response })),
        ),
      ),
      ...errors.filter(known).map((name) => on(name).pipe(map((failure) => ({ ok: false as const, name, value: failure })))),
      // A refusal the contract has no specific event for arrives as `error { event, message }`.
      ...(known('error') && !errors.includes('error')
        ? [
            on('error').pipe(
              filter((failure) => (failure as { event?: unknown }).event === event),
              map((failure) => ({ ok: false as const, name: 'error', value: failure })),
            ),
          ]
        : []),
    ).pipe(take(1));

    return new Promise((resolve, reject) => {
      let subscription: Subscription | undefined;
      const settle = () => {
        clearTimeout(timer);
        subscription?.unsubscribe();
        this.socket.off('disconnect', onDisconnect);
      };
      const timer = setTimeout(() => {
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
        else {
          const record = (outcome.value ?? {}) as { error?: unknown; message?: unknown };
          const message = String(record.error ?? record.message ?? 'request failed');
          reject(new HcwError('server_error', `${this.spec.name} ${event}: ${outcome.name}: ${message}`, details));
        }
      });
      this.send(event, value).then(
        () => (written = true),
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }

  private reportMalformed(event: string, message: string, issues: HcwError['issues']): void {
    this.host.report(new HcwError('malformed_event', message, { namespace: this.spec.name, event, issues }));
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

  private readonly onDisconnect = (reason: Socket.DisconnectReason): void => {
    if (this.disposed) return;
    if (this.socket.active) {
      // The Manager reconnects; right after this event it schedules attempt 1 (`reconnectScheduled`).
      if (!this.host.reportsReconnectDelays) {
        this.machine.transition({ status: 'reconnecting', attempt: 0, nextDelayMs: 0, cause: reason });
      }
    } else {
      this.machine.transition({ status: 'disconnected', reason: reason === 'io server disconnect' ? 'server' : 'client' });
    }
  };

  private readonly onConnectError = (error: Error & { data?: unknown }): void => {
    if (this.disposed) return;
    this.host.onConnectError(this as unknown as Channel<NamespaceSpec>, error);
  };
}

/** The server's failure answer: an ack or error event `{ error: string }` (or `{ message }` on `error`). */
function failureMessage(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const record = answer as Record<string, unknown>;
  if (typeof record.error === 'string') return record.error;
  if (record.success === false && typeof record.message === 'string') return record.message;
  return undefined;
}
