import { BehaviorSubject, type Observable } from 'rxjs';
import type { QualityLevel } from '../../contract/index.js';
import type { Scheduler, TimerHandle } from '../../core/scheduler.js';
import { qualityLevelOf, readCounters, sampleBetween, type StatCounters } from '../quality.js';

/** What the monitor samples: the peer connections of the call now. */
export interface SampledConnection {
  readonly connectionState: RTCPeerConnectionState;
  getStats(): Promise<RTCStatsReport>;
}

/**
 * Call quality from `getStats` of every peer connection each period, with the thresholds of the
 * mediasoup manager (`qualityLevelOf`). Peer-to-peer media does not go through the signalling, so
 * a signalling drop alone is not "lost": only a connection down, or nothing flowing, is.
 */
export class PeerQuality {
  private readonly quality = new BehaviorSubject<QualityLevel | undefined>(undefined);
  private timer: TimerHandle | undefined;
  private last: StatCounters | undefined;
  /** The connections of the last period: counters are compared only over the same ones. */
  private lastSet: readonly SampledConnection[] = [];
  readonly quality$: Observable<QualityLevel | undefined> = this.quality.asObservable();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly intervalMs: number,
    private readonly connections: () => readonly SampledConnection[],
  ) {}

  get current(): QualityLevel | undefined {
    return this.quality.value;
  }

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = this.scheduler.setInterval(() => void this.sample().catch(() => undefined), this.intervalMs, { background: true });
  }

  /** One period now; `undefined` without any peer. */
  async sample(): Promise<QualityLevel | undefined> {
    const connections = this.connections();
    if (connections.length === 0) return undefined;
    const counters = readCounters(await Promise.all(connections.map((connection) => connection.getStats())));
    const same = connections.length === this.lastSet.length && connections.every((connection, i) => connection === this.lastSet[i]);
    const sample = sampleBetween(same ? this.last : undefined, counters);
    this.last = counters;
    this.lastSet = connections;
    const down = connections.some((connection) => connection.connectionState === 'failed' || connection.connectionState === 'disconnected');
    const level = down ? 'lost' : qualityLevelOf(sample);
    if (!this.quality.closed) this.quality.next(level);
    return level;
  }

  complete(): void {
    this.scheduler.clear(this.timer);
    this.timer = undefined;
    this.quality.complete();
  }
}
