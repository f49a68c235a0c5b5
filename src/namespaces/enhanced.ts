import { BehaviorSubject, type Observable, type Subscription } from 'rxjs';
import type { Socket } from 'socket.io-client';
import type { EnhancedConsultationNamespace } from '../contract/index.js';
import { Channel, type ChannelHost } from '../core/channel.js';

/**
 * `/enhanced-consultation`: smart join, waiting room with positions, quality guidance. Measures
 * round-trip time with the contract's `ping` → `pong` while connected.
 */
export class EnhancedConsultationService extends Channel<EnhancedConsultationNamespace> {
  private readonly latency = new BehaviorSubject<number | undefined>(undefined);
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongSubscription: Subscription | undefined;
  private pingSentAt: number | undefined;

  /** Last measured round-trip time in ms (undefined until the first `pong`). */
  readonly latency$: Observable<number | undefined> = this.latency.asObservable();

  constructor(spec: EnhancedConsultationNamespace, socket: Socket, host: ChannelHost) {
    super(spec, socket, host);
    const intervalMs = host.options.heartbeat.latencyPingIntervalMs;
    if (intervalMs > 0) {
      this.pongSubscription = this.on('pong').subscribe(() => {
        if (this.pingSentAt !== undefined) this.latency.next(Date.now() - this.pingSentAt);
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
      this.pingSentAt = Date.now();
      this.socket.emit('ping', { timestamp: this.pingSentAt });
    };
    ping();
    this.pingTimer = setInterval(ping, intervalMs);
    (this.pingTimer as { unref?: () => void }).unref?.();
  }

  private stopPings(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }
}
