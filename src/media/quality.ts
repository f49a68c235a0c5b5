import type { QualityLevel } from '../contract/index.js';

/** Network figures of one sampling period. */
export interface NetworkSample {
  /** Fraction 0..1 of packets lost in the period. */
  packetLoss: number;
  /** Round-trip time in ms (undefined when unknown). */
  rttMs?: number;
  /** Jitter in ms (undefined when unknown). */
  jitterMs?: number;
  /** Whether any packet arrived or left in the period. */
  flowing: boolean;
}

/**
 * Quality level from loss, RTT and jitter (thresholds in the spirit of the ITU-T G.1010 / WebRTC
 * usual ranges: good < 2 % loss and < 150 ms RTT; poor ≥ 8 % loss or ≥ 400 ms RTT).
 */
export function qualityLevelOf(sample: NetworkSample): QualityLevel {
  if (!sample.flowing) return 'lost';
  const rtt = sample.rttMs ?? 0;
  const jitter = sample.jitterMs ?? 0;
  if (sample.packetLoss >= 0.08 || rtt >= 400 || jitter >= 100) return 'poor';
  if (sample.packetLoss >= 0.02 || rtt >= 150 || jitter >= 30) return 'fair';
  return 'good';
}

interface StatEntry {
  type?: string;
  kind?: string;
  packetsLost?: number;
  packetsReceived?: number;
  packetsSent?: number;
  bytesReceived?: number;
  bytesSent?: number;
  jitter?: number;
  roundTripTime?: number;
  currentRoundTripTime?: number;
  state?: string;
  nominated?: boolean;
}

/** Cumulative counters read from RTCStatsReports. */
export interface StatCounters {
  packetsLost: number;
  packets: number;
  bytes: number;
  rttMs?: number;
  jitterMs?: number;
}

/** Reads the counters of interest from any number of stats reports (send and receive transports). */
export function readCounters(reports: Iterable<{ forEach(callback: (value: unknown) => void): void }>): StatCounters {
  const counters: StatCounters = { packetsLost: 0, packets: 0, bytes: 0 };
  const jitters: number[] = [];
  for (const report of reports) {
    report.forEach((raw) => {
      const stat = raw as StatEntry;
      if (stat.type === 'inbound-rtp') {
        counters.packetsLost += stat.packetsLost ?? 0;
        counters.packets += stat.packetsReceived ?? 0;
        counters.bytes += stat.bytesReceived ?? 0;
        if (typeof stat.jitter === 'number') jitters.push(stat.jitter * 1000);
      } else if (stat.type === 'outbound-rtp') {
        counters.packets += stat.packetsSent ?? 0;
        counters.bytes += stat.bytesSent ?? 0;
      } else if (stat.type === 'remote-inbound-rtp') {
        counters.packetsLost += stat.packetsLost ?? 0;
        if (typeof stat.roundTripTime === 'number') counters.rttMs = stat.roundTripTime * 1000;
      } else if (stat.type === 'candidate-pair' && stat.nominated && typeof stat.currentRoundTripTime === 'number') {
        counters.rttMs = stat.currentRoundTripTime * 1000;
      }
    });
  }
  if (jitters.length > 0) counters.jitterMs = Math.max(...jitters);
  return counters;
}

/** The sample of the period between two cumulative readings. */
export function sampleBetween(previous: StatCounters | undefined, current: StatCounters): NetworkSample {
  const lost = current.packetsLost - (previous?.packetsLost ?? 0);
  const packets = current.packets - (previous?.packets ?? 0);
  const bytes = current.bytes - (previous?.bytes ?? 0);
  const total = Math.max(0, lost) + Math.max(0, packets);
  return {
    packetLoss: total > 0 ? Math.max(0, lost) / total : 0,
    ...(current.rttMs === undefined ? {} : { rttMs: current.rttMs }),
    ...(current.jitterMs === undefined ? {} : { jitterMs: current.jitterMs }),
    flowing: bytes > 0,
  };
}
