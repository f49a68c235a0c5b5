import { BehaviorSubject, type Observable } from 'rxjs';

/** Why a namespace is disconnected and not trying to come back on its own. */
export type DisconnectReason =
  /** The app called `dispose()`: for good. */
  | 'client'
  /** The app called `pause()`: sends stay queued until `resume()`. */
  | 'paused'
  /** The server closed the namespace (`io server disconnect`, e.g. a kick or a duplicate session). */
  | 'server';

/** Connection state of one namespace service, or of the whole client. */
export type ConnectionState =
  | { status: 'idle' }
  | { status: 'connecting' }
  | { status: 'connected'; recovered: boolean; reconnected: boolean }
  | { status: 'reconnecting'; attempt: number; nextDelayMs: number; cause: string }
  | { status: 'disconnected'; reason: DisconnectReason }
  | { status: 'unauthorized'; message: string }
  | { status: 'failed'; message: string }
  /** The server does not have this namespace (`connect_error` "Invalid namespace"): not retried. */
  | { status: 'unavailable'; message: string };

export type ConnectionStatus = ConnectionState['status'];

/**
 * Allowed transitions (from → to), driven by the connection's and the sockets' events:
 *
 * | from         | to            | on                                                         |
 * |--------------|---------------|------------------------------------------------------------|
 * | idle         | connecting    | service opened (first use)                                 |
 * | connecting   | connected     | Socket `connect`                                           |
 * | connecting   | reconnecting  | Manager `reconnect_attempt` (server not reachable yet)     |
 * | connecting   | unauthorized  | `connect_error` `socket_error:unauthorized`                |
 * | connecting   | failed        | `connect_error` without retry (middleware refusal, ...)    |
 * | connecting   | unavailable   | `connect_error` "Invalid namespace" (server lacks it)      |
 * | connected    | reconnecting  | Socket `disconnect` while `socket.active` (transport lost) |
 * | connected    | disconnected  | Socket `disconnect` not active (server kick, client)       |
 * | reconnecting | reconnecting  | next Manager `reconnect_attempt` (attempt, delay)          |
 * | reconnecting | connected     | Socket `connect` (recovered or resynced)                   |
 * | reconnecting | unauthorized  | `connect_error` `socket_error:unauthorized`                |
 * | reconnecting | failed        | Manager `reconnect_failed` (attempts exhausted)            |
 * | reconnecting | unavailable   | `connect_error` "Invalid namespace" (server replaced)      |
 * | unauthorized, failed, unavailable, disconnected | connecting | `client.reconnect()` / `resume()` |
 * | any          | disconnected  | `dispose()` (reason `client`), `pause()` (reason `paused`) |
 * | any          | connecting    | `token_expired`: fresh token, retry                        |
 */
const TRANSITIONS: Record<ConnectionStatus, readonly ConnectionStatus[]> = {
  idle: ['connecting', 'disconnected'],
  connecting: ['connecting', 'connected', 'reconnecting', 'unauthorized', 'failed', 'unavailable', 'disconnected'],
  connected: ['reconnecting', 'disconnected', 'connecting'],
  reconnecting: ['reconnecting', 'connecting', 'connected', 'unauthorized', 'failed', 'unavailable', 'disconnected'],
  disconnected: ['connecting', 'disconnected'],
  unauthorized: ['connecting', 'disconnected'],
  failed: ['connecting', 'disconnected'],
  unavailable: ['connecting', 'disconnected'],
};

/**
 * True when the state is one a namespace will not leave by itself (only `reconnect()`, `resume()`
 * or nothing moves it on): queued sends and pending requests are settled on entering it. A pause
 * is not one of them: its sends wait for `resume()`.
 */
export function isSettledState(state: ConnectionState): boolean {
  switch (state.status) {
    case 'unauthorized':
    case 'failed':
    case 'unavailable':
      return true;
    case 'disconnected':
      return state.reason !== 'paused';
    default:
      return false;
  }
}

/** True when `to` may follow `from`. */
export function canTransition(from: ConnectionStatus, to: ConnectionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A state holder that only moves along {@link TRANSITIONS}. */
export class ConnectionStateMachine {
  private readonly subject = new BehaviorSubject<ConnectionState>({ status: 'idle' });
  /** The SDK's own watchers of every change: plain callbacks, cheaper per client than subscriptions. */
  private watchers: readonly ((state: ConnectionState) => void)[] = [];
  /** Current state and every change, starting with the current one. */
  readonly state$: Observable<ConnectionState> = this.subject.asObservable();

  constructor(private readonly onIllegal: (from: ConnectionState, to: ConnectionState) => void = () => {}) {}

  get state(): ConnectionState {
    return this.subject.value;
  }

  /** Moves to `next`; an illegal transition is reported and ignored. Returns whether it moved. */
  transition(next: ConnectionState): boolean {
    const current = this.subject.value;
    if (!canTransition(current.status, next.status)) {
      this.onIllegal(current, next);
      return false;
    }
    for (const watcher of this.watchers) watcher(next);
    this.subject.next(next);
    return true;
  }

  /** Calls `watcher` with every state it moves to (not the current one), before `state$` subscribers. */
  watch(watcher: (state: ConnectionState) => void): void {
    this.watchers = [...this.watchers, watcher];
  }

  complete(): void {
    this.subject.complete();
  }
}

/** One namespace's state as the aggregate sees it. */
export interface NamespaceState {
  readonly state: ConnectionState;
  /** The contract marks the namespace optional: the client works without it. */
  readonly optional: boolean;
}

const RANK: readonly ConnectionStatus[] = [
  'unauthorized',
  'failed',
  'unavailable',
  'reconnecting',
  'connecting',
  'disconnected',
  'connected',
  'idle',
];

/**
 * The client's aggregate state over its open services: the worst one wins
 * (unauthorized > failed > unavailable > reconnecting > connecting > disconnected > connected > idle).
 * An optional namespace the server does not have (`unavailable`) does not count, unless it is all
 * there is.
 */
export function aggregateState(namespaces: readonly NamespaceState[]): ConnectionState {
  const counted = namespaces.filter(({ state, optional }) => !(optional && state.status === 'unavailable'));
  const states = (counted.length > 0 ? counted : namespaces).map(({ state }) => state);
  if (states.length === 0) return { status: 'idle' };
  let worst = states[0]!;
  for (const state of states) if (RANK.indexOf(state.status) < RANK.indexOf(worst.status)) worst = state;
  return worst;
}

/** A namespace of a connection, as its aggregate state reads it. */
interface StatefulNamespace {
  readonly state: ConnectionState;
  readonly spec: { readonly optional?: boolean };
}

/**
 * Publishes the aggregate of a connection's namespaces on `subject` when it changed: called by each
 * namespace's state watcher, with the state `moved` is moving to (watchers run before it is current).
 */
export function publishAggregate(
  subject: BehaviorSubject<ConnectionState>,
  namespaces: readonly StatefulNamespace[],
  moved: StatefulNamespace,
  next: ConnectionState,
): void {
  const state = aggregateState(
    namespaces.map((namespace) => ({ state: namespace === moved ? next : namespace.state, optional: namespace.spec.optional === true })),
  );
  if (JSON.stringify(state) !== JSON.stringify(subject.value)) subject.next(state);
}
