import { Observable } from 'rxjs';

/** The part of a socket an {@link EventTap} listens on. */
export interface EventSource {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * One socket listener for one event, shared by everything in the channel that listens to it (the
 * app's streams, requests waiting for an answer, the refusal watch): attached with the first
 * listener, removed with the last. Plain callbacks rather than rxjs `share()`, and as few closures
 * as possible: a client holds several of these per namespace (a `share()` pipeline each made a
 * third of a client's heap in the 1,000-client benchmark).
 */
export class EventTap {
  /** Replaced, never mutated: a delivery in progress runs over the listeners it started with. */
  private listeners: readonly ((value: unknown) => void)[] = [];

  /**
   * `accepts`: the event's payload guard (a payload it accepts is delivered as it is); `check`:
   * what is delivered for one it does not (the checked payload, or a refusal marker).
   */
  constructor(
    private readonly socket: EventSource,
    private readonly event: string,
    private readonly accepts: (payload: unknown) => boolean,
    private readonly check: (event: string, payload: unknown) => unknown,
  ) {}

  /** Calls `listener` with every value until the returned function is called. */
  listen(listener: (value: unknown) => void): () => void {
    if (this.listeners.length === 0) this.socket.on(this.event, this.onPayload);
    this.listeners = [...this.listeners, listener];
    let listening = true;
    return () => {
      if (!listening) return;
      listening = false;
      const index = this.listeners.indexOf(listener);
      this.listeners = [...this.listeners.slice(0, index), ...this.listeners.slice(index + 1)];
      if (this.listeners.length === 0) this.socket.off(this.event, this.onPayload);
    };
  }

  /** The values as an Observable (only those `accept` lets through); each subscription is a listener. */
  observable<R = unknown>(accept?: (value: unknown) => boolean): Observable<R> {
    return new Observable<R>((subscriber) =>
      this.listen((value) => {
        if (!accept || accept(value)) subscriber.next(value as R);
      }),
    );
  }

  private readonly onPayload = (payload: unknown): void => {
    // Connection-state recovery appends an offset argument: only the first one is the payload.
    const value = this.accepts(payload) ? payload : this.check(this.event, payload);
    const current = this.listeners;
    for (let i = 0; i < current.length; i++) current[i]!(value);
  };
}
