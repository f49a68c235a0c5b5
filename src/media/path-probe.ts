import type { types as ms } from 'mediasoup-client';
import type { Scheduler } from '../core/scheduler.js';

/** Whether a transport's current path still carries packets to this side. */
export type PathProbe = (transport: ms.Transport) => Promise<boolean>;

/**
 * A path is alive when the transport receives bytes within `windowMs`: RTP on a receiving transport,
 * RTCP and congestion feedback on a sending one (both arrive many times a second while media
 * flows). After a short outage on an unchanged network the old ICE pair resumes by itself, often
 * before ICE reads `connected` again; restarting ICE then only moves the media to a new pair,
 * which costs up to a second of video. A dead path (a new network, a NAT that forgot the binding)
 * receives nothing, and is restarted after `windowMs`.
 */
export function createPathProbe(scheduler: Scheduler, windowMs: number): PathProbe {
  return async (transport) => {
    const before = await bytesReceived(transport);
    if (before === undefined) return false;
    await new Promise<void>((resolve) => scheduler.setTimeout(resolve, windowMs, { background: true }));
    if (transport.closed) return false;
    const after = await bytesReceived(transport);
    return after !== undefined && after > before;
  };
}

/** Bytes received on the transport so far (its `transport` stats, else its candidate pairs'), if the stats say. */
async function bytesReceived(transport: ms.Transport): Promise<number | undefined> {
  let report: RTCStatsReport;
  try {
    report = await transport.getStats();
  } catch {
    return undefined;
  }
  let transportBytes: number | undefined;
  let pairBytes: number | undefined;
  report.forEach((stat: { type?: string; bytesReceived?: unknown }) => {
    if (typeof stat.bytesReceived !== 'number') return;
    if (stat.type === 'transport') transportBytes = (transportBytes ?? 0) + stat.bytesReceived;
    else if (stat.type === 'candidate-pair') pairBytes = (pairBytes ?? 0) + stat.bytesReceived;
  });
  return transportBytes ?? pairBytes;
}
