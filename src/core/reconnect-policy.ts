/** What a {@link ReconnectPolicy} decides from. */
export interface ReconnectContext {
  /** This attempt's number, from 1 after each successful connection. */
  readonly attempt: number;
  /** Since the connection was lost (or the first attempt failed). */
  readonly elapsedMs: number;
  /** Why the last connection or attempt ended (`transport close`, `dead link`, an error message...). */
  readonly cause: string;
}

/**
 * When to try again after a connection was lost, like LiveKit's `ReconnectPolicy`: the delay
 * before attempt `context.attempt`, or `null` to stop (the namespaces become `failed`). Pure:
 * the connection owns the timers.
 */
export interface ReconnectPolicy {
  nextDelayMs(context: ReconnectContext): number | null;
}

export interface BackoffOptions {
  delayMs: number;
  maxDelayMs: number;
  /** 0..1: each delay is moved by up to this fraction, up or down. */
  jitter: number;
  maxAttempts: number;
}

/**
 * The default policy: exponential backoff with jitter, capped (socket.io's own formula:
 * `delay × 2^(attempt−1)`, ± `jitter`, at most `maxDelayMs`), `null` after `maxAttempts`.
 */
export function exponentialBackoff(options: BackoffOptions, random: () => number = Math.random): ReconnectPolicy {
  return {
    nextDelayMs({ attempt }) {
      if (attempt > options.maxAttempts) return null;
      let ms = options.delayMs * 2 ** (attempt - 1);
      if (options.jitter > 0) {
        const rand = random();
        const deviation = Math.floor(rand * options.jitter * ms);
        ms = (Math.floor(rand * 10) & 1) === 0 ? ms - deviation : ms + deviation;
      }
      return Math.floor(Math.min(ms, options.maxDelayMs));
    },
  };
}
