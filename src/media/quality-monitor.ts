import type { types as ms } from 'mediasoup-client';
import { BehaviorSubject, type Observable } from 'rxjs';
import type { QualityLevel } from '../contract/index.js';
import type { TimerHandle } from '../core/scheduler.js';
import { qualityLevelOf, readCounters, sampleBetween, type StatCounters } from './quality.js';
import type { MediaSignalling } from './signalling-port.js';

export interface QualityMonitorOptions {
  /** Stats period; 0 disables sampling (quality still reads "lost" when the link is). */
  readonly intervalMs: number;
  /** The transports to sample. */
  readonly transports: () => ms.Transport[];
  /** Each period's level, for the sender to adapt. */
  readonly onLevel: (level: QualityLevel) => Promise<void>;
}

/** ICE states in which nothing flows, whatever the counters say. */
const DOWN: ReadonlySet<ms.ConnectionState> = new Set(['disconnected', 'failed']);

/**
 * Connection quality from `getStats` every period, told to the server; "lost" at once when the
 * signalling or a transport goes down (counters of bytes sent keep growing into a dead link).
 */
export class QualityMonitor {
  private readonly quality = new BehaviorSubject<QualityLevel | undefined>(undefined);
  private timer: TimerHandle | undefined;
  private last: StatCounters | undefined;
  readonly quality$: Observable<QualityLevel | undefined> = this.quality.asObservable();

  constructor(
    private readonly signalling: MediaSignalling,
    private readonly options: QualityMonitorOptions,
  ) {}

  get current(): QualityLevel | undefined {
    return this.quality.value;
  }

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = this.signalling.scheduler.setInterval(() => void this.sample(), this.options.intervalMs, { background: true });
  }

  stop(): void {
    this.signalling.scheduler.clear(this.timer);
    this.timer = undefined;
    this.last = undefined;
  }

  /** The link went down (signalling offline, a transport disconnected): say so now. */
  lost(): void {
    if (this.quality.value !== 'lost') this.quality.next('lost');
  }

  /** One period: local level, then reported to the server unless the signalling is offline. */
  async sample(): Promise<QualityLevel | undefined> {
    const transports = this.options.transports();
    if (transports.length === 0) return undefined;
    const reports = await Promise.all(transports.map((transport) => transport.getStats()));
    const counters = readCounters(reports);
    const sample = sampleBetween(this.last, counters);
    this.last = counters;
    const down = !this.signalling.connected || transports.some((transport) => DOWN.has(transport.connectionState));
    const level = down ? 'lost' : qualityLevelOf(sample);
    this.quality.next(level);
    await this.options.onLevel(level);
    if (down) return level;
    await this.signalling.reportStats({
      transportId: transports[0]!.id,
      packetLoss: sample.packetLoss,
      rttMs: sample.rttMs,
      jitterMs: sample.jitterMs,
      bytes: counters.bytes,
      level,
    });
    return level;
  }

  complete(): void {
    this.stop();
    this.quality.complete();
  }
}
