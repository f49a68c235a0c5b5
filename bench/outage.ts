/**
 * Recovery from a real network outage in Chromium (issue 15): the three cases of
 * test/browser/outage.test.ts — the patient's link down 5 s, down 25 s, packets silently dropped
 * 12 s — each run N times (default 5: `OUTAGE_RUNS=3`, or a number as argument), medians of
 * link back → patient connected, and → first new remote frame on the patient's page and on the
 * practitioner's.
 *
 * Run on its own: `npx tsx bench/outage.ts [runs]` (root, `ip netns`, nft and Chromium needed;
 * about 70 s per round of three cases). Its default export is a {@link Benchmark} for bench/run.ts.
 */
import { fileURLToPath } from 'node:url';
import { CASES, describeResult, openCall, runCase, startOutageRig, type CaseResult } from '../test/support/outage.js';
import { list, median, ms, type Benchmark } from './lib/result.js';

/**
 * The issue's targets, on the median of each case: video back (link back → first new remote
 * frame, on both pages) within 1 s after a 5 s outage and 2 s after a 25 s one or a silent drop;
 * for the silent drop, the reconnecting banner within 10 s. Connected again within 1 s throughout.
 */
const TARGET = {
  connectedMs: 1000,
  frameMs: { 'link down 5 s': 1000, 'link down 25 s': 2000, 'silent drop 12 s': 2000 } as Record<string, number>,
  silentBannerMs: 10_000,
};

function runsFrom(argv: readonly string[]): number {
  const raw = argv.find((arg) => /^\d+$/.test(arg)) ?? process.env.OUTAGE_RUNS ?? '5';
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer (got ${raw})`);
  return runs;
}

const FIGURES = [
  ['connected', 'link back → patient connected', (r: CaseResult) => r.connectedAfterUp],
  ['patient frame', 'link back → first new remote frame, patient page', (r: CaseResult) => r.patientFrameAfterUp],
  ['practitioner frame', 'link back → first new remote frame, practitioner page', (r: CaseResult) => r.doctorFrameAfterUp],
] as const;

const outage: Benchmark = {
  name: 'outage',
  title: 'Real network outage: link back → connected, → first new remote frame (Chromium, netns)',
  async run() {
    const runs = runsFrom(process.argv.slice(2));
    const results = new Map<string, CaseResult[]>(CASES.map((c) => [c.name, []]));
    const rig = await startOutageRig();
    try {
      for (let round = 0; round < runs; round++) {
        for (const outageCase of CASES) {
          const call = await openCall(rig);
          try {
            const result = await runCase(rig, call, outageCase, { backTimeoutMs: 30_000, settleMs: 1000 });
            console.log(`[bench:outage] round ${round + 1}/${runs} ${describeResult(result)}`);
            results.get(outageCase.name)!.push(result);
          } finally {
            await call.close();
          }
        }
      }
    } finally {
      await rig.close();
    }

    const context: string[] = [];
    const notes: string[] = [];
    let pass = true;
    for (const outageCase of CASES) {
      const caseResults = results.get(outageCase.name)!;
      const parts: string[] = [];
      for (const [key, label, pick] of FIGURES) {
        const values = caseResults.map(pick);
        const got = values.filter((v): v is number => v !== undefined);
        const missing = values.length - got.length;
        const mid = got.length > 0 ? median(got) : NaN;
        parts.push(`${key} ${got.length > 0 ? ms(mid) : 'never'}`);
        context.push(
          `${outageCase.name}, ${label}: median ${got.length > 0 ? ms(mid) : 'never'} (ms: ${list(got)}${missing > 0 ? `; ${missing} of ${values.length} never within 30 s` : ''})`,
        );
        const limit = key === 'connected' ? TARGET.connectedMs : (TARGET.frameMs[outageCase.name] ?? 2000);
        if (missing > 0 || !(mid <= limit)) pass = false;
      }
      if (outageCase.kind === 'drop') {
        const banners = caseResults.map((r) => r.bannerDuringOutage).filter((v): v is number => v !== undefined);
        const mid = banners.length === caseResults.length ? median(banners) : NaN;
        context.push(`${outageCase.name}, drop → reconnecting banner: median ${banners.length ? ms(mid) : 'never'} (ms: ${list(banners)})`);
        if (!(mid <= TARGET.silentBannerMs)) pass = false;
      }
      const extra = caseResults.filter(
        (r) =>
          r.chatOnDoctor !== 1 || Object.values(r.patientTiles).some((n) => n !== 1) || Object.values(r.doctorTiles).some((n) => n !== 1),
      );
      if (extra.length > 0) notes.push(`${outageCase.name}: ${extra.length} run(s) with a chat copy count ≠ 1 or a duplicate tile`);
      console.log(`[bench:outage] ${outageCase.name}: ${parts.join(', ')}`);
    }
    return {
      target: `link back → connected ≤ ${ms(TARGET.connectedMs)}; → first new remote frame on both pages ≤ ${CASES.map((c) => `${ms(TARGET.frameMs[c.name] ?? 2000)} (${c.name})`).join(', ')}; silent drop → banner ≤ ${ms(TARGET.silentBannerMs)} (medians)`,
      value: CASES.map((c) => {
        const r = results.get(c.name)!;
        const mid = (pick: (x: CaseResult) => number | undefined) => {
          const got = r.map(pick).filter((v): v is number => v !== undefined);
          return got.length === r.length ? ms(median(got)) : 'never';
        };
        return `${c.name}: ${mid((x) => x.connectedAfterUp)} / ${mid((x) => x.patientFrameAfterUp)} / ${mid((x) => x.doctorFrameAfterUp)}`;
      }).join('; '),
      pass,
      context: [`${runs} run(s) per case; value: connected / patient page frame / practitioner page frame`, ...context],
      method:
        'Two headless Debian Chromiums (playwright-core, fake devices) on the web demo against the test server (full profile, real mediasoup): the practitioner in the root network namespace, the patient in a network namespace reaching the server over a veth (test/support/netns.ts). ' +
        'Each case takes the namespace side of the veth down (5 s, 25 s) or drops every packet on it with nftables (12 s), then restores it; times run from the restore to the patient page’s client state `connected` and to the first `requestVideoFrameCallback` of ten new remote frames on each page. ' +
        'After the 25 s outage the session is rebuilt, and its new peer connections get no local candidate until Chromium refreshes its network list: about 1.5 s after the link is up, or about 3.3 s when the kernel re-adds the interface’s IPv6 link-local address (about 1.7 s after, once duplicate address detection ends) while Chromium is still waiting out its network-change delay (watched with `ip monitor address`, the pages’ ICE events and `getStats()`; with IPv6 disabled in the namespace, 3 of 3 runs took 1.5 s). That case’s runs are either figure; the SDK’s own part, from the first local candidate to the first frame, is about 50 ms. After 5 s the transports are kept and their ICE restarted; a run can meet the same 3.3 s wait when Chromium has already dropped the interface.',
      ...(notes.length > 0 ? { notes } : {}),
    };
  },
};

export default outage;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await outage.run();
  console.log(`\n${outage.title}\n  value: ${result.value}\n  target: ${result.target}: ${result.pass ? 'MET' : 'MISSED'}`);
  for (const line of result.context) console.log(`  ${line}`);
  for (const line of result.notes ?? []) console.log(`  note: ${line}`);
  process.exit(0);
}
