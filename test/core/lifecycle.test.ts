import { describe, expect, test } from 'vitest';
import { socketOf, useHarness } from '../support/harness.js';
import { sleep, waitFor } from '../support/observe.js';

const start = useHarness();
const connected = (state: { status: string }) => state.status === 'connected';

describe('client lifecycle and bookkeeping', () => {
  test('services expose only on/emit/request, their state and conveniences: internals are not reachable', async () => {
    const harness = await start();
    const client = harness.client();
    for (const service of [client.consultation, client.chat, client.mediasoup, client.enhanced]) {
      const reachable = new Set<string>();
      for (let o: object | null = service; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
        for (const key of Reflect.ownKeys(o)) reachable.add(String(key));
      }
      for (const internal of [
        'socket',
        'setState',
        'dispose',
        'connect',
        'reconnectScheduled',
        'reconnectFailed',
        'pause',
        'host',
        'machine',
      ]) {
        expect(reachable.has(internal), `${service.name} ${internal}`).toBe(false);
      }
      for (const api of ['on', 'emit', 'request', 'state$', 'resync$', 'state', 'connected', 'name'])
        expect(reachable.has(api), api).toBe(true);
    }
    // The same service every time, and it keeps working: nothing could dispose it into a dead end.
    expect(client.chat).toBe(client.chat);
    await waitFor(client.chat.state$, connected);
    await expect(client.chat.emit('start_typing', { consultationId: harness.consultationId })).resolves.toBeUndefined();
  });

  test('the offline queue is bounded: past maxQueuedEmits, emit rejects with queue_full and nothing is dropped silently', async () => {
    const harness = await start();
    const client = harness.client({ maxQueuedEmits: 3 });
    const reader = harness.client({ role: 'PRACTITIONER' });
    await waitFor(client.chat.state$, connected);
    client.pause();
    const payload = (n: number) => ({
      consultationId: harness.consultationId,
      userId: harness.patientId,
      content: `queued ${n}`,
      clientUuid: `queued-${n}`,
    });
    const accepted = [1, 2, 3].map((n) => client.chat.emit('send_message', payload(n)));
    await expect(client.chat.emit('send_message', payload(4))).rejects.toMatchObject({ reason: 'queue_full', event: 'send_message' });
    client.resume();
    await Promise.all(accepted);
    await sleep(100);
    const history = await reader.chat.loadHistory(10);
    expect(history.messages.map((m) => m.content)).toEqual(['queued 1', 'queued 2', 'queued 3']);
  });

  test('unsubscribing from every on() removes the socket listener; one listener however many subscribers', async () => {
    const harness = await start();
    const client = harness.client();
    const socket = socketOf(client, '/chat');
    const a = client.chat.on('typing_users').subscribe();
    const b = client.chat.on('typing_users').subscribe();
    expect(socket.listeners('typing_users')).toHaveLength(1);
    a.unsubscribe();
    expect(socket.listeners('typing_users')).toHaveLength(1);
    b.unsubscribe();
    expect(socket.listeners('typing_users')).toHaveLength(0);
  });

  test('latency$ measures the ping → pong round trip on /enhanced-consultation', async () => {
    const harness = await start();
    const client = harness.client({ heartbeat: { latencyPingIntervalMs: 50 } });
    const latency = await waitFor(client.enhanced.latency$, (value) => value !== undefined, 3000);
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThan(1000);
  });

  test('after unauthorized, reconnect() resumes once the credentials are valid again', async () => {
    const harness = await start();
    const client = harness.client();
    await waitFor(client.chat.state$, connected);
    harness.server.faults.revokeUser(harness.patientId);
    await waitFor(client.chat.state$, (s) => s.status === 'unauthorized');
    harness.server.faults.restoreUser(harness.patientId);
    client.reconnect();
    await waitFor(client.chat.state$, connected);
    await expect(client.chat.loadHistory(1)).resolves.toMatchObject({ messages: expect.any(Array) });
  });

  test('acks time out with a typed error; a failure ack rejects with server_error', async () => {
    const harness = await start();
    const client = harness.client();
    await waitFor(client.mediasoup.state$, connected);
    harness.server.faults.delayEvents(300);
    await expect(
      client.mediasoup.request('getRouterCapabilities', { consultationId: harness.consultationId }, { timeoutMs: 100 }),
    ).rejects.toMatchObject({ reason: 'timeout', event: 'getRouterCapabilities' });
    harness.server.faults.delayEvents(0);
    // No router before admission: the server's failure ack becomes a server_error, not a timeout.
    await expect(client.mediasoup.request('getRouterCapabilities', { consultationId: harness.consultationId })).rejects.toMatchObject({
      reason: 'server_error',
    });
  });

  test('ack calls retry after a timeout when asked to (at-least-once)', async () => {
    const harness = await start();
    const doctor = harness.client({ role: 'PRACTITIONER' });
    await waitFor(doctor.consultation.state$, connected);
    harness.server.faults.delayEvents(400); // the first answer comes too late
    setTimeout(() => harness.server.faults.delayEvents(0), 150); // the retry's answer is prompt
    const stats = await doctor.consultation.request(
      'get_waiting_room_stats',
      { practitionerId: harness.practitionerId },
      { timeoutMs: 250, retries: 1 },
    );
    expect(stats).toMatchObject({ waitingCount: 0 });
  });
});

test('a refusal sent as the generic error { event } rejects the request at once (no timeout)', async () => {
  const harness = await start();
  const patient = harness.client({ requestTimeoutMs: 20_000 });
  await waitFor(patient.consultation.state$, connected);
  const started = Date.now();
  // Another patient's id: the server refuses, and enter_waiting_room has no error event of its own.
  await expect(
    patient.consultation.request('enter_waiting_room', { consultationId: harness.consultationId, userId: 'someone-else' }),
  ).rejects.toMatchObject({ reason: 'server_error', event: 'enter_waiting_room' });
  expect(Date.now() - started).toBeLessThan(5000);
});
