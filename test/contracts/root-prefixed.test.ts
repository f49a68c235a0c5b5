/**
 * Regression test of the namespace-mismatch audit (docs/upstream/related-systems/namespace-mismatch-audit.md):
 * the frontend connected to `/`, the WebRTC handlers listened on `/consultation`, and offers were
 * silently lost. With the root-prefixed contract both sides take the namespace and every event name
 * from one object, so the two cannot differ; a name that is not in it is a type error and a run-time
 * error (`unsupported`, nothing sent), and a peer that still speaks the old names is seen, not silent.
 */
import { io as connectRaw, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, expectTypeOf, test } from 'vitest';
import { clientEventNames } from '../../src/contract/index.js';
import { createRealtimeClient, type RealtimeClient } from '../../src/index.js';
import { rootPrefixedContract, type PrefixedClientEvent } from '../../src/contracts/root-prefixed.js';
import type { ContractServer } from '../../test-server/generic/server.js';
import { relayedEvents, startRootPrefixedServer } from '../../test-server/generic/systems/root-prefixed.js';
import { record, sleep, until, waitFor } from '../support/observe.js';

let server: ContractServer<typeof rootPrefixedContract> | undefined;
const clients: RealtimeClient<typeof rootPrefixedContract>[] = [];
const raw: Socket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  for (const socket of raw.splice(0)) socket.close();
  await server?.close();
  server = undefined;
});

function connect(user: string) {
  const client = createRealtimeClient(rootPrefixedContract, {
    url: server!.url,
    token: user,
    reconnection: { delayMs: 10, maxDelayMs: 20, jitter: 0 },
    watchNetwork: false,
  });
  clients.push(client);
  return client.services.root;
}

const roomId = 'consultation-7';

describe('one contract for both sides', () => {
  test("the doctor's offer reaches the patient, the answer and ICE candidates come back, chat works: same namespace, same names", async () => {
    server = await startRootPrefixedServer();
    const doctor = connect('doctor');
    const patient = connect('patient');
    const doctorJoins = record(doctor.room('consultation', { roomId }));
    const patientJoins = record(patient.room('consultation', { roomId }));
    await until(() => server!.members('root', 'consultation', { roomId }).length === 2, 2000, 'both in the room');
    expect(doctorJoins.values).toHaveLength(1);
    expect(patientJoins.values).toHaveLength(1);

    const offers = record(patient.on('webrtc:offer'));
    const answers = record(doctor.on('webrtc:answer'));
    const candidates = record(patient.on('webrtc:ice_candidate'));
    await doctor.emit('webrtc:offer', { roomId, description: { type: 'offer', sdp: 'v=0 offer' } });
    await until(() => offers.values.length === 1, 2000, 'the offer at the patient');
    expect(offers.values[0]).toEqual({ roomId, description: { type: 'offer', sdp: 'v=0 offer' }, from: 'doctor' });
    await patient.emit('webrtc:answer', { roomId, description: { type: 'answer', sdp: 'v=0 answer' } });
    await doctor.emit('webrtc:ice_candidate', {
      roomId,
      candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host', sdpMid: '0' },
    });
    await until(() => answers.values.length === 1 && candidates.values.length === 1, 2000, 'answer and candidate');
    expect(answers.values[0]).toMatchObject({ from: 'patient' });

    const messages = record(patient.on('chat:send_message'));
    patient.room('chat', { roomId }).subscribe();
    doctor.room('chat', { roomId }).subscribe();
    await until(() => server!.members('root', 'chat', { roomId }).length === 2, 2000, 'both in the chat room');
    await doctor.emit('chat:send_message', { roomId, content: 'Can you hear me?' });
    await until(() => messages.values.length === 1, 2000, 'the chat message');
    expect(messages.values[0]).toMatchObject({ content: 'Can you hear me?', from: 'doctor' });
    expect(offers.values).toHaveLength(1); // the sender's own relays never come back to it
    expect(server.problems).toEqual([]);
  });

  test('the server listens on the namespace the client connects to, for exactly the events the client may send', async () => {
    server = await startRootPrefixedServer();
    const doctor = connect('doctor');
    await waitFor(doctor.state$, (state) => state.status === 'connected', 3000);
    expect(doctor.name).toBe('/');
    expectTypeOf(doctor.name).toEqualTypeOf<'/'>();
    const [socket] = server.sockets('root');
    expect(socket!.nsp.name).toBe(doctor.name);
    // Besides socket.io's own (`error`, `disconnect`, ...), the listeners are the contract's client events.
    const own = ['error', 'disconnect', 'disconnecting'];
    const listened = socket!.eventNames().filter((name) => !own.includes(String(name)));
    expect(listened.sort()).toEqual(clientEventNames(rootPrefixedContract.root).sort());
    expect(relayedEvents.every((event) => /^(chat|webrtc):/.test(event))).toBe(true);
    expectTypeOf<PrefixedClientEvent<'webrtc'>>().toEqualTypeOf<
      'webrtc:join_room' | 'webrtc:leave_room' | 'webrtc:offer' | 'webrtc:answer' | 'webrtc:ice_candidate'
    >();
  });
});

describe('a wrong name', () => {
  test('is a type error and a run-time error: unsupported, nothing sent', async () => {
    server = await startRootPrefixedServer();
    const doctor = connect('doctor');
    await waitFor(doctor.state$, (state) => state.status === 'connected', 3000);
    const offer = { roomId, description: { type: 'offer' as const, sdp: 'v=0' } };

    // @ts-expect-error The pre-audit name: not in the contract.
    await expect(doctor.emit('webrtc_offer', offer)).rejects.toMatchObject({ reason: 'unsupported', event: 'webrtc_offer' });
    // @ts-expect-error Unprefixed.
    await expect(doctor.emit('offer', offer)).rejects.toMatchObject({ reason: 'unsupported' });
    // @ts-expect-error No such server event (the pre-audit name).
    expect(() => doctor.on('webrtc_answer')).toThrow(expect.objectContaining({ reason: 'unsupported' }));
    // @ts-expect-error A room the contract does not declare.
    expect(() => doctor.room('webrtc', { roomId })).toThrow(expect.objectContaining({ reason: 'unsupported' }));
    await sleep(50);
    expect(server.received).toEqual([]);
    expect(server.problems).toEqual([]);
  });

  test('a peer still on the old names or the old namespace is seen, not silent', async () => {
    server = await startRootPrefixedServer();
    // The audit's frontend: the root namespace, the old event name.
    const legacy = connectRaw(server.url, { auth: { token: 'legacy' }, transports: ['websocket'] });
    raw.push(legacy);
    await new Promise<void>((resolve) => legacy.once('connect', () => resolve()));
    legacy.emit('webrtc_offer', { sdp: 'v=0' });
    await until(() => server!.problems.length === 1, 2000, 'the old name reported');
    expect(server.problems[0]).toBe('/ webrtc_offer: not a client event of the contract');
    // The audit's backend namespace does not exist here: a client going there fails loudly.
    const stray = connectRaw(`${server.url}/consultation`, { auth: { token: 'stray' }, transports: ['websocket'], reconnection: false });
    raw.push(stray);
    const error = await new Promise<Error>((resolve) => stray.once('connect_error', resolve));
    expect(error.message).toBe('Invalid namespace');
  });
});
