import { afterEach, describe, expect, test } from 'vitest';
import type { ConnectionState, HcwError } from '../../src/index.js';
import { socketOf, startHarness, type Harness } from '../support/harness.js';
import { record, sleep, until, waitFor } from '../support/observe.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

let harness: Harness | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await harness?.close();
  harness = undefined;
  proxy = undefined;
});

const connected = (state: ConnectionState) => state.status === 'connected';
const statuses = (states: ConnectionState[]) => states.map((state) => state.status);

describe('one multiplexed connection', () => {
  test('all four services share exactly one Engine.IO connection', async () => {
    harness = await startHarness();
    const patient = harness.client();
    const services = [patient.consultation, patient.chat, patient.mediasoup, patient.enhanced];
    await Promise.all(services.map((service) => waitFor(service.state$, connected)));
    expect(harness.server.faults.engineConnectionCount()).toBe(1);

    const practitioner = harness.client({ role: 'PRACTITIONER' });
    await Promise.all([practitioner.consultation, practitioner.chat].map((service) => waitFor(service.state$, connected)));
    expect(harness.server.faults.engineConnectionCount()).toBe(2);
    expect(patient.state.status).toBe('connected');
  });
});

describe('connection state machine', () => {
  test('normal connect: idle → connecting → connected', async () => {
    harness = await startHarness();
    const client = harness.client();
    const aggregate = record(client.state$); // before any service exists: idle
    const states = record(client.chat.state$); // opening the service starts connecting
    await waitFor(client.chat.state$, connected);
    expect(aggregate.values).toEqual([
      { status: 'idle' },
      { status: 'connecting' },
      { status: 'connected', recovered: false, reconnected: false },
    ]);
    expect(states.values).toEqual([{ status: 'connecting' }, { status: 'connected', recovered: false, reconnected: false }]);
  });

  test('transport drop: reconnecting (attempt, delay) → connected and recovered', async () => {
    harness = await startHarness();
    const client = harness.client();
    // Recovery needs one event received first: /chat sends the history on connect.
    const history = waitFor(client.chat.on('message_history'), () => true);
    await waitFor(client.chat.state$, connected);
    await history;
    const states = record(client.chat.state$);
    harness.server.faults.dropTransport(harness.patientId);
    await waitFor(client.chat.state$, (state) => connected(state) && state.reconnected);
    expect(statuses(states.values)).toEqual(['connected', 'reconnecting', 'connected']);
    expect(states.values[1]).toMatchObject({ status: 'reconnecting', attempt: 1, nextDelayMs: 20 });
    expect(states.values[2]).toEqual({ status: 'connected', recovered: true, reconnected: true });
  });

  test('server restart: reconnected without recovery, resync$ fires once', async () => {
    harness = await startHarness();
    const client = harness.client();
    await waitFor(client.chat.state$, connected);
    const resyncs = record(client.chat.resync$);
    const states = record(client.chat.state$);
    await harness.server.restart();
    await waitFor(client.chat.state$, (state) => connected(state) && state.reconnected);
    expect(states.values.at(-1)).toEqual({ status: 'connected', recovered: false, reconnected: true });
    expect(statuses(states.values)).toContain('reconnecting');
    expect(resyncs.values).toHaveLength(1);
  });

  test('server kick: disconnected (server), no automatic retry; reconnect() brings it back', async () => {
    harness = await startHarness();
    const client = harness.client();
    await waitFor(client.chat.state$, connected);
    harness.server.faults.kick(harness.patientId, '/chat');
    await waitFor(client.chat.state$, (state) => state.status === 'disconnected');
    expect(client.chat.state).toEqual({ status: 'disconnected', reason: 'server' });
    await sleep(150); // several backoff periods: it must stay down
    expect(client.chat.state.status).toBe('disconnected');
    client.reconnect();
    await waitFor(client.chat.state$, connected);
  });

  test('expired token: the provider is asked again and the connection succeeds', async () => {
    harness = await startHarness();
    const server = harness.server;
    let calls = 0;
    const client = harness.client({
      token: () => {
        calls++;
        return server.createToken(harness!.patientId, 'PATIENT', calls === 1 ? -60 : 3600);
      },
    });
    const errors = record(client.errors$);
    await waitFor(client.chat.state$, connected);
    expect(calls).toBe(2);
    expect(errors.values.filter((error: HcwError) => error.reason === 'unauthorized')).toEqual([]);
  });

  test('revoked token: unauthorized without a retry storm', async () => {
    harness = await startHarness();
    const client = harness.client();
    await waitFor(client.chat.state$, connected);
    const errors = record(client.errors$);
    const before = harness.server.faults.connectionAttempts(harness.patientId);
    harness.server.faults.revokeUser(harness.patientId);
    await waitFor(client.chat.state$, (state) => state.status === 'unauthorized');
    await sleep(300); // 15 backoff periods at 20 ms: a storm would show here
    const attempts = harness.server.faults.connectionAttempts(harness.patientId) - before;
    expect(attempts).toBeLessThanOrEqual(2);
    expect(client.chat.state.status).toBe('unauthorized');
    expect(errors.values.some((error) => error.reason === 'unauthorized')).toBe(true);
  });

  test('attempts exhausted: failed', async () => {
    harness = await startHarness();
    proxy = await startTcpProxy(harness.server.port);
    const client = harness.client({ url: proxy.url, reconnection: { delayMs: 10, maxDelayMs: 20, jitter: 0, maxAttempts: 3 } });
    await waitFor(client.chat.state$, connected);
    const states = record(client.chat.state$);
    proxy.refuse(true);
    await waitFor(client.chat.state$, (state) => state.status === 'failed');
    const attempts = states.values.filter((state) => state.status === 'reconnecting').map((state) => 'attempt' in state && state.attempt);
    expect(attempts).toEqual([1, 2, 3]);
  });
});

describe('resilience', () => {
  test('200 forced reconnects: listener counts unchanged, events arrive once each', async () => {
    harness = await startHarness();
    const client = harness.client({ transports: ['websocket'] });
    const received: unknown[] = [];
    client.chat.on('typing_users').subscribe((event) => received.push(event));
    await waitFor(client.chat.state$, connected);
    const socket = socketOf(client, '/chat');
    const manager = client.connection.manager;
    const counts = () => ({
      event: socket.listeners('typing_users').length,
      connect: socket.listeners('connect').length,
      disconnect: socket.listeners('disconnect').length,
      packet: manager.listeners('packet').length,
      close: manager.listeners('close').length,
    });
    const before = counts();
    let connects = 0;
    client.chat.state$.subscribe((state) => connected(state) && connects++);
    for (let i = 1; i <= 200; i++) {
      const target = connects + 1;
      harness.server.faults.dropTransport(harness.patientId);
      await until(() => connects === target, 5000, `reconnect #${i}`);
    }
    expect(connects).toBeGreaterThanOrEqual(201);
    expect(counts()).toEqual(before);
    await client.chat.request('get_typing_users', { consultationId: harness.consultationId });
    await sleep(50);
    expect(received).toHaveLength(1);
  }, 120_000);

  test('messages sent while the server is unreachable arrive exactly once when it is back', async () => {
    harness = await startHarness();
    proxy = await startTcpProxy(harness.server.port);
    const patient = harness.client({ url: proxy.url });
    await waitFor(patient.chat.state$, connected);
    proxy.refuse(true);
    await waitFor(patient.chat.state$, (state) => state.status === 'reconnecting');
    const sends = ['one', 'two', 'three'].map((text) => patient.chat.sendMessage(text));
    await sleep(100);
    proxy.refuse(false);
    const results = await Promise.all(sends);
    expect(results.map((result) => result.message.content)).toEqual(['one', 'two', 'three']);

    const reader = harness.client({ role: 'PRACTITIONER' });
    const history = await reader.chat.loadHistory(50);
    const contents = history.messages.map((message) => message.content);
    expect(contents.filter((content) => ['one', 'two', 'three'].includes(content))).toEqual(['one', 'two', 'three']);
  });

  test('invalid emit: rejected with a typed error, not a byte reaches the server', async () => {
    harness = await startHarness();
    proxy = await startTcpProxy(harness.server.port);
    const client = harness.client({ url: proxy.url, transports: ['websocket'] });
    await waitFor(client.chat.state$, connected);
    await sleep(50);
    const bytes = proxy.bytesToServer;
    const bad = { consultationId: harness.consultationId, userId: harness.patientId, content: 42 };
    await expect(client.chat.emit('send_message', bad as never)).rejects.toMatchObject({
      name: 'HcwError',
      reason: 'invalid_payload',
      event: 'send_message',
      issues: [{ path: 'content' }],
    });
    await expect(client.chat.emit('not_an_event' as never, {} as never)).rejects.toMatchObject({ reason: 'unsupported' });
    await sleep(100);
    expect(proxy.bytesToServer).toBe(bytes);
    expect(client.chat.connected).toBe(true);
  });

  test('malformed server payload: reported on errors$, the stream and the next valid event go on', async () => {
    harness = await startHarness();
    const client = harness.client();
    const errors = record(client.errors$);
    const received = record(client.chat.on('typing_users'));
    await waitFor(client.chat.state$, connected);
    harness.server.faults.emitMalformed(harness.patientId, '/chat', 'typing_users');
    harness.server.faults.emitRaw(harness.patientId, '/chat', 'typing_users', {
      consultationId: harness.consultationId,
      typingUsers: [{ userId: 'dr-1' }],
      timestamp: Date.now(),
    });
    await until(() => received.values.length === 1, 2000, 'valid event');
    expect(errors.values).toHaveLength(1);
    expect(errors.values[0]).toMatchObject({ reason: 'malformed_event', namespace: '/chat', event: 'typing_users' });
    expect(errors.values[0]!.message).toContain('typing_users');
    expect(client.chat.connected).toBe(true);
  });

  test('a request whose connection drops before the answer rejects with `disconnected`, not after the timeout', async () => {
    harness = await startHarness();
    const client = harness.client();
    await waitFor(client.chat.state$, connected);
    harness.server.faults.delayEvents(2000); // the answer would come after the drop
    const request = client.chat.loadHistory(10, 0);
    await sleep(50);
    harness.server.faults.dropTransport(harness.patientId);
    await expect(request).rejects.toMatchObject({ name: 'HcwError', reason: 'disconnected' });
    // The connection comes back and the next request is answered.
    harness.server.faults.delayEvents(0);
    await expect(client.chat.loadHistory(10, 0)).resolves.toMatchObject({ limit: 10, offset: 0 });
  });

  test('a payload above the size limit is refused before sending; the connection stays up', async () => {
    harness = await startHarness();
    const client = harness.client({ maxPayloadBytes: 100_000 });
    await waitFor(client.chat.state$, connected);
    const huge = 'x'.repeat(9_000); // the contract caps message content at 10 000 characters
    await expect(client.chat.sendMessage(huge.repeat(1))).resolves.toBeTruthy();
    const metadata = { blob: 'y'.repeat(200_000) };
    await expect(client.chat.sendMessage('hi', { metadata })).rejects.toMatchObject({ reason: 'payload_too_large' });
    expect(client.chat.connected).toBe(true);
  });

  test('dispose closes the connection and removes every listener', async () => {
    harness = await startHarness();
    const client = harness.client();
    client.chat.on('new_message').subscribe();
    await waitFor(client.chat.state$, connected);
    const socket = socketOf(client, '/chat');
    client.dispose();
    expect(client.state).toEqual({ status: 'disconnected', reason: 'client' });
    expect(socket.listeners('new_message')).toHaveLength(0);
    expect(client.connection.manager.listeners('packet')).toHaveLength(0);
    await until(() => harness!.server.faults.engineConnectionCount() === 0, 2000, 'server sees the close');
    await expect(client.chat.emit('start_typing', { consultationId: harness.consultationId })).rejects.toMatchObject({
      reason: 'disposed',
    });
  });
});

describe('app lifecycle', () => {
  test('pause() disconnects and keeps queued emits; resume() reconnects and flushes them once', async () => {
    harness = await startHarness();
    const client = harness.client();
    const reader = harness.client({ role: 'PRACTITIONER' });
    await waitFor(client.chat.state$, connected);
    await waitFor(reader.chat.state$, connected);
    expect(harness.server.faults.engineConnectionCount()).toBe(2);
    client.pause();
    expect(client.chat.state).toEqual({ status: 'disconnected', reason: 'paused' });
    await until(() => harness!.server.faults.engineConnectionCount() === 1, 2000, 'engine closed'); // only the reader remains
    const queued = client.chat.emit('send_message', {
      consultationId: harness.consultationId,
      userId: harness.patientId,
      content: 'written while paused',
      clientUuid: 'paused-1',
    });
    await sleep(100);
    expect(client.chat.state.status).toBe('disconnected'); // paused: no reconnection on its own
    client.resume();
    await queued;
    await waitFor(client.chat.state$, connected);
    const history = await reader.chat.loadHistory(10);
    expect(history.messages.filter((message) => message.content === 'written while paused')).toHaveLength(1);
  });
});
