import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, expect, test } from 'vitest';
import { z } from 'zod';
import { defineNamespace, emit, receive } from '../../src/contract/index.js';
import { createRealtimeClient, NamespaceService, type NamespaceChannel, type RealtimeClient } from '../../src/index.js';
import { record, until } from '../support/observe.js';

// ---- A contract of one's own: the README's "define your own contract" example ----------------------
const notifications = defineNamespace({
  name: '/notifications',
  handshake: ['userId'],
  events: {
    // What the app cannot do without: a payload lacking it is refused; other breaks are delivered as drift.
    notification: receive(z.looseObject({ id: z.string(), text: z.string(), priority: z.number().optional() }), { requires: ['id', 'text'] }),
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
  close = () => new Promise<void>((resolve) => io.close(() => resolve()));
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
