import { BehaviorSubject, type Observable } from 'rxjs';

/** Why a namespace is disconnected and not trying to come back on its own. */
export type DisconnectReason =
  /** The app called `dispose()`, `pause()` or `disconnect()`. */
  | 'client'
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
  | { status: 'failed'; message: string };

export type ConnectionStatus = ConnectionState['status'];

/**
 * Allowed transitions (from → to), driven by socket.io Manager and Socket events:
 *
 * | from         | to            | on                                                         |
 * |--------------|---------------|------------------------------------------------------------|
 * | idle         | connecting    | service opened (first use)                                 |
 * | connecting   | connected     | Socket `connect`                                           |
 * | connecting   | reconnecting  | Manager `reconnect_attempt` (server not reachable yet)     |
 * | connecting   | unauthorized  | `connect_error` `socket_error:unauthorized`                |
 * | connecting   | failed        | `connect_error` without retry (namespace refused, ...)     |
 * | connected    | reconnecting  | Socket `disconnect` while `socket.active` (transport lost) |
 * | connected    | disconnected  | Socket `disconnect` not active (server kick, client)       |
 * | reconnecting | reconnecting  | next Manager `reconnect_attempt` (attempt, delay)          |
 * | reconnecting | connected     | Socket `connect` (recovered or resynced)                   |
 * | reconnecting | unauthorized  | `connect_error` `socket_error:unauthorized`                |
 * | reconnecting | failed        | Manager `reconnect_failed` (attempts exhausted)            |
 * | unauthorized, failed, disconnected | connecting | `client.reconnect()` / `resume()`          |
 * | any          | disconnected  | `dispose()` / `pause()` (reason `client`)                  |
 * | any          | connecting    | `token_expired`: fresh token, retry                        |
 */
const TRANSITIONS: Record<ConnectionStatus, readonly ConnectionStatus[]> = {
  idle: ['connecting', 'disconnected'],
  connecting: ['connecting', 'connected', 'reconnecting', 'unauthorized', 'failed', 'disconnected'],
  connected: ['reconnecting', 'disconnected', 'connecting'],
  reconnecting: ['reconnecting', 'connecting', 'connected', 'unauthorized', 'failed', 'disconnected'],
  disconnected: ['connecting', 'disconnected'],
  unauthorized: ['connecting', 'disconnected'],
  failed: ['connecting', 'disconnected'],
};

/** True when `to` may follow `from`. */
export function canTransition(from: ConnectionStatus, to: ConnectionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A state holder that only moves along {@link TRANSITIONS}. */
export class ConnectionStateMachine {
  private readonly subject = new BehaviorSubject<ConnectionState>({ status: 'idle' });
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
    this.subject.next(next);
    return true;
  }

  complete(): void {
    this.subject.complete();
  }
}

/**
 * The client's aggregate state over its open services: the worst one wins
 * (unauthorized > failed > reconnecting > connecting > disconnected > connected > idle).
 */
export function aggregateState(states: readonly ConnectionState[]): ConnectionState {
  if (states.length === 0) return { status: 'idle' };
  const rank: ConnectionStatus[] = ['unauthorized', 'failed', 'reconnecting', 'connecting', 'disconnected', 'connected', 'idle'];
  let worst = states[0]!;
  for (const state of states) if (rank.indexOf(state.status) < rank.indexOf(worst.status)) worst = state;
  return worst;
}
