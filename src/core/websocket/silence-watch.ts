import type { Scheduler, TimerHandle } from '../scheduler.js';

/**
 * Dead-link detection for one plain WebSocket, through the contract's ping/pong: after `probeAfterMs`
 * without an inbound message it sends a ping (`probe`), which the server answers with a pong; after
 * `deadLinkTimeoutMs` without one it declares the link dead (`onDead`), so it is closed and
 * reconnected. A half-open TCP connection (Wi-Fi gone, a sleeping NAT) looks alive otherwise.
 */
export class SilenceWatch {
  private lastInbound = 0;
  private probed = false;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly probeAfterMs: number,
    private readonly deadLinkTimeoutMs: number,
    private readonly probe: () => void,
    private readonly onDead: (silentMs: number) => void,
  ) {}

  /** Something arrived. */
  touch(): void {
    this.lastInbound = this.scheduler.now();
    this.probed = false;
  }

  /** Starts watching (the link opened); idempotent. */
  start(): void {
    if (this.deadLinkTimeoutMs <= 0 || this.timer) return;
    this.touch();
    const tick = Math.max(50, Math.min(500, Math.floor(this.probeAfterMs / 2)));
    // Never keep a Node process alive just for this.
    this.timer = this.scheduler.setInterval(() => this.check(), tick, { background: true });
  }

  stop(): void {
    this.scheduler.clear(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const silentMs = this.scheduler.now() - this.lastInbound;
    if (silentMs >= this.deadLinkTimeoutMs) {
      this.stop();
      this.onDead(silentMs);
    } else if (silentMs >= this.probeAfterMs && !this.probed) {
      this.probed = true;
      this.probe();
    }
  }
}
