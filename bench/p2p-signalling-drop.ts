/**
 * Peer-to-peer video through a signalling drop in Chromium (issue 16): the video does not go
 * through the server, so it should never stop; what is measured is the longest gap between painted
 * remote frames on each page during the drop (against the same figure over the seconds before
 * it), and how long after the signalling is back the renegotiation (an ICE restart both ways:
 * new credentials, stable, connected) completes. Two cases, N runs each (fresh pages):
 *
 * - `server restart 3 s`: the root-prefixed test server stops (every session and room lost) and
 *   comes back 3 s later on the same port; both pages reconnect and re-join.
 * - `one side's transport drop`: the server closes the patient's transport only; the patient
 *   reconnects (its new session re-joins), the doctor stays connected and sees it away and back.
 *
 * Run on its own: `npx tsx bench/p2p-signalling-drop.ts [runs]` (default 5). Its default export is a
 * {@link Benchmark} for bench/run.ts.
 */
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { rootPrefixedContract } from '../src/contracts/root-prefixed.js';
import type { ContractServer } from '../test-server/generic/server.js';
import { startRootPrefixedServer } from '../test-server/generic/systems/root-prefixed.js';
import { CHROMIUM, MEDIA_ARGS } from '../test/support/chromium.js';
import {
  longestFrameGap,
  openSide,
  probeUntil,
  servePages,
  videoFlowing,
  type PageServer,
  type Probe,
  type Side,
} from '../test/support/p2p-call.js';
import { list, median, ms, sleep, until, type Benchmark } from './lib/result.js';

const ROOM = 'consultation-drop';
const BASELINE_MS = 3000;
const RESTART_DOWN_MS = 3000;

type Server = ContractServer<typeof rootPrefixedContract>;

interface Case {
  readonly name: string;
  /** The pages whose signalling it drops. */
  readonly drops: readonly string[];
  /** Drops the signalling; resolves with the wall time it is back on the server's side. */
  drop(server: Server): Promise<number>;
}

const CASES: readonly Case[] = [
  {
    name: 'server restart 3 s',
    drops: ['doctor', 'patient'],
    async drop(server) {
      await server.faults.restart(RESTART_DOWN_MS);
      return Date.now();
    },
  },
  {
    name: "one side's transport drop",
    drops: ['patient'],
    async drop(server) {
      const socket = server.sockets('root').find((s) => (s.data as { user?: string }).user === 'patient');
      if (!socket) throw new Error('the patient is not connected');
      socket.conn.close();
      return Date.now();
    },
  },
];

interface Run {
  /** Longest gap between painted frames from the other page: from the drop until renegotiated + 1 s, and over the seconds before (baseline). */
  gap: { doctor: number; patient: number };
  baseline: { doctor: number; patient: number };
  /** How long each page's signalling was down (0: it never went down). */
  down: { doctor: number; patient: number };
  /** Frames each page painted from the other while any signalling was down. */
  framesWhileDown: { doctor: number; patient: number };
  /** The server back (restart case) → each page in the room again. */
  upAfterServer: { doctor: number; patient: number } | undefined;
  /** The last page in the room again → both pages on new ICE credentials, stable and connected. */
  renegotiated: number;
}

function runsFrom(argv: readonly string[]): number {
  const raw = argv.find((arg) => /^\d+$/.test(arg)) ?? process.env.P2P_RUNS ?? '5';
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer (got ${raw})`);
  return runs;
}

/** The page's signalling down and up again after `since` (wall times; undefined: it did not go down). */
function outage(probe: Probe, since: number): { down: number; up: number } | undefined {
  const down = probe.events.find((event) => event.wall >= since && event.what === 'signalling down');
  if (!down) return undefined;
  const up = probe.events.find((event) => event.wall >= down.wall && event.what === 'signalling up');
  return { down: down.wall, up: up?.wall ?? NaN };
}

async function measure(browser: Browser, pages: PageServer, server: Server, dropCase: Case): Promise<Run> {
  const sides: Side[] = [];
  // The previous run's pages are gone from the server (presence starts clean).
  await until(() => server.sockets('root').length === 0, 10_000, "the previous run's sockets gone", 20);
  try {
    const open = (user: string, peer: string) =>
      openSide(browser, { pageUrl: pages.url, signallingUrl: server.url, roomId: ROOM, user, peer, together: true });
    sides.push(await open('doctor', 'patient'), await open('patient', 'doctor'));
    const [doctor, patient] = sides as [Side, Side];
    await Promise.all([videoFlowing(doctor), videoFlowing(patient)]);
    const was = { doctor: await doctor.probe(), patient: await patient.probe() };
    const baselineFrom = Date.now();
    await sleep(BASELINE_MS);
    const dropped = Date.now();
    const serverBack = await dropCase.drop(server);
    // In the room again on both pages (each went down: a restart drops both, a transport drop one).
    // In the room again: the pages the case drops after going down, the others as they are.
    const downs = await Promise.all(
      [doctor, patient].map(async (side) => {
        const drops = dropCase.drops.includes(side.user);
        const back = (p: Probe) => p.signallingUp && (!drops || Number.isFinite(outage(p, dropped)?.up ?? NaN));
        return outage(await probeUntil(side, back, 'not back in the room', 20_000), dropped);
      }),
    );
    const lastUp = Math.max(...downs.map((d) => d?.up ?? 0), dropped);
    const renegotiated = (side: Side, before: Probe) =>
      probeUntil(
        side,
        (p) => p.localUfrag !== before.localUfrag && p.signalingState === 'stable' && p.connectionState === 'connected',
        'not renegotiated',
        20_000,
      );
    await Promise.all([renegotiated(doctor, was.doctor), renegotiated(patient, was.patient)]);
    const done = Date.now();
    await sleep(1000);
    const end = Date.now();
    const firstDown = Math.min(...downs.map((d) => d?.down ?? Infinity));
    const framesBetween = async (side: Side, from: number, to: number) =>
      (await side.page.evaluate(([id, since]) => window.p2p.frameTimes(id, since), [side.peer, from] as const)).filter((t) => t <= to)
        .length;
    const [doctorDown, patientDown] = downs;
    const length = (d: { down: number; up: number } | undefined) => (d ? d.up - d.down : 0);
    return {
      gap: { doctor: await longestFrameGap(doctor, dropped, end), patient: await longestFrameGap(patient, dropped, end) },
      baseline: {
        doctor: await longestFrameGap(doctor, baselineFrom, dropped),
        patient: await longestFrameGap(patient, baselineFrom, dropped),
      },
      down: { doctor: length(doctorDown), patient: length(patientDown) },
      framesWhileDown: {
        doctor: Number.isFinite(firstDown) ? await framesBetween(doctor, firstDown, lastUp) : 0,
        patient: Number.isFinite(firstDown) ? await framesBetween(patient, firstDown, lastUp) : 0,
      },
      upAfterServer: dropCase.name.startsWith('server')
        ? { doctor: (doctorDown?.up ?? NaN) - serverBack, patient: (patientDown?.up ?? NaN) - serverBack }
        : undefined,
      renegotiated: done - lastUp,
    };
  } finally {
    await Promise.all(sides.map((side) => side.context.close().catch(() => undefined)));
  }
}

const p2pDrop: Benchmark = {
  name: 'p2p-signalling-drop',
  title: 'Peer-to-peer: video through a signalling drop in Chromium',
  async run() {
    const runs = runsFrom(process.argv.slice(2));
    const server = await startRootPrefixedServer();
    const pages = await servePages();
    let browser: Browser | undefined;
    const results = new Map<string, Run[]>(CASES.map((c) => [c.name, []]));
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: MEDIA_ARGS });
      for (let round = 0; round < runs; round++) {
        for (const dropCase of CASES) {
          const run = await measure(browser, pages, server, dropCase);
          results.get(dropCase.name)!.push(run);
          console.log(
            `[bench:p2p-signalling-drop] round ${round + 1}/${runs} ${dropCase.name}: gap ${run.gap.doctor}/${run.gap.patient} ms (baseline ${run.baseline.doctor}/${run.baseline.patient}), down ${run.down.doctor}/${run.down.patient} ms, renegotiated ${run.renegotiated} ms after back`,
          );
        }
      }
    } finally {
      await browser?.close().catch(() => undefined);
      await pages.close();
      await server.close();
    }
    const context: string[] = [];
    const values: string[] = [];
    for (const dropCase of CASES) {
      const r = results.get(dropCase.name)!;
      const pick = (f: (x: Run) => number) => r.map(f);
      const gaps = pick((x) => Math.max(x.gap.doctor, x.gap.patient));
      const baselines = pick((x) => Math.max(x.baseline.doctor, x.baseline.patient));
      const reneg = pick((x) => x.renegotiated);
      values.push(
        `${dropCase.name}: longest frame gap ${ms(median(gaps))} (${ms(median(baselines))} before the drop), renegotiated ${ms(median(reneg))} after the signalling is back`,
      );
      context.push(
        `${dropCase.name}, longest gap between painted remote frames from the drop until 1 s after the renegotiation, worse of the two pages: median ${ms(median(gaps))} (ms: ${list(gaps)}); over the ${BASELINE_MS / 1000} s before the drop: median ${ms(median(baselines))} (ms: ${list(baselines)})`,
        `${dropCase.name}: signalling down on the doctor's page median ${ms(median(pick((x) => x.down.doctor)))}, on the patient's ${ms(median(pick((x) => x.down.patient)))}; frames painted meanwhile: doctor's page median ${median(pick((x) => x.framesWhileDown.doctor))}, patient's ${median(pick((x) => x.framesWhileDown.patient))}`,
        ...(r[0]!.upAfterServer
          ? [
              `${dropCase.name}: server back → page in the room again: doctor median ${ms(median(pick((x) => x.upAfterServer!.doctor)))}, patient ${ms(median(pick((x) => x.upAfterServer!.patient)))}`,
            ]
          : []),
        `${dropCase.name}: both pages in the room again → ICE-restart renegotiation complete on both (new credentials, stable, connected; polled every 20 ms): median ${ms(median(reneg))} (ms: ${list(reneg)})`,
      );
    }
    return {
      target: 'none set: reported (medians; the video should never stop, so the frame gap is the figure)',
      value: values.join('; '),
      pass: null,
      context: [`${runs} run(s) per case, fresh pages each`, ...context],
      method:
        'Headless Debian Chromium (playwright-core, fake devices) with two pages of test/support/p2p-page/ (PeerMediaManager over the root-prefixed adapter, presence on) against the root-prefixed generic test server on 127.0.0.1; ' +
        `with video both ways, the signalling is dropped (the server restarted after ${RESTART_DOWN_MS / 1000} s down, or the patient's transport closed by the server); each page records the wall time of every painted remote frame (requestVideoFrameCallback) and its ICE credentials, polled from Node every 20 ms.`,
    };
  },
};

export default p2pDrop;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await p2pDrop.run();
  console.log(`\n${p2pDrop.title}\n  value: ${result.value}`);
  for (const line of result.context) console.log(`  ${line}`);
  process.exit(0);
}
