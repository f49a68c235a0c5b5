/**
 * The plain-WebSocket adapter of the peer signalling port (src/media/p2p/plain-ws-signalling.ts),
 * in Node against the real plain-ws test server (test-server/plain-ws/, `ws` on loopback) over
 * the plain WebSocket transport: `video.*` relayed as `{ type, from, data }` become port messages
 * with `from`; `to` rides inside the data and a receiver drops what is addressed to another peer;
 * its own never come back; presence from `user.joined`/`user.left` (a departure is
 * `disconnected`: the contract does not say why); `connected` down through a server restart and
 * `reconnected$` once back. Then the manager on it, with a fake RTCPeerConnection
 * (test/support/fake-peer-connection.ts): a call started by the peer already there when the other
 * arrives, a mesh of three, a departure ending a call only once its connection is down.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createRealtimeClient, type RealtimeClient } from '../../src/index.js';
import { plainWsContract, plainWsEnvelope } from '../../src/contracts/plain-ws.js';
import { Outbox } from '../../src/media/p2p/outbox.js';
import type { PeerMediaManager } from '../../src/media/p2p/peer-media-manager.js';
import type { PeerDeparture, PeerMessage } from '../../src/media/p2p/peer-signalling.js';
import { createPlainWsPeerMedia, PlainWsPeerSignalling } from '../../src/media/p2p/plain-ws-signalling.js';
import { webSocketTransport } from '../../src/websocket.node.js';
import { startPlainWsServer, type PlainWsServer } from '../../test-server/plain-ws/server.js';
import { fakeMediaDevices, installFakeWebRtc, type FakePeerConnection } from '../support/fake-peer-connection.js';
import { record, sleep, until } from '../support/observe.js';

type Client = RealtimeClient<typeof plainWsContract>;
const ROOM = 'consultation-9';

let server: PlainWsServer | undefined;
const clients: Client[] = [];
const closers: (() => unknown)[] = [];
let uninstall: () => void = () => undefined;
beforeAll(() => {
  uninstall = installFakeWebRtc();
});
afterAll(() => uninstall());
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const client of clients.splice(0)) client.dispose();
  await server?.close();
  server = undefined;
});

const start = async () => {
  server = await startPlainWsServer({ rooms: { [ROOM]: ['doctor', 'patient', 'nurse'] } });
  return server;
};

function client(user: string, reconnectDelayMs = 20): Client {
  const created = createRealtimeClient(plainWsContract, {
    url: server!.url,
    token: () => server!.token(user),
    handshake: { room: ROOM },
    reconnection: { delayMs: reconnectDelayMs, maxDelayMs: reconnectDelayMs * 2, jitter: 0 },
    watchNetwork: false,
    transport: webSocketTransport({ envelope: plainWsEnvelope }),
  });
  clients.push(created);
  return created;
}

async function adapter(user: string) {
  const owner = client(user);
  const signalling = new PlainWsPeerSignalling(owner, { userId: user });
  closers.push(() => signalling.close());
  const messages = record(signalling.messages$);
  const joined = record(signalling.peerJoined$);
  const left = record(signalling.peerLeft$);
  await until(() => signalling.connected, 3000, `${user} connected`);
  return { client: owner, signalling, messages: messages.values, joined: joined.values, left: left.values };
}

async function manager(user: string): Promise<PeerMediaManager> {
  return (await withClient(user)).media;
}

async function withClient(user: string, reconnectDelayMs?: number): Promise<{ media: PeerMediaManager; client: Client }> {
  const owner = client(user, reconnectDelayMs);
  const media = createPlainWsPeerMedia(owner, {
    userId: user,
    mediaDevices: fakeMediaDevices,
    statsIntervalMs: 0,
    iceDisconnectedMs: 300,
    offerRetryMs: 1000,
    // Applies to presence lists only; plain-ws has arrivals: set long, so a wrong wait would show.
    firstOfferDelayMs: 5000,
  });
  closers.push(() => media.dispose());
  await media.startCamera();
  await until(() => server!.members(ROOM).includes(user), 3000, `${user} in the room`);
  return { media, client: owner };
}

const pc = (media: PeerMediaManager, peer: string) => media.connection(peer) as unknown as FakePeerConnection | undefined;
const inCall = (media: PeerMediaManager, peer: string) =>
  pc(media, peer)?.signalingState === 'stable' && pc(media, peer)?.connectionState === 'connected';
const offer = { type: 'offer' as const, sdp: 'v=0 offer' };

describe('the plain-ws peer signalling', () => {
  test("messages carry `from`; `to` (inside the data) reaches only its peer on the room-wide relay; the sender's own never come back", async () => {
    await start();
    const doctor = await adapter('doctor');
    const patient = await adapter('patient');
    const nurse = await adapter('nurse');
    const candidate = { candidate: 'candidate:1 1 udp 1 192.0.2.2 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 };

    await doctor.signalling.send('offer', 'patient', offer);
    await doctor.signalling.send('candidate', 'patient', candidate);
    await patient.signalling.send('answer', 'doctor', { type: 'answer', sdp: 'v=0 answer' });
    await until(() => patient.messages.length === 2 && doctor.messages.length === 1, 2000, 'offer, candidate and answer');
    expect(patient.messages).toEqual<PeerMessage[]>([
      { kind: 'offer', from: 'doctor', to: 'patient', data: offer },
      { kind: 'candidate', from: 'doctor', to: 'patient', data: { ...candidate, usernameFragment: undefined } },
    ]);
    expect(doctor.messages).toEqual([{ kind: 'answer', from: 'patient', to: 'doctor', data: { type: 'answer', sdp: 'v=0 answer' } }]);
    // On the wire the relay went to everyone: the nurse's adapter dropped what was not for her.
    const wire = server!.received.filter((message) => message.event.startsWith('video.'));
    expect(wire.map((message) => [message.user, message.event, (message.payload as { to?: string }).to])).toEqual([
      ['doctor', 'video.offer', 'patient'],
      ['doctor', 'video.ice-candidate', 'patient'],
      ['patient', 'video.answer', 'doctor'],
    ]);
    await nurse.signalling.send('offer', undefined, offer); // unaddressed: everyone else in the room
    await until(() => doctor.messages.length === 2 && patient.messages.length === 3, 2000, 'the broadcast');
    await sleep(50);
    expect(nurse.messages).toEqual([]);
    expect(server!.problems).toEqual([]);
  });

  test('presence: arrivals from user.joined (the joiner hears of nobody), departures from user.left as `disconnected`', async () => {
    await start();
    const doctor = await adapter('doctor');
    const patient = await adapter('patient');
    await until(() => doctor.joined.includes('patient'), 2000, 'the arrival');
    expect(patient.joined).toEqual([]); // the contract gives a joiner no list
    expect(patient.signalling.presence).toBe('arrivals');
    patient.client.dispose();
    await until(() => doctor.left.length === 1, 2000, 'the departure');
    expect(doctor.left).toEqual<PeerDeparture[]>([{ peerId: 'patient', reason: 'disconnected' }]);
  });

  test('down through a server restart, reconnected$ once back; what the outbox held goes out then', async () => {
    await start();
    const doctor = await adapter('doctor');
    await adapter('patient');
    const states = record(doctor.signalling.connected$);
    const reconnections = record(doctor.signalling.reconnected$);
    const outbox = new Outbox(doctor.signalling);
    const restart = server!.faults.restart(300);
    await until(() => !doctor.signalling.connected, 2000, 'down');
    outbox.send('offer', 'patient', offer); // held: the room connection is down
    expect(outbox.pending).toBe(1);
    await restart;
    await until(() => reconnections.values.length === 1, 5000, 'reconnected$');
    expect(states.values).toEqual([true, false, true]);
    await until(() => server!.received.some((message) => message.event === 'video.offer'), 2000, 'the held offer sent');
    expect(outbox.pending).toBe(0);
    outbox.close();
  });
});

describe('the manager on plain-ws (fake RTCPeerConnection)', () => {
  test('the peer already there calls the one that arrives (no wait: the joiner knows of nobody); both in a call', async () => {
    await start();
    const doctor = await manager('doctor'); // polite ('doctor' < 'patient'), and first in the room
    const started = Date.now();
    const patient = await manager('patient');
    await until(() => inCall(doctor, 'patient') && inCall(patient, 'doctor'), 3000, 'the call');
    expect(Date.now() - started).toBeLessThan(2500); // not the first-offer wait of a presence list (5 s here)
    await until(() => doctor.remoteTracks.length === 1 && patient.remoteTracks.length === 1, 2000, 'tracks both ways');
    const first = server!.received.find((message) => message.event === 'video.offer');
    expect(first?.user).toBe('doctor');
  });

  test('a mesh of three: each in a call with the two others, every offer and answer addressed', async () => {
    await start();
    const all = { doctor: await manager('doctor'), patient: await manager('patient'), nurse: await manager('nurse') };
    await until(
      () =>
        Object.entries(all).every(([self, media]) =>
          Object.keys(all)
            .filter((peer) => peer !== self)
            .every((peer) => inCall(media, peer)),
        ),
      5000,
      'every pair in a call',
    );
    for (const [self, media] of Object.entries(all)) {
      for (const [peer, other] of Object.entries(all)) {
        if (peer !== self) expect(pc(media, peer)!.remoteDescription!.sdp).toContain(pc(other, self)!.fingerprint);
      }
    }
    const signalling = server!.received.filter((message) => message.event.startsWith('video.'));
    expect(signalling.filter((message) => typeof (message.payload as { to?: unknown }).to !== 'string')).toEqual([]);
    expect(server!.problems).toEqual([]);
  });

  test('a departure (user.left) keeps the call while it is connected, ends it once its connection fails', async () => {
    await start();
    const doctor = await manager('doctor');
    const patient = await withClient('patient');
    await until(() => inCall(doctor, 'patient') && doctor.remoteTracks.length === 1, 5000, 'the call');
    const call = pc(doctor, 'patient')!;
    await patient.media.dispose();
    patient.client.dispose(); // the patient's connection closes: user.left
    await until(() => server!.members(ROOM).length === 1, 2000, 'the patient gone from the room');
    await sleep(100);
    expect(pc(doctor, 'patient')).toBe(call); // user.left does not say why: its media may still flow
    call.setConnectionState('failed');
    expect(doctor.connection('patient')).toBeUndefined();
    expect(doctor.remoteTracks).toEqual([]);
  });

  test('after its own reconnection (no list to tell who left meanwhile): a call whose connection is down ends unless its peer shows up; a connected one is kept', async () => {
    await start();
    const doctor = await manager('doctor');
    await withClient('patient', 60_000); // once dropped, away for good
    await withClient('nurse', 60_000);
    await until(() => inCall(doctor, 'patient') && inCall(doctor, 'nurse'), 5000, 'the calls');
    const toPatient = pc(doctor, 'patient')!;
    const toNurse = pc(doctor, 'nurse')!;
    toPatient.setConnectionState('disconnected'); // the patient's media is down too (it left unseen)
    const restart = server!.faults.restart(200); // every connection dropped: user.left reaches nobody
    await restart;
    await until(() => doctor.connection('patient') === undefined, 3000, 'the call to the patient ended');
    expect(doctor.connection('nurse')).toBe(toNurse); // its media still flows: kept
    expect(doctor.remoteTracks.map((track) => track.userId)).toEqual(['nurse']);
  });
});
