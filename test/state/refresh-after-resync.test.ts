import { BehaviorSubject, Subject } from 'rxjs';
import { expect, test } from 'vitest';
import type { ConnectionState } from '../../src/index.js';
import { refreshAfterResync } from '../../src/state/refresh-after-resync.js';

/** A service double: the helper only reads `state$` and `resync$` (the stores' tests run it for real). */
function service() {
  const state$ = new BehaviorSubject<ConnectionState>({ status: 'connected', recovered: false, reconnected: false });
  const resync$ = new Subject<void>();
  return {
    state$,
    resync$,
    drop: () => state$.next({ status: 'reconnecting', attempt: 1, nextDelayMs: 100, cause: 'transport close' }),
    back: (recovered: boolean) => state$.next({ status: 'connected', recovered, reconnected: true }),
  };
}

/** A refresh whose runs the test settles one by one. */
function controlledRefresh() {
  const runs: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const refresh = () => new Promise<void>((resolve, reject) => runs.push({ resolve, reject }));
  return { runs, refresh };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('a failed refresh is owed: not retried on the same connection, run again on the next one (recovered too)', async () => {
  const svc = service();
  const { runs, refresh } = controlledRefresh();
  const subscription = refreshAfterResync(svc, refresh);
  svc.resync$.next();
  expect(runs).toHaveLength(1);
  runs[0]!.reject(new Error('the connection dropped before the answer'));
  await settle();
  expect(runs).toHaveLength(1); // no hammering on the same connection
  svc.drop();
  svc.back(true); // recovered: no resync$ of its own
  expect(runs).toHaveLength(2);
  runs[1]!.resolve();
  await settle();
  svc.drop();
  svc.back(true);
  expect(runs).toHaveLength(2); // paid: nothing owed any more
  subscription.unsubscribe();
});

test('a resync$ during a run makes it run again after; one run at a time; nothing after unsubscribe', async () => {
  const svc = service();
  const { runs, refresh } = controlledRefresh();
  const seen: string[] = [];
  const subscription = refreshAfterResync(
    svc,
    () => (seen.push('refresh'), refresh()),
    () => seen.push('onResync'),
  );
  svc.resync$.next();
  svc.resync$.next(); // a newer gap while the first run is in flight
  expect(runs).toHaveLength(1);
  expect(seen).toEqual(['onResync', 'refresh', 'onResync']); // recorded before the run reads it
  runs[0]!.resolve();
  await settle();
  expect(runs).toHaveLength(2);
  runs[1]!.resolve();
  await settle();
  expect(runs).toHaveLength(2);
  // Offline: owed until connected.
  svc.drop();
  svc.resync$.next();
  expect(runs).toHaveLength(2);
  svc.back(false);
  expect(runs).toHaveLength(3);
  subscription.unsubscribe();
  runs[2]!.reject(new Error('x'));
  await settle();
  svc.drop();
  svc.back(true);
  svc.resync$.next();
  expect(runs).toHaveLength(3);
});
