/**
 * Peer-to-peer media in a real browser: headless Chromium with fake camera and microphone, two
 * pages (doctor and patient) bundling PeerMediaManager (test/support/p2p-page/, see
 * test/support/p2p-call.ts), signalling through the real root-prefixed generic test server with
 * its presence. Video is checked where it is decoded: each remote <video>'s
 * requestVideoFrameCallback and inbound-rtp framesDecoded.
 *
 * Prints: join → first remote frame (per side), and signalling back → renegotiated → video OK.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { startRootPrefixedServer } from '../../test-server/generic/systems/root-prefixed.js';
import { sleep, until } from '../support/observe.js';
import { firstFrame, framesDuring, probeUntil, videoFlowing, type Side } from '../support/p2p-call.js';
import { useP2pBrowser } from '../support/p2p-fixture.js';

const ROOM = 'consultation-p2p';

const call = useP2pBrowser();

/** A page in its own context, in the room with camera and microphone sending. */
async function open(user: string, peer: string, presence = true): Promise<Side> {
  return call.open({ roomId: ROOM, user, peer, presence });
}

/** Both in the room, camera and microphone on; `doctor` < `patient`: the doctor is the polite peer. */
async function pair(presence = true): Promise<[Side, Side]> {
  call.server = await startRootPrefixedServer();
  const sides = await Promise.all([open('doctor', 'patient', presence), open('patient', 'doctor', presence)]);
  expect(call.server.members('root', 'consultation', { roomId: ROOM })).toHaveLength(2);
  return sides;
}

const connect = (side: Side) => side.page.evaluate((peer) => window.p2p.connect(peer), side.peer);

const offersAndAnswers = () =>
  call
    .server!.received.filter((event) => event.event === 'webrtc:offer' || event.event === 'webrtc:answer')
    .map((e) => `${e.user} ${e.event}`);

/**
 * The identity of every offer the server received, in order: its SDP origin line (session id and
 * version), which a re-sent offer repeats (its body may have gained candidates since).
 */
const offerOrigins = () =>
  call
    .server!.received.filter((event) => event.event === 'webrtc:offer')
    .map((event) => (event.payload as { description?: { sdp?: string } }).description?.sdp ?? '')
    .map((sdp) => /^o=.*$/m.exec(sdp)?.[0] ?? sdp);

const figures: string[] = [];
afterAll(() => console.log(`p2p figures:\n  ${figures.join('\n  ')}`));

describe('a peer-to-peer call in Chromium', () => {
  test('video both ways from presence alone (no connect call), mute, camera switch by replaceTrack', async () => {
    call.server = await startRootPrefixedServer();
    const doctor = await open('doctor', 'patient');
    const patient = await open('patient', 'doctor'); // the server tells each about the other: a call
    const t0 = (await patient.probe()).startedWall!;
    const [atDoctor, atPatient] = await Promise.all([firstFrame(doctor, t0), firstFrame(patient, t0)]);
    figures.push(
      `call: the patient's start (join, camera) → first remote frame ${atDoctor} ms at the doctor, ${atPatient} ms at the patient`,
    );
    await Promise.all([videoFlowing(doctor), videoFlowing(patient)]);
    const seen = await doctor.probe();
    expect(seen.remote.map(({ userId, kind }) => `${userId} ${kind}`).sort()).toEqual(['patient audio', 'patient video']);
    expect(seen.audioBytes).toBeGreaterThan(0);
    expect(seen.connectionState).toBe('connected');
    const ids = seen.remote.map((track) => track.consumerId).sort();

    // Mute: nothing sent (the sender's track is null), frames stop at the doctor; unmute: back.
    await patient.page.evaluate(() => window.p2p.setCamera(false));
    expect((await patient.probe()).videoSenderTracks).toEqual([null]);
    await sleep(500);
    const muted = await framesDuring(doctor, 1500);
    figures.push(
      `mute: ${muted.decoded} frames decoded in 1.5 s at the doctor; remote paused flag ${String(muted.after.remote.find((t) => t.kind === 'video')?.paused)}`,
    );
    expect(muted.decoded).toBe(0);
    await patient.page.evaluate(() => window.p2p.setCamera(true));
    await videoFlowing(doctor, 5000);

    // Camera switch: a new track on the same sender, no renegotiation, frames keep coming.
    const before = await patient.probe();
    const negotiations = offersAndAnswers().length;
    await patient.page.evaluate(() => window.p2p.switchCamera());
    const after = await patient.probe();
    expect(after.videoSenderTracks).toHaveLength(1);
    expect(after.videoSenderTracks[0]).not.toBe(before.videoSenderTracks[0]);
    expect(after.videoSenderTracks[0]).toBe(after.localCamera);
    await videoFlowing(doctor, 5000);
    expect(offersAndAnswers()).toHaveLength(negotiations);
    expect((await doctor.probe()).remote.map((track) => track.consumerId).sort()).toEqual(ids); // stable ids
    expect([...(await doctor.probe()).errors, ...(await patient.probe()).errors, ...call.problems]).toEqual([]);
  });

  test('glare: both offer at once, the impolite peer ignores the offer, the polite one rolls back; media flows both ways', async () => {
    const [doctor, patient] = await pair(false); // calls by connect() only: both at once
    // Each side's incoming messages held until both offers are out: a collision on both sides, every run.
    for (const side of [doctor, patient]) await side.page.evaluate(() => window.p2p.hold(true));
    await Promise.all([connect(doctor), connect(patient)]);
    await probeUntil(doctor, (p) => p.signalingState === 'have-local-offer', 'no offer');
    await probeUntil(patient, (p) => p.signalingState === 'have-local-offer', 'no offer');
    await until(() => offersAndAnswers().length === 2, 5000, 'both offers on the server');
    const t0 = Date.now();
    await Promise.all([doctor, patient].map((side) => side.page.evaluate(() => window.p2p.hold(false))));
    const [atDoctor, atPatient] = await Promise.all([firstFrame(doctor, t0), firstFrame(patient, t0)]);
    figures.push(`glare: offers released → first remote frame ${atDoctor} ms at the doctor, ${atPatient} ms at the patient`);
    const exchanged = offersAndAnswers();
    figures.push(`glare: on the server ${exchanged.join(', ')}`);
    expect(exchanged.slice(0, 2).sort()).toEqual(['doctor webrtc:offer', 'patient webrtc:offer']);
    // One answer to the collision, the polite doctor's; then the doctor's own sources (its
    // send-only m-lines went with the rolled-back offer) in an offer of its own, answered.
    expect(exchanged.slice(2)).toEqual(['doctor webrtc:answer', 'doctor webrtc:offer', 'patient webrtc:answer']);
    const states = async (side: Side) =>
      (await side.probe()).events.map((event) => event.what).filter((what) => what.startsWith('signaling'));
    // The polite doctor: its offer rolled back (stable), the patient's applied, answered; then its own.
    expect(await states(doctor)).toEqual([
      'signaling have-local-offer',
      'signaling stable',
      'signaling have-remote-offer',
      'signaling stable',
      'signaling have-local-offer',
      'signaling stable',
    ]);
    // The impolite patient: the doctor's offer ignored, its own answered; then the doctor's next offer answered.
    expect(await states(patient)).toEqual([
      'signaling have-local-offer',
      'signaling stable',
      'signaling have-remote-offer',
      'signaling stable',
    ]);
    await Promise.all([videoFlowing(doctor), videoFlowing(patient)]);
    expect([...(await doctor.probe()).errors, ...(await patient.probe()).errors, ...call.problems]).toEqual([]);
  });

  test('without presence, an offer sent before the peer is in the room is re-sent until answered', async () => {
    call.server = await startRootPrefixedServer();
    const doctor = await open('doctor', 'patient', false);
    const t0 = Date.now();
    await connect(doctor); // the offer goes to a peer not in the room: dropped by the server
    await sleep(300);
    expect(offersAndAnswers()).toEqual(['doctor webrtc:offer']);
    const patient = await open('patient', 'doctor', false);
    const [atDoctor, atPatient] = await Promise.all([firstFrame(doctor, t0), firstFrame(patient, t0)]);
    figures.push(
      `late peer, no presence: call → first remote frame ${atDoctor} ms at the doctor, ${atPatient} ms at the patient (offer re-sent after 2 s)`,
    );
    expect(offersAndAnswers().filter((entry) => entry === 'doctor webrtc:offer').length).toBeGreaterThanOrEqual(2);
    const offers = offerOrigins(); // the re-sent offer is the same offer again
    expect(new Set(offers).size).toBeLessThan(offers.length);
    await Promise.all([videoFlowing(doctor), videoFlowing(patient)]);
    expect([...(await doctor.probe()).errors, ...(await patient.probe()).errors, ...call.problems]).toEqual([]);
  });

  test('with presence, a peer that joins late gets a call at once (no offer into an empty room, no retry wait)', async () => {
    call.server = await startRootPrefixedServer();
    const doctor = await open('doctor', 'patient');
    await sleep(300);
    expect(offersAndAnswers()).toEqual([]); // alone: nobody to call
    expect((await doctor.probe()).peers).toEqual([]);
    const patient = await open('patient', 'doctor');
    const t0 = (await patient.probe()).startedWall!;
    const [atDoctor, atPatient] = await Promise.all([firstFrame(doctor, t0), firstFrame(patient, t0)]);
    figures.push(
      `late peer, presence: the patient's start → first remote frame ${atDoctor} ms at the doctor, ${atPatient} ms at the patient`,
    );
    // No retry wait: a re-sent offer repeats its origin line, so every offer that
    // reached the server is a distinct one (the presence event started the call, not the retry).
    const offers = offerOrigins();
    expect(offers.length).toBeGreaterThan(0);
    expect(new Set(offers).size).toBe(offers.length);
    await Promise.all([videoFlowing(doctor), videoFlowing(patient)]);
    expect([...(await doctor.probe()).errors, ...(await patient.probe()).errors, ...call.problems]).toEqual([]);
  });

  test('a signalling outage mid-call: video continues, the call renegotiates (ICE restart) once it is back', async () => {
    const [doctor, patient] = await pair();
    await Promise.all([firstFrame(doctor, Date.now()), firstFrame(patient, Date.now())]);
    await Promise.all([videoFlowing(doctor), videoFlowing(patient)]);
    const calls = {
      doctor: (await doctor.probe()).remote.map((t) => t.consumerId),
      patient: (await patient.probe()).remote.map((t) => t.consumerId),
    };
    const ufrags = { doctor: (await doctor.probe()).localUfrag, patient: (await patient.probe()).localUfrag };
    const mark = call.server!.received.length;

    const restart = call.server!.faults.restart(3000); // every session and room lost
    await sleep(800);
    const during = await Promise.all([framesDuring(doctor, 1500), framesDuring(patient, 1500)]);
    for (const { decoded, after } of during) {
      expect(after.signallingUp).toBe(false);
      expect(decoded).toBeGreaterThan(10); // peer-to-peer: the media does not go through the server
    }
    await restart;
    const back = Date.now();
    for (const side of [doctor, patient]) await side.page.waitForFunction(() => window.p2p.ready(), undefined, { timeout: 10_000 });
    const up = Date.now() - back;
    // Renegotiated: both sides on new ICE credentials, stable and connected again.
    const renegotiated = (side: Side) => {
      const was = ufrags[side.user as 'doctor' | 'patient'];
      return probeUntil(
        side,
        (p) => p.localUfrag !== was && p.signalingState === 'stable' && p.connectionState === 'connected',
        'not renegotiated',
      );
    };
    await Promise.all([renegotiated(doctor), renegotiated(patient)]);
    const reneg = Date.now() - back;
    await Promise.all([videoFlowing(doctor, 5000), videoFlowing(patient, 5000)]);
    const ok = Date.now() - back;
    figures.push(
      `outage: server back → signalling up ${up} ms, ICE restart negotiated ${reneg} ms, video OK (checked over 0.5 s) ${ok} ms`,
    );
    // Nothing went out before the room was joined again on the new server.
    for (const user of ['doctor', 'patient']) {
      const sent = call
        .server!.received.slice(mark)
        .filter((event) => event.user === user)
        .map((event) => event.event);
      expect(sent[0], `${user}'s first event on the new server`).toBe('webrtc:join_room');
      expect(sent).toContain('webrtc:ice_candidate');
    }
    expect(call.server!.received.slice(mark).some((event) => event.event === 'webrtc:offer')).toBe(true);
    const restarts = (await doctor.probe()).events.filter((event) => event.what.startsWith('ice restart'));
    expect(restarts.map((event) => event.what)).toContain('ice restart patient signalling');
    // The same calls throughout: each side saw the other away and back, and kept its connection.
    for (const side of [doctor, patient]) {
      const probe = await side.probe();
      expect(probe.remote.map((t) => t.consumerId)).toEqual(calls[side.user as 'doctor' | 'patient']);
      expect(probe.events.filter((event) => event.what.startsWith('connection to')).length, `${side.user}: one connection made`).toBe(1);
    }
    expect([...(await doctor.probe()).errors, ...(await patient.probe()).errors, ...call.problems]).toEqual([]);
  });
});
