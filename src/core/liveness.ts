import type { SocketIoManager } from './socketio/manager.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

/**
 * Dead-link detection. Engine.IO notices a dead link only after pingInterval + pingTimeout (45 s
 * with server defaults); a half-open TCP connection (Wi-Fi drop, sleeping NAT) looks alive until
 * then. This watch records every inbound packet; after `probeAfterMs` of silence it sends a probe
 * any Socket.IO server answers (a CONNECT for a namespace nobody serves: the reply is CONNECT or
 * CONNECT_ERROR, so it proves the link without server cooperation); after `deadLinkTimeoutMs` of
 * silence it tells its owner, which closes the connection and reconnects.
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
    private readonly manager: SocketIoManager,
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
    if (this.manager.readyState !== 'open') return;
    const silentMs = this.scheduler.now() - this.lastInbound;
    if (silentMs >= this.deadLinkTimeoutMs) {
      this.touch();
      this.onDead(silentMs);
    } else if (silentMs >= this.probeAfterMs && !this.probed) {
      this.probed = true;
      this.manager.probe('/hcw-liveness-probe');
    }
  }
}
