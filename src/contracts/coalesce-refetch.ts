import { Observable, type OperatorFunction } from 'rxjs';
import { systemScheduler, type Scheduler, type TimerHandle } from '../core/scheduler.js';

/** Options of {@link coalesceRefetch}. */
export interface CoalesceRefetchOptions {
  /** The window opened by the first trigger; its triggers make one refetch when it closes. Default 500 ms. */
  windowMs?: number;
  /** Timers (the SDK's seam: pass the client's `scheduler` to drive time in tests). Default: the host's. */
  scheduler?: Scheduler;
}

/**
 * Turns trigger events (anything that means "the server state changed") into refetches:
 *
 * - **One per window.** The first trigger opens a window of `windowMs`; when it closes, `refetch`
 *   runs once with every trigger of the window, however many arrived. A trigger after it opens the
 *   next window. Unlike a debounce, a steady stream of triggers cannot postpone the refetch forever.
 * - **Never loses the last trigger.** Every trigger is followed by a refetch that starts after it
 *   arrived (also when the source completes: the open window is flushed at once).
 * - **Tolerates out-of-order arrival.** A refetch reads the whole state, so the order of triggers
 *   does not matter; and refetches never overlap: a window that closes while one is in flight waits
 *   for it, then one refetch covers every window closed meanwhile. Results are emitted in the order
 *   the refetches started, so an older answer can never replace a newer one.
 *
 * A failing refetch errors the stream (add `retry()` to keep going).
 *
 * @example
 * triggers$.pipe(coalesceRefetch(() => api.dashboard(), { windowMs: 500 })).subscribe(render);
 */
export function coalesceRefetch<T, R>(
  refetch: (triggers: readonly T[]) => R | PromiseLike<R>,
  { windowMs = 500, scheduler = systemScheduler }: CoalesceRefetchOptions = {},
): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      let window: T[] = [];
      let timer: TimerHandle | undefined;
      /** Triggers of windows that closed while a refetch was in flight. */
      let waiting: T[] | undefined;
      let inFlight = false;
      let sourceDone = false;
      let closed = false;

      const finishIfDone = () => {
        if (sourceDone && !inFlight && !waiting && window.length === 0) subscriber.complete();
      };
      const run = (triggers: T[]) => {
        inFlight = true;
        Promise.resolve()
          .then(() => refetch(triggers))
          .then(
            (result) => {
              if (closed) return;
              inFlight = false;
              subscriber.next(result);
              const next = waiting;
              waiting = undefined;
              if (next) run(next);
              else finishIfDone();
            },
            (error: unknown) => {
              if (!closed) subscriber.error(error);
            },
          );
      };
      const closeWindow = () => {
        scheduler.clear(timer);
        timer = undefined;
        const triggers = window;
        window = [];
        if (triggers.length === 0) return;
        if (inFlight) waiting = [...(waiting ?? []), ...triggers];
        else run(triggers);
      };

      const subscription = source.subscribe({
        next(trigger) {
          window.push(trigger);
          timer ??= scheduler.setTimeout(closeWindow, windowMs);
        },
        error(error: unknown) {
          subscriber.error(error);
        },
        complete() {
          sourceDone = true;
          closeWindow();
          finishIfDone();
        },
      });
      return () => {
        closed = true;
        scheduler.clear(timer);
        subscription.unsubscribe();
      };
    });
}
