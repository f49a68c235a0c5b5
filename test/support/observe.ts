import { firstValueFrom, filter, timeout, type Observable } from 'rxjs';

/** Resolves with the first value matching `predicate`, or rejects after `ms`. */
export function waitFor<T>(source: Observable<T>, predicate: (value: T) => boolean, ms = 5000): Promise<T> {
  return firstValueFrom(source.pipe(filter(predicate), timeout({ first: ms })));
}

/** Records every value of `source` until the returned stop function is called. */
export function record<T>(source: Observable<T>): { values: T[]; stop: () => void } {
  const values: T[] = [];
  const subscription = source.subscribe((value) => values.push(value));
  return { values, stop: () => subscription.unsubscribe() };
}

/** Waits until `check` is true, polling (real time). */
export async function until(check: () => boolean, ms = 5000, label = 'condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
