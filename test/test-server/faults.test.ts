import { afterEach, describe, expect, test } from 'vitest';
import { checkPayload, contract } from '../../src/contract/index.js';
import { cleanup, connected, next, peer, record, request, scenario, sleep, until } from './helpers.js';

afterEach(cleanup);

describe('fault injection', () => {
  test('restart: connections lost, same port, domain kept; clients reconnect and find their data', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const patient = await s.patient(['/chat']);
    const chat = patient.socket('/chat');
    const sent = next(chat, 'new_message');
    chat.emit('send_message', { consultationId: s.consultationId, userId: s.patientId, content: 'before restart' });
    await sent;
    const port = s.server.port;
    const disconnected = next(chat, 'disconnect');
    const history = next(chat, 'message_history', () => true, 5000);
    await s.server.restart();
    expect(await disconnected).toBe('transport close');
    expect(s.server.port).toBe(port);
    expect((await history).messages.map((m: { content: string }) => m.content)).toEqual(['before restart']);
    expect(chat.recovered).toBe(false);
    expect(s.server.domain.consultations.get(s.consultationId)?.status).toBe('ACTIVE');
    expect((await fetch(`${s.server.url}/dev/health`)).ok).toBe(true);
  });

  test('dropTransport: the engine connection closes without a disconnect packet; the client reconnects and recovers', async () => {
    const s = await scenario();
    const patient = await s.patient(['/consultation', '/chat']);
    const chat = patient.socket('/chat');
    await sleep(20);
    const reasons = record(chat, 'disconnect');
    const reconnected = new Promise<void>((resolve) => patient.manager.once('reconnect', () => resolve()));
    expect(s.server.faults.dropTransport(s.patientId)).toBe(1);
    await reconnected;
    await until(() => chat.connected && patient.socket('/consultation').connected);
    expect(reasons).toEqual(['transport close']);
    expect(chat.recovered).toBe(true);
    expect(s.server.faults.engineConnectionCount()).toBe(1);
  });

  test('engineConnectionCount: four namespaces over one Manager are one connection', async () => {
    const s = await scenario();
    expect(s.server.faults.engineConnectionCount()).toBe(0);
    await s.patient(['/consultation', '/chat', '/mediasoup', '/enhanced-consultation']);
    expect(s.server.faults.engineConnectionCount()).toBe(1);
    await s.practitioner(['/consultation', '/chat']);
    expect(s.server.faults.engineConnectionCount()).toBe(2);
  });

  test('kick: server disconnect of one namespace (no auto-reconnect), or of the whole connection', async () => {
    const s = await scenario();
    const patient = await s.patient(['/consultation', '/chat']);
    const chatGone = next(patient.socket('/chat'), 'disconnect');
    expect(s.server.faults.kick(s.patientId, '/chat')).toBe(1);
    expect(await chatGone).toBe('io server disconnect');
    await sleep(100);
    expect(patient.socket('/chat').connected).toBe(false);
    expect(patient.socket('/consultation').connected).toBe(true);
    const allGone = next(patient.socket('/consultation'), 'disconnect');
    s.server.faults.kick(s.patientId);
    expect(await allGone).toBe('io server disconnect');
    await until(() => s.server.faults.engineConnectionCount() === 0);
  });

  test('delayEvents: emits and acks arrive late, in order', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const socket = (await s.patient(['/consultation'])).socket('/consultation');
    s.server.faults.delayEvents(150);
    const started = Date.now();
    const pongs = record(socket, 'pong');
    socket.emit('ping', { timestamp: 1 });
    socket.emit('ping', { timestamp: 2 });
    await sleep(60);
    expect(pongs).toEqual([]);
    await until(() => pongs.length === 2);
    expect(pongs.map((p) => p.timestamp)).toEqual([1, 2]);
    const answer = await request(socket, 'client_reconnect', { consultationId: s.consultationId, userId: s.patientId });
    expect(answer).toEqual({ success: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    s.server.faults.delayEvents(0);
  });

  test('emitRaw and emitMalformed bypass the contract', async () => {
    const s = await scenario();
    const socket = (await s.patient(['/chat'])).socket('/chat');
    const raw = next(socket, 'typing_users');
    expect(s.server.faults.emitRaw(s.patientId, '/chat', 'typing_users', { anything: true })).toBe(1);
    expect(await raw).toEqual({ anything: true });
    const malformed = next(socket, 'new_message');
    const sent = s.server.faults.emitMalformed(s.patientId, '/chat', 'new_message');
    const received = await malformed;
    expect(received).toEqual(sent.payload);
    expect(checkPayload(contract.chat, 'new_message', received).ok).toBe(false);
    expect(typeof sent.field).toBe('string');
    expect(() => s.server.faults.emitMalformed(s.patientId, '/chat', 'no_such_event')).toThrow();
  });

  test('silence: no pings, no emits, client declares ping timeout; lifting it lets the client back in', async () => {
    const s = await scenario({ pingInterval: 100, pingTimeout: 100, status: 'ACTIVE' });
    const client = await s.patient(['/consultation']);
    const socket = client.socket('/consultation');
    const pongs = record(socket, 'pong');
    const gone = next(socket, 'disconnect', () => true, 3000);
    s.server.faults.silence(true);
    socket.emit('ping', { timestamp: 1 });
    expect(await gone).toBe('ping timeout');
    expect(pongs).toEqual([]);
    await sleep(100);
    expect(socket.connected).toBe(false);
    s.server.faults.silence(false);
    await connected(socket, 3000).catch(() => until(() => socket.connected, 3000));
    const pong = next(socket, 'pong');
    socket.emit('ping', { timestamp: 2 });
    expect((await pong).timestamp).toBe(2);
  });

  test('connectionAttempts counts accepted and rejected handshakes', async () => {
    const s = await scenario();
    await s.patient(['/chat']);
    await s.patient(['/chat'], { token: 'bad' }).catch(() => undefined);
    expect(s.server.faults.connectionAttempts(s.patientId)).toBe(2);
    expect(s.server.faults.connectionAttempts(s.patientId, '/chat')).toBe(2);
    expect(s.server.faults.connectionAttempts(s.patientId, '/consultation')).toBe(0);
    expect(s.server.faults.connectionAttempts('nobody')).toBe(0);
  });

  test('heartbeat { timestamp } every heartbeatIntervalMs on /consultation and /enhanced-consultation only', async () => {
    const s = await scenario({ heartbeatIntervalMs: 50 });
    const client = await s.patient(['/consultation', '/enhanced-consultation', '/chat']);
    const beats = record(client.socket('/consultation'), 'heartbeat');
    const enhanced = record(client.socket('/enhanced-consultation'), 'heartbeat');
    const chat = record(client.socket('/chat'), 'heartbeat');
    await until(() => beats.length >= 2 && enhanced.length >= 2, 1000);
    expect(beats[0]).toEqual({ timestamp: expect.any(String) });
    expect(chat).toEqual([]);
  });

  test('connection state recovery can be switched off', async () => {
    const s = await scenario({ connectionStateRecovery: false });
    const client = await s.patient(['/chat']);
    await sleep(20);
    const reconnected = new Promise<void>((resolve) => client.manager.once('reconnect', () => resolve()));
    s.server.faults.dropTransport(s.patientId);
    await reconnected;
    await until(() => client.socket('/chat').connected);
    expect(client.socket('/chat').recovered).toBeFalsy();
  });
});

describe('peers', () => {
  test('a second practitioner connection for the same consultation replaces the first', async () => {
    const s = await scenario();
    const first = (await s.practitioner(['/consultation'])).socket('/consultation');
    const ended = next(first, 'session_ended');
    const gone = next(first, 'disconnect');
    const second = await peer(s.server, { userId: s.practitionerId, role: 'PRACTITIONER', consultationId: s.consultationId });
    expect((await ended).message).toContain('Replaced');
    expect(await gone).toBe('io server disconnect');
    expect(second.socket('/consultation').connected).toBe(true);
  });
});
