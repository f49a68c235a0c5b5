import type { ReconnectPolicy } from '../reconnect-policy.js';
import type { Scheduler, TimerHandle } from '../scheduler.js';

/**
 * The reconnection attempts of one link, by the client's {@link ReconnectPolicy}: the attempt
 * count and outage start it decides from (reset once the link opens), and the one pending timer.
 */
export class RetrySchedule {
  private attempt = 0;
  private outageStartedAt: number | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly policy: ReconnectPolicy,
  ) {}

  /** An attempt is waiting for its time. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /**
   * Schedules the next attempt: calls `run` after the policy's delay and returns the attempt's
   * number and delay, or `null` when the policy gives up.
   */
  schedule(cause: string, run: () => void): { attempt: number; delayMs: number } | null {
    const now = this.scheduler.now();
    this.outageStartedAt ??= now;
    this.attempt++;
    const delayMs = this.policy.nextDelayMs({ attempt: this.attempt, elapsedMs: now - this.outageStartedAt, cause });
    if (delayMs === null) return null;
    this.cancel();
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = undefined;
      run();
    }, delayMs);
    return { attempt: this.attempt, delayMs };
  }

  /** Attempts made since the last open, when the outage started. */
  get attempts(): number {
    return this.attempt;
  }

  /** The link opened (or the app asked to reconnect now): the next outage starts from attempt 1. */
  reset(): void {
    this.cancel();
    this.attempt = 0;
    this.outageStartedAt = undefined;
  }

  cancel(): void {
    this.scheduler.clear(this.timer);
    this.timer = undefined;
  }
}
