import { Observable } from 'rxjs';

/**
 * One socket listener for one event, shared by everything in the channel that listens to it (the
 * app's streams, requests waiting for an answer, the refusal watch): attached with the first
 * listener, removed with the last. Plain callbacks rather than rxjs `share()`: a client holds
 * several of these per namespace, and each `share()` costs a Subject, its subscribers and a dozen
 * closures (a third of a client's heap in the 1,000-client benchmark).
 */
export class EventTap<T> {
  /** Replaced, never mutated: a delivery in progress runs over the listeners it started with. */
  private listeners: readonly ((value: T) => void)[] = [];
  private detach: (() => void) | undefined;

  /** `attach` registers the socket listener (which calls `deliver`) and returns its removal. */
  constructor(private readonly attach: (deliver: (value: T) => void) => () => void) {}

  /** Calls `listener` with every value until the returned function is called. */
  listen(listener: (value: T) => void): () => void {
    if (this.listeners.length === 0) this.detach = this.attach(this.deliver);
    this.listeners = [...this.listeners, listener];
    let listening = true;
    return () => {
      if (!listening) return;
      listening = false;
      const index = this.listeners.indexOf(listener);
      this.listeners = [...this.listeners.slice(0, index), ...this.listeners.slice(index + 1)];
      if (this.listeners.length > 0) return;
      this.detach?.();
      this.detach = undefined;
    };
  }

  /** The values as an Observable (only those `accept` lets through); subscriptions are listeners. */
  observable<R = T>(accept?: (value: T) => boolean): Observable<R> {
    return new Observable<R>((subscriber) =>
      this.listen((value) => {
        if (!accept || accept(value)) subscriber.next(value as unknown as R);
      }),
    );
  }

  private readonly deliver = (value: T): void => {
    const current = this.listeners;
    for (let i = 0; i < current.length; i++) current[i]!(value);
  };
}
