import type { Manager } from 'socket.io-client';
import type { Scheduler, TimerHandle } from './scheduler.js';

/**
 * Dead-link detection. socket.io notices a dead link only after pingInterval + pingTimeout (45 s
 * with server defaults); a half-open TCP connection (Wi-Fi drop, sleeping NAT) looks alive until
 * then. This watch records every inbound packet; after `probeAfterMs` of silence it sends a probe
 * any Socket.IO server answers (a CONNECT for a namespace nobody serves: the reply is CONNECT or
 * CONNECT_ERROR, so it proves the link without server cooperation); after `deadLinkTimeoutMs` of
 * silence it closes the engine so the Manager reconnects.
 */
export class LivenessWatch {
  private lastInbound: number;
  private probed = false;
  private timer: TimerHandle | undefined;
  private readonly touch = () => {
    this.lastInbound = this.scheduler.now();
    this.probed = false;
  };

  constructor(
    private readonly manager: Manager,
    private readonly scheduler: Scheduler,
    private readonly probeAfterMs: number,
    private readonly deadLinkTimeoutMs: number,
    private readonly onDead: (silentMs: number) => void,
  ) {
    this.lastInbound = scheduler.now();
    manager.on('packet', this.touch);
    manager.on('ping', this.touch);
    manager.on('open', this.touch);
  }

  /** Starts watching (when a namespace is connected); idempotent. */
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

  dispose(): void {
    this.stop();
    this.manager.off('packet', this.touch);
    this.manager.off('ping', this.touch);
    this.manager.off('open', this.touch);
  }

  private check(): void {
    const engine = this.manager.engine;
    if (!engine || engine.readyState !== 'open') return;
    const silentMs = this.scheduler.now() - this.lastInbound;
    if (silentMs >= this.deadLinkTimeoutMs) {
      this.touch();
      this.onDead(silentMs);
    } else if (silentMs >= this.probeAfterMs && !this.probed) {
      this.probed = true;
      const probe = this.manager.socket('/hcw-liveness-probe', { auth: {} });
      probe.once('connect', () => probe.disconnect());
      probe.once('connect_error', () => {});
      probe.connect();
    }
  }
}
