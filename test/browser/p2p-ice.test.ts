/**
 * An ICE failure in a peer-to-peer call while the signalling stays up, in Chromium over a real
 * network: the doctor's Chromium in the root network namespace, the patient's inside a network
 * namespace reaching the root side over a veth (test/support/netns.ts); the root-prefixed test
 * server and the pages on the veth's root-side address. Mid-call, nftables in the namespace drops
 * the UDP port of the patient's selected ICE candidate (and every TCP segment but the
 * signalling's) for good: the media path is dead, the signalling is not. The ICE watchdog must
 * restart ICE (new credentials, new candidates on new ports, negotiated over the live signalling)
 * and remote video must decode new frames again on both pages, over the new candidate pair.
 *
 * Needs root, `ip netns` and nft (scripts/install-system-deps.sh): without them it fails and says
 * why. The namespace (and its nft table) is removed in afterAll, on process exit, and by the next
 * run's sweep.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { rootPrefixedContract } from '../../src/contracts/root-prefixed.js';
import type { ContractServer } from '../../test-server/generic/server.js';
import { startRootPrefixedServer } from '../../test-server/generic/systems/root-prefixed.js';
import { CHROMIUM, MEDIA_ARGS } from '../support/chromium.js';
import { blockMediaPath, type MediaPathBlock } from '../support/media-path-block.js';
import { createNetNs, type NetNs } from '../support/netns.js';
import { sleep } from '../support/observe.js';
import {
  framesDuring,
  openSide,
  probeUntil,
  servePages,
  videoFlowing,
  type PageServer,
  type Probe,
  type Side,
} from '../support/p2p-call.js';

const ROOM = 'consultation-ice';

let ns: NetNs | undefined;
let server: ContractServer<typeof rootPrefixedContract> | undefined;
let pages: PageServer | undefined;
const browsers: Browser[] = [];
let block: MediaPathBlock | undefined;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (sudo bash scripts/install-system-deps.sh browser)`);
  ns = await createNetNs();
  server = await startRootPrefixedServer({ host: ns.rootIp });
  pages = await servePages(ns.rootIp);
  // http://10.213.x.1 is not a secure context as 127.0.0.1 is: no getUserMedia without this.
  const args = [...MEDIA_ARGS, `--unsafely-treat-insecure-origin-as-secure=${new URL(pages.url).origin}`];
  browsers.push(await chromium.launch({ executablePath: CHROMIUM, args }));
  browsers.push(await chromium.launch({ executablePath: ns.wrapper(CHROMIUM), args }));
}, 90_000);
afterAll(async () => {
  block?.unblock();
  await Promise.all(browsers.map((browser) => browser.close().catch(() => undefined)));
  await pages?.close();
  await server?.close();
  ns?.remove();
}, 30_000);

const figures: string[] = [];
afterAll(() => console.log(`p2p ICE failure figures:\n  ${figures.join('\n  ')}`));

const restartsOf = (probe: Probe) => probe.events.filter((event) => event.what.startsWith('ice restart')).map((event) => event.what);
const whenFirst = (probe: Probe, what: RegExp, after: number) =>
  probe.events.find((event) => event.wall >= after && what.test(event.what))?.wall;

describe('an ICE failure while the signalling is up (Chromium, netns)', () => {
  test('the media path dies for good: the watchdog restarts ICE and video comes back on both pages over new candidates', async () => {
    const problems: string[] = [];
    const open = (browser: Browser, user: string, peer: string): Promise<Side> =>
      openSide(browser, { pageUrl: pages!.url, signallingUrl: server!.url, roomId: ROOM, user, peer, problems, iceRestartRetryMs: 3000 });
    const doctor = await open(browsers[0]!, 'doctor', 'patient');
    const patient = await open(browsers[1]!, 'patient', 'doctor');
    await Promise.all([videoFlowing(doctor), videoFlowing(patient)]);
    const before = { doctor: await doctor.probe(), patient: await patient.probe() };
    const selected = before.patient.selected;
    expect(selected, 'the patient has a selected candidate pair').toBeDefined();
    expect(selected!.local.startsWith(`${ns!.nsIp}:`), `the patient's media goes over the veth (${selected!.local})`).toBe(true);

    const broken = Date.now();
    block = blockMediaPath(ns!, { udpPort: selected!.localPort, signallingPort: Number(new URL(server!.url).port) });
    // The path is really dead: no frames either way a little after the block.
    await sleep(1500);
    const during = await Promise.all([framesDuring(doctor, 1000), framesDuring(patient, 1000)]);
    expect(
      during.map((d) => d.decoded),
      'no frames decoded on either page while the path is dead',
    ).toEqual([0, 0]);

    // Back over an ICE restart: new local credentials on both sides, connected, video both ways.
    const recovered = (was: Probe) => (p: Probe) =>
      p.localUfrag !== was.localUfrag && p.connectionState === 'connected' && p.signalingState === 'stable';
    await Promise.all([
      probeUntil(doctor, recovered(before.doctor), 'not recovered by an ICE restart', 30_000),
      probeUntil(patient, recovered(before.patient), 'not recovered by an ICE restart', 30_000),
    ]);
    await Promise.all([videoFlowing(doctor, 10_000), videoFlowing(patient, 10_000)]);
    const back = Date.now() - broken;
    const after = { doctor: await doctor.probe(), patient: await patient.probe() };

    // The watchdog did it, for a broken connection (not a signalling reconnection), signalling up throughout.
    const reasons = [...restartsOf(after.doctor), ...restartsOf(after.patient)];
    expect(
      reasons.some((what) => / (failed|disconnected)$/.test(what)),
      `ICE restarts: ${reasons.join(', ')}`,
    ).toBe(true);
    expect(reasons.filter((what) => what.endsWith(' signalling'))).toEqual([]);
    for (const probe of [after.doctor, after.patient]) {
      expect(probe.signallingUp).toBe(true);
      expect(probe.events.filter((event) => event.wall >= broken && event.what === 'signalling down')).toEqual([]);
    }
    // Over the new ICE generation: the patient's pair is on a new port, with the new credentials.
    expect(after.patient.selected!.localPort).not.toBe(selected!.localPort);
    expect(after.patient.selected!.localUfrag).toBe(after.patient.localUfrag);
    expect(after.doctor.selected!.localUfrag).toBe(after.doctor.localUfrag);
    // The same call (no new connection), the other side's new frames decoded again.
    for (const probe of [after.doctor, after.patient]) {
      expect(probe.events.filter((event) => event.what.startsWith('connection to'))).toHaveLength(1);
    }

    // The first frame painted after the dead spell (none from 1.5 s to 2.5 s after the break: checked above).
    const firstNew = async (side: Side) =>
      (await side.page.evaluate(([id, since]) => window.p2p.frameTimes(id, since), [side.peer, broken + 2500] as const))[0];
    const newFrame = { doctor: await firstNew(doctor), patient: await firstNew(patient) };
    const at = (probe: Probe, what: RegExp) => {
      const when = whenFirst(probe, what, broken);
      return when === undefined ? 'never' : `${when - broken} ms`;
    };
    figures.push(
      `media path dead → disconnected: doctor ${at(after.doctor, /^connection (disconnected|failed)$/)}, patient ${at(after.patient, /^connection (disconnected|failed)$/)}`,
      `media path dead → first ICE restart: doctor ${at(after.doctor, /^ice restart /)}, patient ${at(after.patient, /^ice restart /)} (${reasons.join(', ')})`,
      `media path dead → connected again: doctor ${at(after.doctor, /^connection connected$/)}, patient ${at(after.patient, /^connection connected$/)}; → first new frame painted: doctor ${newFrame.doctor === undefined ? 'none' : `${newFrame.doctor - broken} ms`}, patient ${newFrame.patient === undefined ? 'none' : `${newFrame.patient - broken} ms`}`,
      `media path dead → video flowing again on both pages (checked over 0.5 s): ${back} ms; patient pair ${selected!.local} → ${after.patient.selected!.local}`,
    );
    expect([...after.doctor.errors, ...after.patient.errors, ...problems]).toEqual([]);
  }, 60_000);
});
