/**
 * The root-prefixed adapter of the peer signalling port against the real generic test server:
 * offers, answers and candidates as port messages with `from`, addressing by `to` (the server
 * relays to that peer only; test/media/p2p-presence.test.ts checks it on the wire), the sender's own never back, and `connected` meaning "in the room":
 * false through a server restart, true (and `reconnected$`) once the room is joined again, with
 * what the outbox held sent only then.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createRealtimeClient, type RealtimeClient } from '../../src/index.js';
import { rootPrefixedContract } from '../../src/contracts/root-prefixed.js';
import { Outbox } from '../../src/media/p2p/outbox.js';
import type { PeerMessage } from '../../src/media/p2p/peer-signalling.js';
import { RootPrefixedPeerSignalling } from '../../src/media/p2p/root-prefixed-signalling.js';
import type { ContractServer } from '../../test-server/generic/server.js';
import { startRootPrefixedServer } from '../../test-server/generic/systems/root-prefixed.js';
import { record, sleep, until } from '../support/observe.js';

const roomId = 'consultation-9';
let server: ContractServer<typeof rootPrefixedContract> | undefined;
const clients: RealtimeClient<typeof rootPrefixedContract>[] = [];
const adapters: RootPrefixedPeerSignalling[] = [];
afterEach(async () => {
  for (const adapter of adapters.splice(0)) adapter.close();
  for (const client of clients.splice(0)) client.dispose();
  await server?.close();
  server = undefined;
});

async function peer(userId: string) {
  const client = createRealtimeClient(rootPrefixedContract, {
    url: server!.url,
    token: userId,
    reconnection: { delayMs: 20, maxDelayMs: 50, jitter: 0 },
    watchNetwork: false,
  });
  clients.push(client);
  const signalling = new RootPrefixedPeerSignalling(client, { roomId, userId });
  adapters.push(signalling);
  const messages = record(signalling.messages$);
  await until(() => signalling.connected, 3000, `${userId} in the room`);
  return { signalling, messages: messages.values };
}

const offer = { type: 'offer' as const, sdp: 'v=0 offer' };

describe('the root-prefixed peer signalling', () => {
  test("messages carry `from`; `to` reaches only its peer; the sender's own never come back", async () => {
    server = await startRootPrefixedServer();
    const doctor = await peer('doctor');
    const patient = await peer('patient');
    const nurse = await peer('nurse');

    await doctor.signalling.send('offer', 'patient', offer);
    await doctor.signalling.send('candidate', 'patient', {
      candidate: 'candidate:1 1 udp 1 192.0.2.2 5000 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    });
    await patient.signalling.send('answer', 'doctor', { type: 'answer', sdp: 'v=0 answer' });
    await until(() => patient.messages.length === 2 && doctor.messages.length === 1, 2000, 'offer, candidate and answer');
    expect(patient.messages).toEqual<PeerMessage[]>([
      { kind: 'offer', from: 'doctor', to: 'patient', data: offer },
      {
        kind: 'candidate',
        from: 'doctor',
        to: 'patient',
        data: { candidate: 'candidate:1 1 udp 1 192.0.2.2 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 },
      },
    ]);
    expect(doctor.messages).toEqual([{ kind: 'answer', from: 'patient', to: 'doctor', data: { type: 'answer', sdp: 'v=0 answer' } }]);
    // Unaddressed: everyone else in the room.
    await nurse.signalling.send('offer', undefined, offer);
    await until(() => doctor.messages.length === 2 && patient.messages.length === 3, 2000, 'the broadcast');
    await sleep(50);
    expect(nurse.messages).toEqual([]); // neither the doctor's to the patient, nor its own
    expect(server.problems).toEqual([]);
  });

  test('down through a server restart; back (reconnected$) only once the room is joined again, and what was held goes out after the join', async () => {
    server = await startRootPrefixedServer();
    const doctor = await peer('doctor');
    await peer('patient');
    const states = record(doctor.signalling.connected$);
    const reconnections = record(doctor.signalling.reconnected$);
    const outbox = new Outbox(doctor.signalling);
    const mark = server.received.length;

    const restart = server.faults.restart(300);
    await until(() => !doctor.signalling.connected, 2000, 'down');
    outbox.send('offer', 'patient', offer); // held: the socket is down
    expect(outbox.pending).toBe(1);
    await restart;
    await until(() => reconnections.values.length === 1, 5000, 'reconnected$');
    expect(server.members('root', 'consultation', { roomId }).length).toBeGreaterThanOrEqual(1);
    expect(states.values).toEqual([true, false, true]);
    // (Whether the patient is back in the room by then is a race: an offer lost so is sent again when
    // its `webrtc:peer_joined` comes, or by the negotiation's retry.)
    await until(() => server!.received.slice(mark).some((event) => event.event === 'webrtc:offer'), 2000, 'the held offer sent');
    const doctorSent = server.received.slice(mark).filter((event) => event.user === 'doctor');
    expect(doctorSent.map((event) => event.event)).toEqual(['webrtc:join_room', 'webrtc:offer']);
    outbox.close();
  });
});
