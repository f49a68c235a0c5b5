/** A timer started by a {@link Scheduler}. */
export type TimerHandle = { readonly __timer: true };

/**
 * The one seam for time: every timer and clock read of the SDK goes through it, so tests drive
 * time and apps can plug their own (a framework's zone, a worker).
 */
export interface Scheduler {
  now(): number;
  /** `background`: a timer that must not keep a Node process alive (heartbeats, watches). */
  setTimeout(callback: () => void, ms: number, options?: { background?: boolean }): TimerHandle;
  setInterval(callback: () => void, ms: number, options?: { background?: boolean }): TimerHandle;
  clear(handle: TimerHandle | undefined): void;
}

type NativeTimer = ReturnType<typeof globalThis.setTimeout> & { unref?: () => void };

/** The host's timers and clock (`setTimeout`, `Date.now`), looked up on each call so test fakes apply. */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout(callback, ms, options) {
    return started(globalThis.setTimeout(callback, ms), options?.background, 'timeout');
  },
  setInterval(callback, ms, options) {
    return started(globalThis.setInterval(callback, ms), options?.background, 'interval');
  },
  clear(handle) {
    if (!handle) return;
    const { timer, kind } = handle as unknown as Started;
    if (kind === 'interval') globalThis.clearInterval(timer);
    else globalThis.clearTimeout(timer);
  },
};

interface Started {
  readonly __timer: true;
  readonly timer: NativeTimer;
  readonly kind: 'timeout' | 'interval';
}

function started(timer: NativeTimer, background: boolean | undefined, kind: Started['kind']): TimerHandle {
  if (background) timer.unref?.();
  return { __timer: true, timer, kind } as Started;
}
