/**
 * Peer presence and addressing of the root-prefixed contract, in Node against the real generic
 * test server: the list a joiner gets (`webrtc:peers`), arrivals and departures (`left` on
 * purpose, `disconnected` when the connection was lost), `to` delivered to that user only (seen
 * on the wire by a raw socket in the room), and the manager acting on them — a mesh of three made
 * from presence alone, a peer that leaves hung up at once, one whose signalling is lost kept while
 * its connection is up, one that comes back as a new connection (a reload) called again.
 *
 * RTCPeerConnection is a fake here (test/support/fake-peer-connection.ts: JSEP states, no media):
 * this file is about who talks to whom; the media itself is in test/browser/p2p*.test.ts.
 */
import { io as connectRaw, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createRealtimeClient, type RealtimeClient } from '../../src/index.js';
import { rootPrefixedContract } from '../../src/contracts/root-prefixed.js';
import type { PeerMediaManager } from '../../src/media/p2p/peer-media-manager.js';
import type { PeerDeparture } from '../../src/media/p2p/peer-signalling.js';
import { createRootPrefixedPeerMedia, RootPrefixedPeerSignalling } from '../../src/media/p2p/root-prefixed-signalling.js';
import { RoomPresence } from '../../src/media/p2p/room-presence.js';
import type { ContractServer } from '../../test-server/generic/server.js';
import { startRootPrefixedServer } from '../../test-server/generic/systems/root-prefixed.js';
import { type FakePeerConnection, fakeMediaDevices, installFakeWebRtc } from '../support/fake-peer-connection.js';
import { record, sleep, until } from '../support/observe.js';

const roomId = 'consultation-mesh';
type Client = RealtimeClient<typeof rootPrefixedContract>;
let server: ContractServer<typeof rootPrefixedContract> | undefined;
const clients: Client[] = [];
const closers: (() => unknown)[] = [];
const raw: Socket[] = [];
let uninstall: () => void = () => undefined;
beforeAll(() => {
  uninstall = installFakeWebRtc();
});
afterAll(() => uninstall());
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const client of clients.splice(0)) client.dispose();
  for (const socket of raw.splice(0)) socket.close();
  await server?.close();
  server = undefined;
});

function client(userId: string, reconnectDelayMs = 20): Client {
  const created = createRealtimeClient(rootPrefixedContract, {
    url: server!.url,
    token: userId,
    reconnection: { delayMs: reconnectDelayMs, maxDelayMs: reconnectDelayMs * 2, jitter: 0 },
    watchNetwork: false,
  });
  clients.push(created);
  return created;
}

async function adapter(userId: string, reconnectDelayMs?: number) {
  const owner = client(userId, reconnectDelayMs);
  const signalling = new RootPrefixedPeerSignalling(owner, { roomId, userId });
  closers.push(() => signalling.close());
  const joined = record(signalling.peerJoined$);
  const left = record(signalling.peerLeft$);
  await until(() => signalling.connected, 3000, `${userId} in the room`);
  return { client: owner, signalling, joined: joined.values, left: left.values };
}

/** A peer with a manager over the real server, camera on (fake devices and connections). */
async function manager(userId: string, reconnectDelayMs?: number): Promise<{ client: Client; media: PeerMediaManager }> {
  const owner = client(userId, reconnectDelayMs);
  const media = createRootPrefixedPeerMedia(owner, {
    roomId,
    userId,
    mediaDevices: fakeMediaDevices,
    statsIntervalMs: 0,
    iceDisconnectedMs: 300,
    offerRetryMs: 1000,
  });
  closers.push(() => media.dispose());
  await media.startCamera();
  return { client: owner, media };
}

/** The server-side socket of a user (the first one). */
const socketOf = (user: string) => server!.sockets('root').find((socket) => (socket.data as { user?: string }).user === user)!;

const pc = (media: PeerMediaManager, peer: string) => media.connection(peer) as unknown as FakePeerConnection | undefined;
const inCall = (media: PeerMediaManager, peer: string) =>
  pc(media, peer)?.signalingState === 'stable' && pc(media, peer)?.connectionState === 'connected';
const remoteFrom = (media: PeerMediaManager) => media.remoteTracks.map((track) => track.userId).sort();

describe('presence on the root-prefixed server', () => {
  test('a joiner gets the peers present; the others get its arrival; leaving on purpose is `left`, a lost connection `disconnected`', async () => {
    server = await startRootPrefixedServer();
    const doctor = await adapter('doctor');
    const patient = await adapter('patient');
    await until(() => doctor.joined.includes('patient') && patient.joined.includes('doctor'), 2000, 'each sees the other');
    expect(doctor.joined).toEqual(['patient']);
    expect(patient.joined).toEqual(['doctor']); // from the list it got with its join
    // Subscribing late still gives who is there now.
    expect(record(patient.signalling.peerJoined$).values).toEqual(['doctor']);

    const nurse = await adapter('nurse');
    await until(() => doctor.joined.includes('nurse') && patient.joined.includes('nurse'), 2000, 'the nurse seen');
    expect([...nurse.joined].sort()).toEqual(['doctor', 'patient']);

    nurse.signalling.close(); // webrtc:leave_room
    await until(() => doctor.left.length === 1 && patient.left.length === 1, 2000, 'the nurse gone');
    expect(doctor.left).toEqual<PeerDeparture[]>([{ peerId: 'nurse', reason: 'left' }]);
    expect(server.received.filter((event) => event.user === 'nurse').map((event) => event.event)).toContain('webrtc:leave_room');

    // The patient's connection lost (the server closes its transport): disconnected, then back.
    socketOf('patient').conn.close();
    await until(() => doctor.left.length === 2, 2000, 'the patient away');
    expect(doctor.left[1]).toEqual({ peerId: 'patient', reason: 'disconnected' });
    await until(() => doctor.joined.filter((peer) => peer === 'patient').length === 2, 3000, 'the patient back');
    expect(doctor.signalling.peers).toEqual(['patient']);
    expect(patient.signalling.peers).toEqual(['doctor']);

    // A client closed by the app (dispose): `left`, as a leave.
    patient.client.dispose();
    await until(() => doctor.left.length === 3, 2000, 'the patient gone');
    expect(doctor.left[2]).toEqual({ peerId: 'patient', reason: 'left' });
    expect(server.problems).toEqual([]);
  });

  test('`to` reaches that user only, on the wire: a third member of the room receives nothing; without `to`, everyone but the sender', async () => {
    server = await startRootPrefixedServer();
    const doctor = await adapter('doctor');
    const patient = await adapter('patient');
    const eve = connectRaw(server.url, { auth: { token: 'eve' }, transports: ['websocket'] });
    raw.push(eve);
    const seen: string[] = [];
    eve.onAny((event: string, payload: { from?: string; to?: string }) => seen.push(`${event} ${payload.from ?? ''}→${payload.to ?? '*'}`));
    await new Promise<void>((resolve) => eve.once('connect', () => resolve()));
    eve.emit('webrtc:join_room', { roomId });
    await until(() => seen.includes('webrtc:peers →*'), 2000, "eve's list");
    const messages = record(patient.signalling.messages$);

    await doctor.signalling.send('offer', 'patient', { type: 'offer', sdp: 'v=0 to the patient' });
    await doctor.signalling.send('candidate', 'patient', { candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host', sdpMid: '0' });
    await until(() => messages.values.length === 2, 2000, 'the patient has both');
    await doctor.signalling.send('offer', 'nobody', { type: 'offer', sdp: 'v=0 to someone not here' });
    await sleep(100);
    expect(seen.filter((line) => !line.startsWith('webrtc:peer'))).toEqual([]); // eve saw none of them
    expect(messages.values.map((message) => message.to)).toEqual(['patient', 'patient']);

    await doctor.signalling.send('offer', undefined, { type: 'offer', sdp: 'v=0 to the room' });
    await until(() => seen.includes('webrtc:offer doctor→*') && messages.values.length === 3, 2000, 'the broadcast');
    expect(server.problems).toEqual([]);
  });

  test('a list after a re-join is the truth: a peer known before and missing from it is gone (`disconnected`), one listed is (still) there', () => {
    const presence = new RoomPresence('doctor');
    const joined = record(presence.joined$);
    const left = record(presence.left$);
    presence.snapshot(['patient', 'nurse', 'doctor']);
    expect(joined.values).toEqual(['patient', 'nurse']); // never itself
    presence.snapshot(['nurse']); // after a reconnection: the patient is not back yet
    expect(left.values).toEqual([{ peerId: 'patient', reason: 'disconnected' }]);
    expect(joined.values).toEqual(['patient', 'nurse', 'nurse']);
    presence.join('patient');
    presence.leave('nurse', 'left');
    expect(presence.peers).toEqual(['patient']);
    expect(left.values.at(-1)).toEqual({ peerId: 'nurse', reason: 'left' });
  });
});

describe('the manager on presence (fake RTCPeerConnection)', () => {
  test('a mesh of three from presence alone: each calls the two others, every message addressed to one peer', async () => {
    server = await startRootPrefixedServer();
    const doctor = await manager('doctor');
    const patient = await manager('patient');
    const nurse = await manager('nurse');
    const all = { doctor, patient, nurse };
    await until(
      () =>
        Object.entries(all).every(([self, { media }]) =>
          Object.keys(all)
            .filter((peer) => peer !== self)
            .every((peer) => inCall(media, peer)),
        ),
      5000,
      'every pair in a call',
    );
    await until(() => Object.values(all).every(({ media }) => media.remoteTracks.length === 2), 2000, 'two remote tracks each');
    expect(remoteFrom(doctor.media)).toEqual(['nurse', 'patient']);
    expect(remoteFrom(patient.media)).toEqual(['doctor', 'nurse']);
    expect(remoteFrom(nurse.media)).toEqual(['doctor', 'patient']);
    // Each connection's remote description came from the connection the other side has for it.
    for (const [self, { media }] of Object.entries(all)) {
      for (const [peer, other] of Object.entries(all)) {
        if (peer === self) continue;
        expect(pc(media, peer)!.remoteDescription!.sdp).toContain(pc(other.media, self)!.fingerprint);
      }
    }
    const signalling = server.received.filter((event) => /^webrtc:(offer|answer|ice_candidate)$/.test(event.event));
    expect(signalling.length).toBeGreaterThan(0);
    expect(signalling.filter((event) => typeof (event.payload as { to?: unknown }).to !== 'string')).toEqual([]);
    expect(server.problems).toEqual([]);
  });

  test('a peer that leaves is hung up at once: its connection closed, its tracks gone; the others go on', async () => {
    server = await startRootPrefixedServer();
    const doctor = await manager('doctor');
    const patient = await manager('patient');
    const nurse = await manager('nurse');
    await until(() => doctor.media.remoteTracks.length === 2 && patient.media.remoteTracks.length === 2, 5000, 'the mesh');
    const doctorToNurse = pc(doctor.media, 'nurse')!;
    const doctorToPatient = pc(doctor.media, 'patient')!;
    const tracks = record(doctor.media.remoteTracks$);

    await nurse.media.dispose(); // leaves the room
    await until(() => doctor.media.connection('nurse') === undefined && patient.media.connection('nurse') === undefined, 2000, 'hung up');
    expect(doctorToNurse.signalingState).toBe('closed');
    expect(remoteFrom(doctor.media)).toEqual(['patient']);
    expect(remoteFrom(patient.media)).toEqual(['doctor']);
    expect(tracks.values.at(-1)!.map((track) => track.userId)).toEqual(['patient']);
    expect(pc(doctor.media, 'patient')).toBe(doctorToPatient); // the same call
    expect(inCall(doctor.media, 'patient')).toBe(true);
  });

  test('a peer whose signalling is lost keeps its call while connected, and back in the room it is the same call', async () => {
    server = await startRootPrefixedServer();
    const doctor = await manager('doctor');
    const patient = await manager('patient', 500);
    await until(() => inCall(doctor.media, 'patient') && doctor.media.remoteTracks.length === 1, 5000, 'the call');
    const call = pc(doctor.media, 'patient')!;
    const offers = () => server!.received.filter((event) => event.event === 'webrtc:offer').length;

    socketOf('patient').conn.close(); // the patient's signalling drops: `disconnected` at the doctor
    await sleep(300);
    expect(pc(doctor.media, 'patient')).toBe(call); // kept: its media is up
    expect(remoteFrom(doctor.media)).toEqual(['patient']);
    await until(() => socketOf('patient') !== undefined && patient.media.connection('doctor') !== undefined, 3000, 'the patient back');
    await until(() => offers() > 2, 3000, 'the renegotiation after the reconnection');
    await until(() => inCall(doctor.media, 'patient'), 3000, 'the call renegotiated');
    expect(pc(doctor.media, 'patient')).toBe(call);
  });

  test('away and its connection down: the call ends (failed at once, not connected after the grace)', async () => {
    server = await startRootPrefixedServer();
    const doctor = await manager('doctor');
    await manager('patient', 60_000); // once dropped, it stays away
    await manager('nurse', 60_000);
    await until(() => doctor.media.remoteTracks.length === 2, 5000, 'the calls');
    const toPatient = pc(doctor.media, 'patient')!;
    const toNurse = pc(doctor.media, 'nurse')!;
    socketOf('patient').conn.close();
    socketOf('nurse').conn.close();
    await sleep(200);
    expect(doctor.media.peers$).toBeDefined();
    expect(doctor.media.connection('patient')).toBe(toPatient);

    toPatient.setConnectionState('failed');
    expect(doctor.media.connection('patient')).toBeUndefined(); // at once
    expect(remoteFrom(doctor.media)).toEqual(['nurse']);
    toNurse.setConnectionState('disconnected');
    await sleep(100);
    expect(doctor.media.connection('nurse')).toBe(toNurse); // may heal by itself
    await until(() => doctor.media.connection('nurse') === undefined, 2000, 'the grace over');
    expect(doctor.media.remoteTracks).toEqual([]);
  });

  test('a known peer back as a new connection (a reload: another DTLS fingerprint) gets a new call', async () => {
    server = await startRootPrefixedServer();
    const doctor = await manager('doctor');
    await manager('patient', 60_000);
    await until(() => inCall(doctor.media, 'patient'), 5000, 'the call');
    const old = pc(doctor.media, 'patient')!;
    socketOf('patient').conn.close(); // the old page is gone without a word
    const reloaded = await manager('patient');
    await until(() => pc(doctor.media, 'patient') !== old && inCall(doctor.media, 'patient'), 5000, 'the new call');
    expect(old.signalingState).toBe('closed');
    expect(pc(doctor.media, 'patient')!.remoteDescription!.sdp).toContain(pc(reloaded.media, 'doctor')!.fingerprint);
    expect(doctor.media.remoteTracks).toHaveLength(1);
  });
});
