import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { afterEach, describe, expect, test } from 'vitest';
import { createHcwClient, type ConnectionState, type HcwClient, type HcwError } from '../../src/index.js';
import { record, until, waitFor } from '../support/observe.js';

/**
 * A bare Socket.IO server shaped like the reference backend where it refuses: three namespaces
 * (no `/enhanced-consultation`), failures reported as `error` / `exception` events and no ack.
 * The SDK must end each request as soon as the refusal arrives: the client's request timeout is
 * left at its 10 s default, and every refusal must arrive well under a second.
 */
async function startRefusingServer(handlers: Record<string, (socket: Socket) => void>) {
  const http: HttpServer = createServer();
  const io = new Server(http);
  for (const [name, register] of Object.entries(handlers)) io.of(name).on('connection', register);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { url, io, close: () => new Promise<void>((resolve) => void io.close(() => resolve())) };
}

let server: Awaited<ReturnType<typeof startRefusingServer>> | undefined;
let client: HcwClient | undefined;
afterEach(async () => {
  client?.dispose();
  await server?.close();
  client = server = undefined;
});

const connected = (state: ConnectionState) => state.status === 'connected';
const FAST = 1000;

function clientOf(url: string): HcwClient {
  return createHcwClient({ url, consultationId: 7, userId: 3, role: 'PRACTITIONER', token: 'dev' });
}

async function timed<T>(work: Promise<T>): Promise<{ error: HcwError; ms: number }> {
  const start = Date.now();
  try {
    await work;
  } catch (error) {
    return { error: error as HcwError, ms: Date.now() - start };
  }
  throw new Error('expected a rejection');
}

describe('a namespace the server does not have', () => {
  test('is unavailable, not failed; the aggregate ignores it; sends on it reject at once', async () => {
    server = await startRefusingServer({ '/consultation': () => {}, '/chat': () => {} });
    client = clientOf(server.url);
    const errors = record(client.errors$);
    await waitFor(client.chat.state$, connected);
    // Written before the refusal arrives: queued, then settled with the refusal.
    const queued = timed(client.enhanced.emit('join_practitioner_room', { practitionerId: 3 }));
    const request = timed(client.enhanced.request('get_waiting_room_stats', { practitionerId: 3 }));
    await waitFor(client.enhanced.state$, (state) => state.status === 'unavailable');
    for (const outcome of [await queued, await request]) {
      expect(outcome.error).toMatchObject({ reason: 'unavailable', namespace: '/enhanced-consultation' });
      expect(outcome.ms).toBeLessThan(FAST);
    }
    const later = await timed(client.enhanced.emit('join_practitioner_room', { practitionerId: 3 }));
    expect(later.error.reason).toBe('unavailable');
    expect(client.state.status).toBe('connected');
    // An optional namespace missing is not an error of the client.
    expect(errors.values.filter((error) => error.reason !== 'schema_drift')).toEqual([]);
    // Not retried by itself: still unavailable, and the server saw no second attempt.
    expect(client.enhanced.state.status).toBe('unavailable');
  });

  test('a queued emit settles when its namespace fails for good', async () => {
    server = await startRefusingServer({ '/chat': () => {} });
    server.io.of('/chat').use((_socket, next) => next(Object.assign(new Error('not allowed'), { data: { code: 'forbidden' } })));
    client = clientOf(server.url);
    const queued = timed(client.chat.emit('start_typing', { consultationId: 7 }));
    const outcome = await queued;
    expect(outcome.error.reason).toBe('connection_failed');
    expect(outcome.ms).toBeLessThan(FAST);
    expect(client.chat.state.status).toBe('failed');
  });
});

describe('refusals end requests at once', () => {
  test('mediasoup: error { event } + exception, no ack → the ack request rejects with the message', async () => {
    server = await startRefusingServer({
      '/mediasoup': (socket) => {
        socket.on('getRouterCapabilities', () => {
          socket.emit('error', { event: 'getRouterCapabilities', message: 'No router for consultation 7' });
          socket.emit('exception', { status: 'error', message: 'No router for consultation 7' });
        });
        socket.on('createTransport', () => {
          socket.emit('exception', { status: 'error', message: 'Internal server error' });
        });
      },
    });
    client = clientOf(server.url);
    const errors = record(client.errors$);
    await waitFor(client.mediasoup.state$, connected);
    const refused = await timed(client.mediasoup.request('getRouterCapabilities', { consultationId: 7 }));
    expect(refused.error).toMatchObject({ reason: 'server_error', event: 'getRouterCapabilities' });
    expect(refused.error.message).toContain('No router for consultation 7');
    expect(refused.ms).toBeLessThan(FAST);
    // The paired exception was not taken for the next request's failure, nor reported.
    const crashed = await timed(client.mediasoup.request('createTransport', { consultationId: 7, type: 'producer' }));
    expect(crashed.error).toMatchObject({ reason: 'server_error', event: 'createTransport' });
    expect(crashed.error.message).toContain('Internal server error');
    expect(crashed.ms).toBeLessThan(FAST);
    expect(errors.values.filter((error) => error.reason === 'server_error')).toEqual([]);
  });

  test('consultation: error { message } with no event and no ack ends the request it follows', async () => {
    server = await startRefusingServer({
      '/consultation': (socket) => {
        socket.on('admit_patient', () => socket.emit('error', { message: 'Failed to admit patient' }));
      },
    });
    client = clientOf(server.url);
    await waitFor(client.consultation.state$, connected);
    const outcome = await timed(client.consultation.admitPatient(9));
    expect(outcome.error.reason).toBe('server_error');
    expect(outcome.error.message).toContain('Failed to admit patient');
    expect(outcome.ms).toBeLessThan(FAST);
  });

  test('an exception that cannot be told apart is reported, and fails no request', async () => {
    let answer: (() => void) | undefined;
    server = await startRefusingServer({
      '/chat': (socket) => {
        socket.on('request_participants', () => {
          answer = () => socket.emit('participants_list', { consultationId: 7, participants: [] });
        });
        socket.on('start_typing', () => socket.emit('exception', { status: 'error', message: 'typing failed' }));
      },
    });
    client = clientOf(server.url);
    const errors = record(client.errors$);
    await waitFor(client.chat.state$, connected);
    const participants = client.chat.request('request_participants', { consultationId: 7 });
    await client.chat.setTyping(true); // written after the request: the exception may be about either
    await until(() => errors.values.some((error) => error.reason === 'server_error'), 2000, 'exception reported');
    await until(() => answer !== undefined, 2000, 'request received');
    answer!();
    await expect(participants).resolves.toMatchObject({ participants: [] });
  });

  test('a matching answer that lacks what the SDK needs rejects the request at once', async () => {
    server = await startRefusingServer({
      '/chat': (socket) => {
        socket.on('request_message_history', () => socket.emit('message_history', { consultationId: 7, messages: 'none' }));
      },
    });
    client = clientOf(server.url);
    await waitFor(client.chat.state$, connected);
    const outcome = await timed(client.chat.loadHistory(20, 0));
    expect(outcome.error.reason).toBe('malformed_event');
    expect(outcome.error.issues?.some((issue) => issue.path.startsWith('messages'))).toBe(true);
    expect(outcome.ms).toBeLessThan(FAST);
  });

  test('an ack error carries the server code', async () => {
    server = await startRefusingServer({
      '/mediasoup': (socket) => {
        socket.on('createTransport', (_payload: unknown, ack: (answer: unknown) => void) =>
          ack({ error: 'Too many transports', code: 'rate_limited' }),
        );
        socket.on('connectTransport', (_payload: unknown, ack: (answer: unknown) => void) => ack({ success: false }));
      },
    });
    client = clientOf(server.url);
    await waitFor(client.mediasoup.state$, connected);
    const outcome = await timed(client.mediasoup.request('createTransport', { consultationId: 7, type: 'producer' }));
    expect(outcome.error).toMatchObject({ reason: 'server_error', code: 'rate_limited' });
    // `{ success: false }` with no message is a refusal too, not a success.
    const bare = await timed(client.mediasoup.request('connectTransport', { transportId: 't', dtlsParameters: {} }));
    expect(bare.error).toMatchObject({ reason: 'server_error', event: 'connectTransport' });
  });
});
