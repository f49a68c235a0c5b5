import type { Observable, Subscription } from 'rxjs';
import type { ConnectionState } from '../core/connection-state.js';

/** A namespace service as far as a store's resync goes. */
export interface Resyncable {
  readonly state$: Observable<ConnectionState>;
  /** Fires after a reconnection the server could not recover (state may have been missed). */
  readonly resync$: Observable<void>;
}

/**
 * Runs `refresh` after every reconnection the server could not recover (`resync$`) and keeps it
 * owed until a run succeeds. A run that fails (the connection dropped before the answer, the server
 * did not answer) runs again on the next connection, even one the server recovered, which has no
 * resync$ of its own; a resync$ during a run makes it run again afterwards. A failure does not
 * retry on the same connection: a server that keeps refusing is not hammered.
 * `onResync` runs first on each resync$ (to record what the refresh must cover).
 * Returns the subscription that stops it.
 */
export function refreshAfterResync(service: Resyncable, refresh: () => Promise<unknown>, onResync?: () => void): Subscription {
  let owed = 0; // resync$ signals no successful run has covered yet
  let running = false;
  let connected = false;
  const run = async (): Promise<void> => {
    if (running || owed === 0 || !connected) return;
    running = true;
    const covering = owed;
    try {
      await refresh();
      owed -= covering;
    } catch {
      return; // stays owed: the next connection runs it again
    } finally {
      running = false;
    }
    void run(); // a resync$ that came during the run
  };
  const subscription = service.state$.subscribe((state) => {
    const now = state.status === 'connected';
    if (now === connected) return;
    connected = now;
    void run();
  });
  subscription.add(
    service.resync$.subscribe(() => {
      onResync?.();
      owed++;
      void run();
    }),
  );
  return subscription;
}
