/**
 * Peer-to-peer join → first remote frame in Chromium (issue 16): a doctor page is in the room with
 * its camera on; a patient page joins (client, room, camera and microphone at once, as an app
 * does), the server's presence starts the call, and each page times the first painted frame of
 * the other's video (requestVideoFrameCallback, framesDecoded > 0). Fresh pages every run.
 *
 * Run on its own: `npx tsx bench/p2p-join.ts [runs]` (default 7). Its default export is a
 * {@link Benchmark} for bench/run.ts.
 */
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startRootPrefixedServer } from '../test-server/generic/systems/root-prefixed.js';
import { CHROMIUM, MEDIA_ARGS } from '../test/support/chromium.js';
import { firstFrame, openSide, servePages, type Probe, type Side } from '../test/support/p2p-call.js';
import { list, median, ms, percentile, type Benchmark } from './lib/result.js';

const ROOM = 'consultation-bench';

function runsFrom(argv: readonly string[]): number {
  const raw = argv.find((arg) => /^\d+$/.test(arg)) ?? process.env.P2P_RUNS ?? '7';
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer (got ${raw})`);
  return runs;
}

const eventAt = (probe: Probe, what: RegExp) => probe.events.find((event) => what.test(event.what))?.wall;

const p2pJoin: Benchmark = {
  name: 'p2p-join',
  title: 'Peer-to-peer: join → first remote frame in Chromium',
  async run() {
    const runs = runsFrom(process.argv.slice(2));
    const server = await startRootPrefixedServer();
    const pages = await servePages();
    let browser: Browser | undefined;
    const atPatient: number[] = [];
    const atDoctor: number[] = [];
    const inRoom: number[] = [];
    const called: number[] = [];
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: MEDIA_ARGS });
      for (let run = 0; run < runs; run++) {
        const sides: Side[] = [];
        try {
          const open = (user: string, peer: string) =>
            openSide(browser!, { pageUrl: pages.url, signallingUrl: server.url, roomId: ROOM, user, peer, together: true });
          sides.push(await open('doctor', 'patient'));
          const patient = await open('patient', 'doctor');
          sides.push(patient);
          const doctor = sides[0]!;
          const t0 = (await patient.probe()).startedWall!;
          const [patientFrame, doctorFrame] = await Promise.all([firstFrame(patient, t0), firstFrame(doctor, t0)]);
          atPatient.push(patientFrame);
          atDoctor.push(doctorFrame);
          const probe = await patient.probe();
          inRoom.push((eventAt(probe, /^signalling up$/) ?? NaN) - t0);
          called.push((eventAt(probe, /^connection to doctor made$/) ?? NaN) - t0);
          console.log(`[bench:p2p-join] run ${run + 1}/${runs}: patient ${patientFrame} ms, doctor ${doctorFrame} ms`);
        } finally {
          await Promise.all(sides.map((side) => side.context.close().catch(() => undefined)));
        }
      }
    } finally {
      await browser?.close().catch(() => undefined);
      await pages.close();
      await server.close();
    }
    const both = atPatient.map((value, i) => Math.max(value, atDoctor[i]!));
    return {
      target: 'none set: reported (median of several runs)',
      value: `median ${ms(median(both))} (video both ways); ${ms(median(atPatient))} at the joiner, ${ms(median(atDoctor))} at the peer already there`,
      pass: null,
      context: [
        `join → first remote frame on both pages (the later of the two): median ${ms(median(both))}, p90 ${ms(percentile(both, 90))}; ${runs} runs (ms): ${list(both)}`,
        `at the joining page (the doctor's video): median ${ms(median(atPatient))} (ms: ${list(atPatient)}); at the page already in the room (the joiner's video): median ${ms(median(atDoctor))} (ms: ${list(atDoctor)})`,
        `on the way, at the joining page: in the room (signalling up) median ${ms(median(inRoom))}; its connection to the doctor created (from the server's list, or the doctor's first offer) median ${ms(median(called))}`,
        "each side's sources go on send-only transceivers of its own: each side offers its own (two offer/answer exchanges) before video flows both ways",
      ],
      method:
        'Headless Debian Chromium (playwright-core, fake devices) with two pages of test/support/p2p-page/ (PeerMediaManager over the root-prefixed adapter) against the root-prefixed generic test server on 127.0.0.1; ' +
        `the doctor joins first, then the patient page calls \`start\` and \`startCamera\`/\`startMicrophone\` at once; times run from that call to the first \`requestVideoFrameCallback\` of the other's video on each page (one wall clock), fresh pages each of ${runs} runs.`,
    };
  },
};

export default p2pJoin;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await p2pJoin.run();
  console.log(`\n${p2pJoin.title}\n  value: ${result.value}`);
  for (const line of result.context) console.log(`  ${line}`);
  process.exit(0);
}
