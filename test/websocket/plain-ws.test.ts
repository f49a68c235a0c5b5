/**
 * The plain-WebSocket contract (hcw-realtime-sdk/contracts/plain-ws) over the plain WebSocket
 * transport (hcw-realtime-sdk/websocket, its Node build on `ws`), against the plain-ws test server
 * (test-server/plain-ws/, a real `ws` server on loopback): notifications, chat both ways with echo
 * prevention, typing, the signalling relay, presence, requests by response events, reconnection after
 * a server restart (queued sends delivered once, in order; resync$), dead-link detection, bad input
 * refused before sending, the tolerant receive rule, the refusals, the payload cap.
 */
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createRealtimeClient, type RealtimeClient, type RealtimeClientOptions } from '../../src/index.js';
import {
  chatMessages,
  plainWsContract,
  plainWsEnvelope,
  videoSignals,
  type ChatMessage,
  type VideoSignal,
} from '../../src/contracts/plain-ws.js';
import { webSocketTransport, type WebSocketTransportOptions } from '../../src/websocket.node.js';
import { startPlainWsServer, type PlainWsServer, type PlainWsServerOptions } from '../../test-server/plain-ws/server.js';
import { ManualScheduler } from '../support/manual-scheduler.js';
import { record, sleep, until, waitFor } from '../support/observe.js';

type Client = RealtimeClient<typeof plainWsContract>;

let server: PlainWsServer | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  await server?.close();
  server = undefined;
});

const ROOMS = { r1: ['alice', 'bob'], r2: ['carol'] };

async function start(options: PlainWsServerOptions = {}): Promise<PlainWsServer> {
  server = await startPlainWsServer({ rooms: ROOMS, ...options });
  return server;
}

function connect(
  user: string,
  options: Partial<RealtimeClientOptions> = {},
  transport: WebSocketTransportOptions = { envelope: plainWsEnvelope },
): Client {
  const client = createRealtimeClient(plainWsContract, {
    url: server!.url,
    token: () => server!.token(user),
    handshake: { room: 'r1' },
    reconnection: { delayMs: 10, maxDelayMs: 20, jitter: 0 },
    watchNetwork: false,
    transport: webSocketTransport(transport),
    ...options,
  });
  clients.push(client);
  return client;
}

const connected = (service: { state$: Client['state$'] }, ms = 3000) =>
  waitFor(service.state$, (state) => state.status === 'connected', ms);

describe('plain-ws journey', () => {
  test('/ws/user: connected, then notifications and appointment events for this user only', async () => {
    await start();
    const user = connect('alice').services.user;
    const hello = await waitFor(user.on('connected'), () => true);
    expect(hello.userId).toBe('alice');
    const notifications = record(user.on('notification.new'));
    const cancelled = record(user.on('appointment.cancelled'));
    const notification = {
      id: 'n-1',
      type: 'appointment',
      title: 'Appointment confirmed',
      message: 'See you Monday',
      relatedEntityType: 'appointment',
      relatedEntity: 'a-1',
      createdAt: '2024-05-01T10:00:00.000Z',
    };
    expect(server!.notify('alice', 'notification.new', notification)).toBe(1);
    server!.notify('bob', 'notification.new', { ...notification, id: 'n-2' }); // bob is not connected: nobody
    server!.notify('alice', 'appointment.cancelled', {
      appointmentId: 'a-1',
      cancelledBy: 'dr-who',
      reason: null,
      cancelledAt: '2024-05-01T11:00:00.000Z',
    });
    await until(() => notifications.values.length === 1 && cancelled.values.length === 1, 2000, 'the notification and the cancellation');
    expect(notifications.values).toEqual([notification]);
    expect(cancelled.values[0]).toMatchObject({ appointmentId: 'a-1', reason: null });
    expect(server!.problems).toEqual([]);
  });

  test('chat both ways, the sender excluded (echo prevention); typing; presence', async () => {
    await start();
    const alice = connect('alice').services.room;
    await connected(alice);
    const joined = record(alice.on('user.joined'));
    const left = record(alice.on('user.left'));
    const bobClient = connect('bob');
    const bob = bobClient.services.room;
    const welcome = await waitFor(bob.on('connected'), () => true);
    expect(welcome).toMatchObject({ roomId: 'r1', userId: 'bob' });
    await until(() => joined.values.length === 1, 2000, 'user.joined');
    expect(joined.values[0]).toMatchObject({ userId: 'bob' });

    const toBob = record(chatMessages(bob));
    const toAlice = record(chatMessages(alice));
    await alice.emit('chat.message', { text: 'Hello Bob' });
    await bob.emit('chat.message', { text: 'Hello Alice' });
    await until(() => toBob.values.length === 1 && toAlice.values.length === 1, 2000, 'both messages');
    await sleep(100);
    expect(toBob.values.map((m: ChatMessage) => [m.sender, m.message, m.chatRoom, m.messageType])).toEqual([
      ['alice', 'Hello Bob', 'r1', 'text'],
    ]);
    expect(toAlice.values.map((m) => [m.sender, m.message])).toEqual([['bob', 'Hello Alice']]);
    expect(toBob.values[0]).toMatchObject({ id: expect.any(String), timestamp: expect.any(String) });
    // What went on the wire: the client's `{ type, data }`.
    expect(server!.received.filter((m) => m.event === 'chat.message').map((m) => [m.user, m.shape, m.payload])).toEqual([
      ['alice', 'type/data', { text: 'Hello Bob' }],
      ['bob', 'type/data', { text: 'Hello Alice' }],
    ]);

    const aliceTyping = record(alice.on('chat.typing'));
    const bobTyping = record(bob.on('chat.typing'));
    await alice.emit('chat.typing', { isTyping: true });
    await alice.emit('chat.typing', { isTyping: false });
    await until(() => bobTyping.values.length === 2, 2000, 'typing');
    expect(bobTyping.values).toEqual([
      { from: 'alice', isTyping: true },
      { from: 'alice', isTyping: false },
    ]);
    expect(aliceTyping.values).toEqual([]);

    bobClient.dispose();
    await until(() => left.values.length === 1, 2000, 'user.left');
    expect(left.values[0]).toMatchObject({ userId: 'bob' });
    expect(server!.problems).toEqual([]);
  });

  test('the signalling relay: offer, answer and ICE candidates reach the other peer as { type, from, data }', async () => {
    await start();
    const alice = connect('alice').services.room;
    const bob = connect('bob').services.room;
    await Promise.all([connected(alice), connected(bob)]);
    await until(() => server!.members('r1').length === 2, 2000, 'both in the room');
    const atBob = record(videoSignals(bob));
    const atAlice = record(videoSignals(alice));
    const offer = { type: 'offer' as const, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    await alice.emit('video.offer', offer);
    await alice.emit('video.ice-candidate', candidate);
    await until(() => atBob.values.length === 2, 2000, 'offer and candidate at bob');
    await bob.emit('video.answer', { type: 'answer', sdp: 'v=0\r\n' });
    await until(() => atAlice.values.length === 1, 2000, 'answer at alice');
    await sleep(50);
    expect(atBob.values).toEqual<VideoSignal[]>([
      { kind: 'offer', from: 'alice', data: offer },
      { kind: 'ice-candidate', from: 'alice', data: candidate },
    ]);
    expect(atAlice.values).toEqual<VideoSignal[]>([{ kind: 'answer', from: 'bob', data: { type: 'answer', sdp: 'v=0\r\n' } }]);
    expect(server!.problems).toEqual([]);
  });

  test('request by response event: ping resolves with the pong', async () => {
    await start();
    const user = connect('alice').services.user;
    await connected(user);
    const pong = await user.request('ping', undefined);
    expect(pong).toEqual({ timestamp: expect.any(String) });
    expect(server!.received.filter((m) => m.event === 'ping')).toHaveLength(1);
  });

  test('bad input is refused before sending: nothing reaches the server', async () => {
    await start();
    const client = connect('alice');
    const room = client.services.room;
    await connected(room);
    await expect(room.emit('chat.message', { text: '' })).rejects.toMatchObject({
      name: 'HcwError',
      reason: 'invalid_payload',
      event: 'chat.message',
    });
    await expect(room.emit('chat.typing', { isTyping: 'yes' } as never)).rejects.toMatchObject({ reason: 'invalid_payload' });
    await expect(room.emit('video.offer', { type: 'offer' } as never)).rejects.toMatchObject({ reason: 'invalid_payload' });
    await expect(room.emit('user.joined' as never, {} as never)).rejects.toMatchObject({ reason: 'unsupported' });
    await expect(room.emit('not.an.event' as never, {} as never)).rejects.toMatchObject({ reason: 'unsupported' });
    await sleep(100);
    expect(server!.received).toEqual([]);
    // And a valid one still goes.
    await room.emit('chat.message', { text: 'ok' });
    await until(() => server!.received.length === 1, 2000, 'the valid send');
  });

  test('tolerant receive: drift is delivered and reported once, a payload lacking what is required is dropped', async () => {
    await start();
    const client = connect('alice');
    const room = client.services.room;
    await connected(room);
    const errors = record(client.errors$);
    const messages = record(chatMessages(room));
    const drifted = { id: 'm-9', chatRoom: 'r1', sender: 'bob', messageType: 'text', message: 'no timestamp' };
    server!.sendRaw('room', JSON.stringify({ event: 'chat.message', payload: drifted }));
    server!.sendRaw('room', JSON.stringify({ event: 'chat.message', payload: { ...drifted, id: 'm-10' } }));
    server!.sendRaw('room', JSON.stringify({ event: 'chat.message', payload: { chatRoom: 'r1' } })); // nothing it needs
    server!.sendRaw('room', 'not json');
    // The other envelope is read too.
    server!.sendRaw('room', JSON.stringify({ type: 'chat.typing', data: { from: 'bob', isTyping: true } }));
    const typing = await waitFor(room.on('chat.typing'), () => true);
    expect(typing).toEqual({ from: 'bob', isTyping: true });
    await until(() => messages.values.length === 2, 2000, 'the drifted messages');
    await sleep(50);
    expect(messages.values.map((m) => m.id)).toEqual(['m-9', 'm-10']);
    // The union of the two ways' payloads (see the contract) reports drift for the whole payload.
    expect(errors.values.map((e) => [e.reason, e.event, e.issues?.map((issue) => issue.path)])).toEqual([
      ['schema_drift', 'chat.message', ['(payload)']],
      ['malformed_event', 'chat.message', expect.any(Array)],
      ['malformed_event', undefined, undefined],
    ]);
    expect(client.state.status).toBe('connected');
  });
});

describe('plain-ws reconnection', () => {
  test('server restart: reconnected by the policy, resync$ fired, sends queued offline delivered once and in order', async () => {
    await start();
    const client = connect('alice');
    const room = client.services.room;
    await connected(room);
    const states = record(room.state$);
    let resyncs = 0;
    room.resync$.subscribe(() => resyncs++);
    const before = server!.handshakes.length;

    const restarted = server!.faults.restart(300);
    await waitFor(room.state$, (state) => state.status === 'reconnecting', 2000);
    const sends = [
      room.emit('chat.message', { text: 'one' }),
      room.emit('chat.message', { text: 'two' }),
      room.emit('chat.typing', { isTyping: true }),
    ];
    await restarted;
    await Promise.all(sends);
    await connected(room);
    await until(() => server!.received.length === 3, 2000, 'the queued sends');
    await sleep(100);
    expect(server!.received.map((m) => [m.event, m.payload])).toEqual([
      ['chat.message', { text: 'one' }],
      ['chat.message', { text: 'two' }],
      ['chat.typing', { isTyping: true }],
    ]);
    expect(resyncs).toBe(1);
    expect(room.state).toEqual({ status: 'connected', recovered: false, reconnected: true });
    const statuses = states.values.map((state) => state.status);
    expect(statuses[0]).toBe('connected');
    expect(statuses.at(-1)).toBe('connected');
    expect(statuses.slice(1, -1).every((status) => status === 'reconnecting')).toBe(true);
    const attempts = states.values.filter((state) => state.status === 'reconnecting');
    expect(attempts.map((state) => state.status === 'reconnecting' && state.attempt)).toEqual(attempts.map((_, i) => i + 1));
    expect(server!.handshakes.length).toBe(before + 1);

    // A second drop: resync$ again (a plain WebSocket never resumes a session).
    server!.faults.drop();
    await waitFor(room.state$, (state) => state.status === 'reconnecting', 2000);
    await until(() => resyncs === 2 && room.state.status === 'connected', 3000, 'the second resync');
  });

  test('the offline queue is bounded by maxQueuedEmits; a full queue refuses and sends nothing', async () => {
    await start();
    const room = connect('alice', { maxQueuedEmits: 2 }).services.room;
    await connected(room);
    await server!.close();
    await waitFor(room.state$, (state) => state.status === 'reconnecting', 2000);
    const queued = [room.emit('chat.message', { text: 'one' }), room.emit('chat.message', { text: 'two' })];
    for (const send of queued) send.catch(() => undefined); // settled by the dispose
    await expect(room.emit('chat.message', { text: 'three' })).rejects.toMatchObject({ reason: 'queue_full' });
  });

  test('dead link: a silent server (TCP open, nothing answered) is detected through ping/pong within the configured timeouts', async () => {
    await start();
    const scheduler = new ManualScheduler();
    const heartbeat = { probeAfterMs: 1000, deadLinkTimeoutMs: 3000 };
    const client = connect('alice', { scheduler, heartbeat, reconnection: { delayMs: 100, maxDelayMs: 100, jitter: 0 } });
    const user = client.services.user;
    await connected(user);
    const pings = () => server!.received.filter((m) => m.event === 'ping').length;

    // Alive but quiet: pings are answered, the link stays up however long it is quiet.
    await scheduler.advance(10_000);
    expect(pings()).toBeGreaterThanOrEqual(3);
    expect(user.state.status).toBe('connected');
    expect(server!.handshakes).toHaveLength(1);

    server!.faults.silence();
    const silentPings = pings();
    await scheduler.advance(1500); // the probe after 1 s of silence
    expect(pings()).toBe(silentPings + 1);
    await scheduler.advance(1000); // 2.5 s of silence: not yet
    expect(user.state.status).toBe('connected');
    await scheduler.advance(1000); // 3.5 s: over deadLinkTimeoutMs at the next check (every 500 ms)
    expect(user.state).toMatchObject({ status: 'reconnecting', cause: 'dead link' });
    await scheduler.advance(100); // the policy's delay
    await until(() => server!.handshakes.length === 2, 2000, 'a new connection');
    await connected(user);
    expect(server!.connections('user')).toBe(1); // the client closed the silent one
  });

  test('a server that ends the session (1000) leaves the namespace disconnected until reconnect()', async () => {
    await start();
    const client = connect('alice');
    const room = client.services.room;
    await connected(room);
    server!.faults.end(1000);
    await waitFor(room.state$, (state) => state.status === 'disconnected', 2000);
    expect(room.state).toEqual({ status: 'disconnected', reason: 'server' });
    await expect(room.emit('chat.message', { text: 'x' })).rejects.toMatchObject({ reason: 'invalid_state' });
    await sleep(100);
    expect(server!.handshakes).toHaveLength(1);
    client.reconnect();
    await connected(room);
    expect(server!.handshakes).toHaveLength(2);
  });

  test('pause keeps queued sends; resume delivers them', async () => {
    await start();
    const client = connect('alice');
    const room = client.services.room;
    await connected(room);
    client.pause();
    expect(room.state).toEqual({ status: 'disconnected', reason: 'paused' });
    const sent = room.emit('chat.message', { text: 'while paused' });
    await sleep(100);
    expect(server!.received).toEqual([]);
    client.resume();
    await sent;
    await until(() => server!.received.length === 1, 2000, 'the paused send');
  });
});

describe('plain-ws auth', () => {
  test('Node: the token in the Authorization header, asked for on every attempt, never in the URL nor the logs', async () => {
    await start();
    const issued: string[] = [];
    const logged: string[] = [];
    const log = (message: string, meta?: Record<string, unknown>) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`);
    const client = connect('alice', {
      token: () => {
        const token = server!.token('alice', 3600 + issued.length); // a distinct token per call
        issued.push(token);
        return token;
      },
      logger: { debug: log, info: log, warn: log, error: log },
    });
    const room = client.services.room;
    await connected(room);
    await server!.faults.restart(100);
    await waitFor(room.state$, (state) => state.status === 'connected' && state.reconnected, 3000);
    const seen = server!.handshakes;
    expect(seen.length).toBe(2);
    expect(seen.every((h) => h.via === 'header' && h.outcome === 'accepted' && h.protocols.length === 0)).toBe(true);
    // Every attempt (the failed ones while the server was down too) asked the provider; each handshake carried a fresh token.
    expect(issued.length).toBeGreaterThan(seen.length);
    const sent = seen.map((h) => h.authorization!.replace(/^Bearer /, ''));
    expect(new Set(sent).size).toBe(2);
    expect(sent[0]).toBe(issued[0]);
    expect(sent[1]).toBe(issued.at(-1));
    for (const token of issued) {
      for (const h of seen) expect(h.url).not.toContain(token);
      for (const line of logged) expect(line).not.toContain(token);
    }
    expect(seen.map((h) => h.url)).toEqual(['/ws/comms/chat-rooms/r1', '/ws/comms/chat-rooms/r1']);
    expect(logged.length).toBeGreaterThan(0);
  });

  test('browsers: a WebSocket class that cannot send headers gets the token as the subprotocol offer `bearer, <token>`', async () => {
    await start();
    /** What a browser's WebSocket can do: a URL and subprotocols, no headers (its third argument is ignored). */
    class BrowserWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
      }
    }
    const client = connect('alice', {}, { envelope: plainWsEnvelope, WebSocket: BrowserWebSocket as never });
    const room = client.services.room;
    await connected(room);
    const [seen] = server!.handshakes;
    expect(seen).toMatchObject({ via: 'protocol', authorization: undefined, outcome: 'accepted', user: 'alice' });
    expect(seen!.protocols).toEqual(['bearer', server!.token('alice')]);
    expect(seen!.url).not.toContain(seen!.protocols[1]!);
    await room.emit('chat.message', { text: 'from a browser' });
    await until(() => server!.received.length === 1, 2000, 'the message');
  });

  test("browsers' default: the global WebSocket, which cannot send headers, and the subprotocol offer", async () => {
    await start();
    class BrowserWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols); // a third argument ({ headers }) is ignored, as by a browser
      }
    }
    const globals = globalThis as { WebSocket?: unknown };
    const saved = globals.WebSocket;
    globals.WebSocket = BrowserWebSocket;
    try {
      const { webSocketTransport: browserTransport } = await import('../../src/websocket.js');
      const client = createRealtimeClient(plainWsContract, {
        url: server!.url,
        token: () => server!.token('alice'),
        handshake: { room: 'r1' },
        watchNetwork: false,
        transport: browserTransport(),
      });
      clients.push(client);
      await connected(client.services.room);
      expect(server!.handshakes[0]).toMatchObject({
        via: 'protocol',
        authorization: undefined,
        protocols: ['bearer', server!.token('alice')],
      });
    } finally {
      globals.WebSocket = saved;
    }
  });

  test('React Native (navigator.product): the global WebSocket with { headers }', async () => {
    await start();
    const globals = globalThis as { navigator?: unknown; WebSocket?: unknown };
    const saved = { navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator'), WebSocket: globals.WebSocket };
    Object.defineProperty(globalThis, 'navigator', { value: { product: 'ReactNative' }, configurable: true, writable: true });
    globals.WebSocket = WebSocket;
    try {
      const { webSocketTransport: globalTransport } = await import('../../src/websocket.js');
      const client = createRealtimeClient(plainWsContract, {
        url: server!.url,
        token: () => server!.token('alice'),
        handshake: { room: 'r1' },
        watchNetwork: false,
        transport: globalTransport(),
      });
      clients.push(client);
      await connected(client.services.user);
      expect(server!.handshakes[0]).toMatchObject({ via: 'header', protocols: [], route: 'user' });
    } finally {
      if (saved.navigator) Object.defineProperty(globalThis, 'navigator', saved.navigator);
      else delete globals.navigator;
      globals.WebSocket = saved.WebSocket;
    }
  });

  test('a refused token (401): the provider is asked once more, then unauthorized with no retry storm', async () => {
    await start();
    const scheduler = new ManualScheduler();
    let calls = 0;
    const client = connect('alice', { token: () => (calls++, 'not-a-jwt'), scheduler });
    const errors = record(client.errors$);
    const room = client.services.room;
    await waitFor(room.state$, (state) => state.status === 'unauthorized', 3000);
    await scheduler.advance(60_000);
    await sleep(100);
    expect(calls).toBe(2);
    expect(server!.handshakes.map((h) => h.outcome)).toEqual(['unauthorized', 'unauthorized']);
    expect(client.state.status).toBe('unauthorized');
    expect(errors.values.map((e) => e.reason)).toContain('unauthorized');
    await expect(room.emit('chat.message', { text: 'x' })).rejects.toMatchObject({ reason: 'unauthorized' });
  });

  test('an expired token then a fresh one: connected after one refusal', async () => {
    await start();
    const tokens = [server!.token('alice', -60), server!.token('alice')];
    let calls = 0;
    const room = connect('alice', { token: () => tokens[Math.min(calls++, 1)]! }).services.room;
    await connected(room);
    expect(calls).toBe(2);
    expect(server!.handshakes.map((h) => h.outcome)).toEqual(['unauthorized', 'accepted']);
  });

  test('participant validation: a user not in the room is refused (403), failed, not retried; /ws/user still works', async () => {
    await start();
    const client = connect('carol'); // carol is in r2 only
    const errors = record(client.errors$);
    const room = client.services.room;
    const user = client.services.user;
    await waitFor(room.state$, (state) => state.status === 'failed', 3000);
    await connected(user);
    await sleep(100);
    expect(server!.handshakes.filter((h) => h.route === 'room').map((h) => h.outcome)).toEqual(['forbidden']);
    expect(errors.values.map((e) => [e.reason, e.namespace])).toEqual([['connection_failed', '/ws/comms/chat-rooms/:room']]);
    expect(client.state.status).toBe('failed'); // the worst namespace wins
  });

  test('refusals a browser can read: the server accepts the upgrade and closes with 4401 / 4403', async () => {
    await start({ refuse: 'close' });
    const bad = connect('alice', { token: () => 'not-a-jwt' }).services.room;
    const outsider = connect('carol').services.room;
    await waitFor(bad.state$, (state) => state.status === 'unauthorized', 3000);
    await waitFor(outsider.state$, (state) => state.status === 'failed', 3000);
    expect(outsider.state).toMatchObject({ message: expect.stringContaining('forbidden') });
  });
});

describe('plain-ws payloads and paths', () => {
  test('maxPayloadBytes refuses a large send before it leaves; the server cap closes the connection on one it gets', async () => {
    await start({ maxPayloadBytes: 1024 });
    const client = connect('alice', { maxPayloadBytes: 1000 });
    const room = client.services.room;
    await connected(room);
    await expect(room.emit('chat.message', { text: 'x'.repeat(1000) })).rejects.toMatchObject({ reason: 'payload_too_large' });
    await sleep(50);
    expect(server!.received).toEqual([]);

    // A client allowed more than the server takes: the server closes (1009), the SDK reconnects.
    const loose = connect('bob', { maxPayloadBytes: 4096 }).services.room;
    await connected(loose);
    await loose.emit('chat.message', { text: 'y'.repeat(2000) });
    await waitFor(loose.state$, (state) => state.status === 'reconnecting', 2000);
    expect(loose.state).toMatchObject({ cause: expect.stringContaining('1009') });
    await connected(loose);
  });

  test('the room path parameter comes from the handshake, encoded; a missing one fails at creation', async () => {
    await start({ rooms: { 'room one/2': ['alice'] } });
    const room = connect('alice', { handshake: { room: 'room one/2' } }).services.room;
    await connected(room);
    expect(server!.handshakes[0]).toMatchObject({ url: '/ws/comms/chat-rooms/room%20one%2F2', room: 'room one/2' });
    expect(() => connect('alice', { handshake: {} })).toThrow(/handshake key "room"/);
  });

  test('a contract with acknowledgements cannot go over a plain WebSocket', async () => {
    await start();
    const { defineNamespace, emit } = await import('../../src/contract/index.js');
    const z = await import('zod/mini');
    const acked = defineNamespace({ name: '/ws/user', handshake: [], events: { ping: emit(z.unknown(), { ack: z.unknown() }) } });
    const client = createRealtimeClient({ acked }, { url: server!.url, token: 't', watchNetwork: false, transport: webSocketTransport() });
    clients.push(client as never);
    expect(() => client.services.acked).toThrow(/no acknowledgements/);
  });
});
