/**
 * A small mesh in Chromium: three pages (doctor, patient, nurse) in one room of the root-prefixed
 * test server, calls made from presence alone, every signalling message addressed to one peer;
 * each page decodes video from the two others. The nurse leaves: the two others hang up on it at
 * once and go on. A page reloads mid-call: the other's call is replaced and video comes back.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { startRootPrefixedServer } from '../../test-server/generic/systems/root-prefixed.js';
import { firstFrame, probeUntil, videoFlowing, type Side } from '../support/p2p-call.js';
import { useP2pBrowser } from '../support/p2p-fixture.js';

const ROOM = 'consultation-mesh';

const call = useP2pBrowser();

async function open(user: string, peer: string): Promise<Side> {
  return call.open({ roomId: ROOM, user, peer });
}

const errorsOf = async (...of: Side[]) => [
  ...(await Promise.all(of.map(async (side) => (await side.probe()).errors))).flat(),
  ...call.problems,
];
const signalling = () => call.server!.received.filter((event) => /^webrtc:(offer|answer|ice_candidate)$/.test(event.event));
const figures: string[] = [];
afterAll(() => console.log(`p2p mesh figures:\n  ${figures.join('\n  ')}`));

describe('a mesh of three in Chromium', () => {
  test('each page decodes the two others; the one that leaves is hung up at once, the others go on', async () => {
    call.server = await startRootPrefixedServer();
    const doctor = await open('doctor', 'patient');
    const patient = await open('patient', 'doctor');
    const nurse = await open('nurse', 'doctor');
    const t0 = (await nurse.probe()).startedWall!;
    const everyone = [doctor, patient, nurse];
    const others = (side: Side) => everyone.filter((other) => other !== side).map((other) => other.user);
    const firsts = await Promise.all(everyone.flatMap((side) => others(side).map((peer) => firstFrame(side, t0, peer))));
    const atNurse = await Promise.all(others(nurse).map((peer) => firstFrame(nurse, t0, peer)));
    const ofNurse = await Promise.all([doctor, patient].map((side) => firstFrame(side, t0, 'nurse')));
    expect(firsts).toHaveLength(6);
    figures.push(
      `nurse's start → first frame: at the nurse from the doctor ${atNurse[0]} ms, from the patient ${atNurse[1]} ms; of the nurse at the doctor ${ofNurse[0]} ms, at the patient ${ofNurse[1]} ms`,
    );
    await Promise.all(everyone.flatMap((side) => others(side).map((peer) => videoFlowing(side, 15_000, peer))));
    for (const side of everyone) {
      const probe = await side.probe();
      expect([...probe.peers].sort(), side.user).toEqual(others(side).sort());
      expect(new Set(probe.remote.filter((t) => t.kind === 'video').map((t) => t.userId)), side.user).toEqual(new Set(others(side)));
    }
    // Every offer, answer and candidate went to one peer: none was broadcast to the room.
    expect(signalling().length).toBeGreaterThan(0);
    expect(signalling().filter((event) => typeof (event.payload as { to?: unknown }).to !== 'string')).toEqual([]);

    const left = Date.now();
    await nurse.page.evaluate(() => window.p2p.stop()); // leaves the room (webrtc:leave_room)
    const gone = (probe: Awaited<ReturnType<Side['probe']>>) =>
      !probe.peers.includes('nurse') && probe.remote.every((track) => track.userId !== 'nurse') && probe.connectionState === undefined;
    await Promise.all([doctor, patient].map((side) => probeUntil(side, gone, 'the nurse still in the call', 3000, 'nurse')));
    const hungUp = Date.now() - left;
    figures.push(`nurse leaves → hung up on both other pages within ${hungUp} ms`);
    expect(hungUp).toBeLessThan(1500); // at once: not a disconnected/failed timeout (seconds)
    for (const side of [doctor, patient]) {
      expect((await side.probe('nurse')).events.map((e) => e.what)).toContain('peer left nurse left');
    }
    await Promise.all([videoFlowing(doctor), videoFlowing(patient)]);
    expect(await errorsOf(doctor, patient)).toEqual([]);
  });

  test('a page reloads mid-call: its new connection replaces the old call on the other page, video back both ways', async () => {
    call.server = await startRootPrefixedServer();
    const doctor = await open('doctor', 'patient');
    const patient = await open('patient', 'doctor');
    await Promise.all([videoFlowing(doctor), videoFlowing(patient)]);
    const before = await doctor.probe();

    await patient.page.reload();
    const reloaded = Date.now();
    await patient.page.evaluate((start) => window.p2p.start(start), { url: call.server.url, userId: 'patient', roomId: ROOM });
    await patient.page.waitForFunction(() => window.p2p.ready(), undefined, { timeout: 10_000 });
    await patient.page.evaluate(() => window.p2p.startMedia());
    const renewed = (p: Awaited<ReturnType<Side['probe']>>) =>
      p.remoteUfrag !== before.remoteUfrag && p.connectionState === 'connected' && p.framesDecoded > 0;
    await probeUntil(doctor, renewed, 'the old call kept');
    await Promise.all([videoFlowing(doctor), videoFlowing(patient)]);
    figures.push(`reload → video both ways again within ${Date.now() - reloaded} ms (checked over 0.5 s)`);
    const made = (await doctor.probe()).events.filter((event) => event.what === 'connection to patient made');
    expect(made).toHaveLength(2); // the first call, and the one that replaced it
    expect(await errorsOf(doctor, patient)).toEqual([]);
  });
});
