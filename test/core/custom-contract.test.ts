import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, expect, test } from 'vitest';
import { z } from 'zod';
import { defineNamespace, emit, events, receive } from '../../src/contract/index.js';
import { createRealtimeClient, NamespaceService, type NamespaceChannel, type RealtimeClient } from '../../src/index.js';
import { record, until } from '../support/observe.js';

// ---- A contract of one's own: the README's "define your own contract" example ----------------------
const notifications = defineNamespace({
  name: '/notifications',
  handshake: ['userId'],
  events: {
    // What the app cannot do without: a payload lacking it is refused; other breaks are delivered as drift.
    notification: receive(z.looseObject({ id: z.string(), text: z.string(), priority: z.number().optional() }), {
      requires: ['id', 'text'],
    }),
    subscribe: emit(z.looseObject({ topic: z.string().min(1) }), { ack: z.looseObject({ ok: z.boolean() }) }),
  },
});
const myContract = { notifications } as const;

/** A service with a convenience, built on the generic one. */
class NotificationService extends NamespaceService<typeof notifications> {
  subscribeTo(topic: string) {
    return this.request('subscribe', { topic });
  }
}

let close: (() => Promise<void>) | undefined;
let client: RealtimeClient<typeof myContract, { notifications: NotificationService }> | undefined;
afterEach(async () => {
  client?.dispose();
  await close?.();
  client = close = undefined;
});

async function startServer() {
  const http = createServer();
  const io = new Server(http);
  const seen: { userId: unknown; topic: unknown }[] = [];
  io.of('/notifications').on('connection', (socket) => {
    socket.on('subscribe', (payload: { topic: string }, ack: (answer: unknown) => void) => {
      seen.push({ userId: socket.handshake.query.userId, topic: payload.topic });
      ack({ ok: true });
      socket.emit('notification', { id: 'n-1', text: `subscribed to ${payload.topic}` });
      socket.emit('notification', { id: 42 }); // lacks what is required: reported, never delivered
      socket.emit('notification', { id: 'n-1b', text: 'drifted', priority: 'high' }); // broken elsewhere only: delivered
      socket.emit('notification', { id: 'n-2', text: 'still flowing' });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  close = () => new Promise<void>((resolve) => void io.close(() => resolve()));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, seen };
}

test('any contract: typed services over one connection, validated both ways, conveniences by composition', async () => {
  const server = await startServer();
  client = createRealtimeClient(
    myContract,
    { url: server.url, token: 'dev', handshake: { userId: 7 } },
    { notifications: (channel: NamespaceChannel<typeof notifications>) => new NotificationService(channel) },
  );
  const errors = record(client.errors$);
  const received = record(client.services.notifications.on('notification'));
  await expect(client.services.notifications.subscribeTo('cardiology')).resolves.toEqual({ ok: true });
  await until(() => received.values.length === 3, 2000, 'the usable notifications');
  expect(received.values.map((n) => n.text)).toEqual(['subscribed to cardiology', 'drifted', 'still flowing']);
  expect(received.values[1]).toEqual({ id: 'n-1b', text: 'drifted' }); // the broken field left out
  expect(errors.values.map((e) => e.reason)).toEqual(['malformed_event', 'schema_drift']);
  expect(server.seen).toEqual([{ userId: '7', topic: 'cardiology' }]);
  // Strict in what it sends: an invalid payload never leaves.
  await expect(client.services.notifications.emit('subscribe', { topic: '' })).rejects.toMatchObject({ reason: 'invalid_payload' });
  expect(server.seen).toHaveLength(1);
  expect(client.state.status).toBe('connected');
});

test('a handshake key the contract declares but the options lack fails at creation, naming it', () => {
  expect(() => createRealtimeClient(myContract, { url: 'http://127.0.0.1:1', token: 'dev' })).toThrow(
    expect.objectContaining({ reason: 'invalid_contract', message: expect.stringContaining('"userId"') }),
  );
});

// ---- Rooms joined by an event: refcounted, re-joined after a reconnection, refusals typed ---------
const queue = defineNamespace({
  name: '/queue',
  handshake: [],
  rooms: { clinic: { join: 'join_queue_room', leave: 'leave_queue_room' } },
  events: {
    join_queue_room: emit(z.looseObject({ clinic_id: z.number() }), { ack: z.looseObject({ ok: z.boolean() }) }),
    leave_queue_room: emit(z.looseObject({ clinic_id: z.number() })),
    queue_updated: receive(z.looseObject({ clinic_id: z.number() }), { requires: ['clinic_id'] }),
  },
});

test('rooms: one join however many subscribers, left on the last unsubscribe, re-joined after a reconnection, a refusal errors', async () => {
  const http = createServer();
  const io = new Server(http);
  const log: string[] = [];
  io.of('/queue').on('connection', (socket) => {
    socket.on('join_queue_room', ({ clinic_id }: { clinic_id: number }, ack: (answer: unknown) => void) => {
      log.push(`join ${clinic_id}`);
      if (clinic_id === 404) return ack({ error: 'no such clinic', code: 'not_found' });
      void socket.join(`clinic_${clinic_id}`);
      ack({ ok: true });
    });
    socket.on('leave_queue_room', ({ clinic_id }: { clinic_id: number }) => log.push(`leave ${clinic_id}`));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  close = () => new Promise<void>((resolve) => void io.close(() => resolve()));
  const queueClient = createRealtimeClient(
    { queue },
    {
      url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
      token: 'dev',
      reconnection: { delayMs: 10, maxDelayMs: 20, jitter: 0 },
    },
  );
  try {
    const service = queueClient.services.queue;
    const joins = record(service.room('clinic', { clinic_id: 3 }));
    const second = service.room('clinic', { clinic_id: 3 }).subscribe();
    await until(() => joins.values.length === 1, 2000, 'joined');
    expect(log).toEqual(['join 3']);
    // In the room: the server's broadcasts to it arrive.
    const updates = record(service.on('queue_updated'));
    io.of('/queue').to('clinic_3').emit('queue_updated', { clinic_id: 3 });
    await until(() => updates.values.length === 1, 2000, 'room broadcast');

    // The server loses the session (no recovery): the room is joined again, once.
    for (const socket of io.of('/queue').sockets.values()) socket.conn.close();
    await until(() => joins.values.length === 2, 3000, 'joined again');
    expect(joins.values[1]).toMatchObject({ room: 'clinic', rejoined: true, answer: { ok: true } });
    expect(log).toEqual(['join 3', 'join 3']);

    joins.stop();
    expect(log).toEqual(['join 3', 'join 3']); // one subscriber left: still in
    second.unsubscribe();
    await until(() => log.length === 3, 2000, 'left');
    expect(log[2]).toBe('leave 3');

    const refused = await new Promise<unknown>((resolve) => service.room('clinic', { clinic_id: 404 }).subscribe({ error: resolve }));
    expect(refused).toMatchObject({ reason: 'server_error', code: 'not_found' });
  } finally {
    queueClient.dispose();
  }
});

test('a bad contract fails where it is written', () => {
  expect(() => defineNamespace({ name: 'no-slash', handshake: [], events: {} })).toThrow(/must be a path/);
  expect(() => defineNamespace({ name: '/x', handshake: ['a', 'a'], events: {} })).toThrow(/"a" is listed twice/);
  expect(() =>
    defineNamespace({ name: '/x', handshake: [], events: { e: { direction: 'sideways' as never, payload: z.object({}) } } }),
  ).toThrow(/unknown direction "sideways"/);
  expect(() => defineNamespace({ name: '/x', handshake: [], rooms: { r: { join: 'nope' } }, events: {} })).toThrow(/join event "nope"/);
  const a = { ping: emit(z.object({})) };
  expect(() => events(a, a)).toThrow(/"ping" is declared twice/);
});

test('two keys on one namespace path fail at creation', () => {
  expect(() =>
    createRealtimeClient({ a: notifications, b: notifications }, { url: 'http://127.0.0.1:1', token: 'dev', handshake: { userId: 1 } }),
  ).toThrow(expect.objectContaining({ reason: 'invalid_contract', message: expect.stringContaining('twice') }));
});
