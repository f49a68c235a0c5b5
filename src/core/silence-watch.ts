import type { Scheduler, TimerHandle } from './scheduler.js';

/**
 * Dead-link detection: a half-open TCP connection (Wi-Fi gone, a sleeping NAT) looks alive until
 * something is written to it, and Engine.IO's own heartbeat notices only after pingInterval +
 * pingTimeout (45 s with server defaults). After `probeAfterMs` without inbound traffic the watch
 * sends a probe the server must answer (`probe`: the contract's ping for a plain WebSocket; for
 * Socket.IO, a CONNECT to a namespace nobody serves, which any server answers); after
 * `deadLinkTimeoutMs` without any it declares the link dead (`onDead`), so it is closed and
 * reconnected.
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
