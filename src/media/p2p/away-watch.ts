import type { Scheduler, TimerHandle } from '../../core/scheduler.js';
import type { WatchedConnection } from './ice-watchdog.js';

type Watched = Pick<WatchedConnection, 'connectionState' | 'addEventListener' | 'removeEventListener'>;

/**
 * A peer whose signalling went away without leaving (a lost connection, or a signalling that
 * cannot tell): its call is kept while its media flows, and ended (`onGone`) once its connection is
 * down too — at once when `failed` or `closed`, after `graceMs` when it is anything else but
 * `connected` (`disconnected` often heals; a call still connecting may finish). Stopped when the
 * peer is back.
 */
export class AwayWatch {
  private watching = false;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly pc: Watched,
    private readonly options: { readonly scheduler: Scheduler; readonly graceMs: number; readonly onGone: () => void },
  ) {}

  get away(): boolean {
    return this.watching;
  }

  /** The peer's signalling went away: watch its connection. */
  start(): void {
    if (this.watching) return;
    this.watching = true;
    this.pc.addEventListener('connectionstatechange', this.check);
    this.check();
  }

  /** The peer is back (or the call ends): nothing to watch. */
  stop(): void {
    if (!this.watching) return;
    this.watching = false;
    this.pc.removeEventListener('connectionstatechange', this.check);
    this.clear();
  }

  private readonly check = () => {
    const state = this.pc.connectionState;
    if (state === 'connected') return this.clear();
    if (state === 'failed' || state === 'closed') return this.gone();
    this.timer ??= this.options.scheduler.setTimeout(() => {
      this.timer = undefined;
      if (this.watching && this.pc.connectionState !== 'connected') this.gone();
    }, this.options.graceMs);
  };

  private gone(): void {
    this.stop();
    this.options.onGone();
  }

  private clear(): void {
    this.options.scheduler.clear(this.timer);
    this.timer = undefined;
  }
}
