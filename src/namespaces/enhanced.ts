import { BehaviorSubject, type Observable } from 'rxjs';
import type { EnhancedConsultationNamespace } from '../contract/index.js';
import type { Channel } from '../core/channel.js';
import type { Scheduler, TimerHandle } from '../core/scheduler.js';
import { NamespaceService } from './service.js';

/**
 * `/enhanced-consultation`: smart join, waiting room with positions, quality guidance. Measures
 * round-trip time with the contract's `ping` → `pong` while connected.
 */
export class EnhancedConsultationService extends NamespaceService<EnhancedConsultationNamespace> {
  private readonly latency = new BehaviorSubject<number | undefined>(undefined);
  private pingTimer: TimerHandle | undefined;
  private pingSentAt: number | undefined;

  /** Last measured round-trip time in ms (undefined until the first `pong`). */
  readonly latency$: Observable<number | undefined> = this.latency.asObservable();

  constructor(
    channel: Channel<EnhancedConsultationNamespace>,
    private readonly scheduler: Scheduler,
    intervalMs: number,
  ) {
    super(channel);
    if (intervalMs <= 0) return;
    const pongs = this.on('pong').subscribe(() => {
      if (this.pingSentAt !== undefined) this.latency.next(this.scheduler.now() - this.pingSentAt);
      this.pingSentAt = undefined;
    });
    // The namespace's state ends with the client: pings stop and the latency stream completes then.
    this.state$.subscribe({
      next: (state) => (state.status === 'connected' ? this.startPings(intervalMs) : this.stopPings()),
      complete: () => {
        this.stopPings();
        pongs.unsubscribe();
        this.latency.complete();
      },
    });
  }

  private startPings(intervalMs: number): void {
    if (this.pingTimer) return;
    const ping = () => {
      if (!this.connected) return;
      this.pingSentAt = this.scheduler.now();
      // Validated like any send; a ping that cannot go out now is simply skipped.
      this.emit('ping', { timestamp: this.pingSentAt }).catch(() => undefined);
    };
    ping();
    this.pingTimer = this.scheduler.setInterval(ping, intervalMs, { background: true });
  }

  private stopPings(): void {
    this.scheduler.clear(this.pingTimer);
    this.pingTimer = undefined;
  }
}
