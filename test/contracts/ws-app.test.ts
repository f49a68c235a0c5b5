/**
 * The `/ws/app` contract (hcw-realtime-sdk/contracts/ws-app) against its test server (the generic
 * server built from the same contract): ready, notifications, messages, presence, a refused join,
 * token expiry and refusal, the 5 KB cap.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createRealtimeClient, type RealtimeClient, type RealtimeClientOptions } from '../../src/index.js';
import {
  conversationMessages,
  WS_APP_ERROR_CODES,
  WS_APP_MAX_PAYLOAD_BYTES,
  wsAppContract,
  type MessageChange,
} from '../../src/contracts/ws-app.js';
import { startWsAppServer, type WsAppServer } from '../../test-server/generic/systems/ws-app.js';
import { ManualScheduler } from '../support/manual-scheduler.js';
import { record, sleep, until, waitFor } from '../support/observe.js';

let server: WsAppServer | undefined;
const clients: RealtimeClient<typeof wsAppContract>[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  await server?.close();
  server = undefined;
});

const conversations = { 'c-1': ['alice', 'bob'], 'c-secret': ['carol'] };

function connect(user: string, options: Partial<RealtimeClientOptions> = {}) {
  const client = createRealtimeClient(wsAppContract, {
    url: server!.url,
    token: () => server!.token(user),
    maxPayloadBytes: WS_APP_MAX_PAYLOAD_BYTES,
    reconnection: { delayMs: 10, maxDelayMs: 20, jitter: 0 },
    watchNetwork: false,
    ...options,
  });
  clients.push(client);
  return client;
}

describe('/ws/app journey', () => {
  test('ready on connect, then notifications to the personal room', async () => {
    server = await startWsAppServer({ conversations });
    const app = connect('alice').services.app;
    const ready = await waitFor(app.on('notifications:ready'), () => true);
    expect(ready.userId).toBe('alice');
    const notifications = record(app.on('notifications:new'));
    server.notify('alice', 'task.assigned', { id: 'n-1', title: 'Review the file' });
    server.notify('bob', 'task.assigned', { id: 'n-2', title: 'not for alice' });
    await until(() => notifications.values.length === 1, 2000, 'the notification');
    await sleep(50);
    expect(notifications.values).toEqual([{ eventKey: 'task.assigned', notification: { id: 'n-1', title: 'Review the file' } }]);
    expect(server.problems).toEqual([]);
  });

  test('messages new/updated/deleted of a joined conversation, the room joined again after a lost session', async () => {
    server = await startWsAppServer({ conversations });
    const client = connect('alice');
    const app = client.services.app;
    const changes: MessageChange[] = [];
    let failure: unknown;
    const subscription = conversationMessages(app, 'c-1').subscribe({
      next: (change) => changes.push(change),
      error: (e) => (failure = e),
    });
    await until(() => server!.members('app', 'conversation', { conversationId: 'c-1' }).length === 1, 2000, 'joined c-1');

    const message = { id: 'm-1', body: 'hello', status: 'sent' };
    server.message('new', 'c-1', message, 'bob');
    server.message('updated', 'c-1', { ...message, body: 'hello!' }, 'bob');
    server.message('deleted', 'c-1', { ...message, status: 'deleted', deletedAt: 1_700_000_000_000 }, 'bob');
    server.message('new', 'c-other', { id: 'm-9' }, 'bob'); // another conversation: not delivered
    await until(() => changes.length === 3, 2000, 'three message events');
    expect(changes.map((change) => [change.kind, change.message])).toEqual([
      ['new', message],
      ['updated', { ...message, body: 'hello!' }],
      ['deleted', { ...message, status: 'deleted', deletedAt: 1_700_000_000_000 }],
    ]);
    expect(changes[0]).toMatchObject({ conversationId: 'c-1', senderId: 'bob', recipients: ['alice', 'bob'] });

    // A soft delete without `deletedAt` breaks the contract outside what is required: delivered, reported as drift.
    const errors = record(client.errors$);
    server.emitRaw('app', 'messages:deleted', {
      conversationId: 'c-1',
      message: { id: 'm-1', status: 'deleted' },
      senderId: 'bob',
      recipients: [],
    });
    await until(() => changes.length === 4, 2000, 'the drifted delete');
    expect(changes[3]).toMatchObject({ kind: 'deleted', message: { id: 'm-1', status: 'deleted' } });
    expect(errors.values.map((error) => [error.reason, error.issues?.map((issue) => issue.path)])).toEqual([
      ['schema_drift', ['message.deletedAt']],
    ]);

    // The server loses the session (no recovery): the SDK joins c-1 again by itself.
    const joins = () => server!.received.filter((event) => event.event === 'conversations:join').length;
    expect(joins()).toBe(1);
    server.faults.dropTransport();
    await until(
      () => joins() === 2 && server!.members('app', 'conversation', { conversationId: 'c-1' }).length === 1,
      3000,
      'joined again',
    );
    server.message('new', 'c-1', { id: 'm-2' }, 'bob');
    await until(() => changes.length === 5, 2000, 'a message after the re-join');

    subscription.unsubscribe();
    await until(() => server!.received.some((event) => event.event === 'conversations:leave'), 2000, 'left');
    expect(failure).toBeUndefined();
    expect(server.problems).toEqual([]);
  });

  test('presence snapshots: a user coming online and going offline', async () => {
    server = await startWsAppServer({ conversations });
    const alice = connect('alice').services.app;
    await waitFor(alice.on('notifications:ready'), () => true);
    const presence = record(alice.on('presence:update'));
    const bob = connect('bob');
    expect(bob.services.app.state.status).toBe('connecting'); // services open on first access
    await until(() => presence.values.some((p) => p.userId === 'bob' && p.isOnline), 2000, 'bob online');
    const online = presence.values.find((p) => p.userId === 'bob')!;
    expect(online.sockets).toHaveLength(1);
    expect(online.sockets[0]).toMatchObject({ socketId: expect.any(String), connectedAt: expect.any(Number) });
    await bob.services.app.emit('presence:heartbeat', undefined);
    await until(() => presence.values.filter((p) => p.userId === 'bob').length === 2, 2000, 'heartbeat snapshot');
    bob.dispose();
    await until(() => presence.values.some((p) => p.userId === 'bob' && !p.isOnline), 2000, 'bob offline');
    expect(presence.values.at(-1)).toMatchObject({ userId: 'bob', isOnline: false, sockets: [] });
  });

  test('an acknowledged conversations:join the server refuses is a typed error', async () => {
    server = await startWsAppServer({ conversations });
    const app = connect('alice').services.app;
    await expect(app.emit('conversations:join', { conversationId: 'c-secret' })).rejects.toMatchObject({
      name: 'HcwError',
      reason: 'server_error',
      event: 'conversations:join',
      message: expect.stringContaining('alice is not a participant of c-secret'),
    });
    const refused = await new Promise<unknown>((resolve) => conversationMessages(app, 'c-secret').subscribe({ error: resolve }));
    expect(refused).toMatchObject({ reason: 'server_error', namespace: '/ws/app' });
    expect(server.members('app', 'conversation', { conversationId: 'c-secret' })).toEqual([]);
    await expect(app.emit('conversations:join', { conversationId: 'c-1' })).resolves.toEqual({ success: true });
  });
});

describe('/ws/app tokens', () => {
  test(`${WS_APP_ERROR_CODES.tokenExpired}: the provider is asked again and the client connects`, async () => {
    server = await startWsAppServer({ conversations });
    const tokens = [server.token('alice', -60), server.token('alice')];
    let calls = 0;
    const client = connect('alice', { token: () => tokens[Math.min(calls++, 1)]! });
    const app = client.services.app;
    await waitFor(app.state$, (state) => state.status === 'connected', 3000);
    expect(calls).toBe(2);
    expect(server.attempts.map((attempt) => attempt.outcome)).toEqual(['socket_error:token_expired', 'accepted']);
    await expect(app.emit('conversations:join', { conversationId: 'c-1' })).resolves.toEqual({ success: true });
  });

  test(`${WS_APP_ERROR_CODES.unauthorized}: the client stops, no retry storm`, async () => {
    server = await startWsAppServer({ conversations });
    const scheduler = new ManualScheduler();
    let calls = 0;
    const client = connect('alice', { token: () => (calls++, 'not-a-jwt'), scheduler });
    const errors = record(client.errors$);
    const app = client.services.app;
    await waitFor(app.state$, (state) => state.status === 'unauthorized', 3000);
    // However long one waits (the SDK's timers run through the scheduler), nothing is attempted again.
    await scheduler.advance(60_000);
    await sleep(200);
    expect(server.attempts.length).toBeLessThanOrEqual(2);
    expect(server.attempts.every((attempt) => attempt.outcome === 'socket_error:unauthorized')).toBe(true);
    expect(calls).toBeLessThanOrEqual(2);
    expect(client.state.status).toBe('unauthorized');
    expect(errors.values.map((error) => error.reason)).toContain('unauthorized');
    await expect(app.emit('conversations:join', { conversationId: 'c-1' })).rejects.toMatchObject({ reason: 'unauthorized' });
    expect(server.received).toEqual([]);
  });
});

describe('/ws/app payload cap', () => {
  test('a payload over 5 KB is refused before sending; one at the limit passes and the connection stays', async () => {
    server = await startWsAppServer({ conversations });
    const app = connect('alice').services.app;
    await waitFor(app.state$, (state) => state.status === 'connected', 3000);
    const frame = JSON.stringify({ conversationId: '' }).length;

    await expect(app.emit('conversations:join', { conversationId: 'x'.repeat(5 * 1024) })).rejects.toMatchObject({
      reason: 'payload_too_large',
      event: 'conversations:join',
    });
    await expect(
      app.emit('conversations:join', { conversationId: 'x'.repeat(WS_APP_MAX_PAYLOAD_BYTES - frame + 1) }),
    ).rejects.toMatchObject({
      reason: 'payload_too_large',
    });
    await sleep(50);
    expect(server.received).toEqual([]);

    // At the limit the whole packet still fits the server's 5 KB: answered, not disconnected.
    const atLimit = 'y'.repeat(WS_APP_MAX_PAYLOAD_BYTES - frame);
    await expect(app.emit('conversations:join', { conversationId: atLimit })).rejects.toMatchObject({ reason: 'server_error' });
    expect(server.received).toHaveLength(1);
    expect(app.state.status).toBe('connected');
  });
});
