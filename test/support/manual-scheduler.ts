import type { Scheduler, TimerHandle } from '../../src/index.js';

interface Timer {
  at: number;
  every?: number;
  callback: () => void;
}

const realTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A {@link Scheduler} whose time moves only when the test says so: the SDK's timers (backoff,
 * dead-link watch, request timeouts, heartbeats) run on `advance()`, while real I/O keeps its
 * real event loop. No global is faked.
 */
export class ManualScheduler implements Scheduler {
  private time = 1_000_000;
  private next = 0;
  private readonly timers = new Map<number, Timer>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.add({ at: this.time + ms, callback });
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    return this.add({ at: this.time + ms, every: Math.max(1, ms), callback });
  }

  clear(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete((handle as unknown as { id: number }).id);
  }

  /** Timers waiting to run. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, running every timer that falls due in order, a real event-loop turn after each. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      let due: [number, Timer] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      const [id, timer] = due;
      this.time = timer.at;
      if (timer.every) timer.at += timer.every;
      else this.timers.delete(id);
      timer.callback();
      await realTurn();
    }
    this.time = end;
    await realTurn();
  }

  private add(timer: Timer): TimerHandle {
    const id = ++this.next;
    this.timers.set(id, timer);
    return { __timer: true, id } as unknown as TimerHandle;
  }
}
