import { BehaviorSubject, type Observable, type Subscription } from 'rxjs';
import type { Socket } from 'socket.io-client';
import type { EnhancedConsultationNamespace } from '../contract/index.js';
import { Channel, type ChannelHost } from '../core/channel.js';
import type { Scheduler, TimerHandle } from '../core/scheduler.js';

/**
 * `/enhanced-consultation`: smart join, waiting room with positions, quality guidance. Measures
 * round-trip time with the contract's `ping` → `pong` while connected.
 */
export class EnhancedConsultationService extends Channel<EnhancedConsultationNamespace> {
  private readonly latency = new BehaviorSubject<number | undefined>(undefined);
  private pingTimer: TimerHandle | undefined;
  private readonly scheduler: Scheduler;
  private pongSubscription: Subscription | undefined;
  private pingSentAt: number | undefined;

  /** Last measured round-trip time in ms (undefined until the first `pong`). */
  readonly latency$: Observable<number | undefined> = this.latency.asObservable();

  constructor(spec: EnhancedConsultationNamespace, socket: Socket, host: ChannelHost) {
    super(spec, socket, host);
    this.scheduler = host.options.scheduler;
    const intervalMs = host.options.heartbeat.latencyPingIntervalMs;
    if (intervalMs > 0) {
      this.pongSubscription = this.on('pong').subscribe(() => {
        if (this.pingSentAt !== undefined) this.latency.next(this.scheduler.now() - this.pingSentAt);
        this.pingSentAt = undefined;
      });
      this.state$.subscribe((state) => (state.status === 'connected' ? this.startPings(intervalMs) : this.stopPings()));
    }
  }

  override dispose(): void {
    this.stopPings();
    this.pongSubscription?.unsubscribe();
    super.dispose();
    this.latency.complete();
  }

  private startPings(intervalMs: number): void {
    if (this.pingTimer) return;
    const ping = () => {
      if (!this.connected) return;
      this.pingSentAt = this.scheduler.now();
      this.socket.emit('ping', { timestamp: this.pingSentAt });
    };
    ping();
    this.pingTimer = this.scheduler.setInterval(ping, intervalMs, { background: true });
  }

  private stopPings(): void {
    this.scheduler.clear(this.pingTimer);
    this.pingTimer = undefined;
  }
}
