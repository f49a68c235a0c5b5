import net from 'node:net';
import { afterEach, expect, test } from 'vitest';
import {
  createHcwClient,
  exponentialBackoff,
  type ConnectionState,
  type HcwClient,
  type HcwClientOptions,
  type ReconnectContext,
} from '../../src/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ManualScheduler } from '../support/manual-scheduler.js';
import { record } from '../support/observe.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

// The SDK's time is driven through its scheduler seam; sockets keep the real event loop.
const realTurn = () => new Promise((resolve) => setImmediate(resolve));
async function untilReal(check: () => boolean, turns = 5000): Promise<void> {
  for (let i = 0; i < turns && !check(); i++) await realTurn();
  if (!check()) throw new Error('condition not reached');
}

let client: HcwClient | undefined;
let harness: Harness | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  client?.dispose();
  await proxy?.close();
  await harness?.close();
  client = harness = proxy = undefined;
});

/** A client of a port nobody listens on: every attempt fails at once, only the backoff is left. */
function unreachableClient(port: number, options: Partial<HcwClientOptions> = {}): HcwClient {
  return createHcwClient({
    url: `http://127.0.0.1:${port}`,
    consultationId: 1,
    userId: 'u',
    role: 'PATIENT',
    token: 't',
    transports: ['websocket'],
    ...options,
  });
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const delaysOf = (states: ConnectionState[]) => states.flatMap((state) => (state.status === 'reconnecting' ? [state.nextDelayMs] : []));

test('backoff: exponential from a fast first retry up to the cap (no jitter), then failed', async () => {
  const port = await closedPort();
  const scheduler = new ManualScheduler();
  client = unreachableClient(port, { scheduler, reconnection: { delayMs: 200, maxDelayMs: 3000, jitter: 0, maxAttempts: 6 } });
  const states = record(client.chat.state$);
  for (let attempt = 1; attempt <= 6; attempt++) {
    await untilReal(() => delaysOf(states.values).length === attempt);
    // Nothing happens before the delay is over: the attempt waits for the scheduler.
    await scheduler.advance(delaysOf(states.values)[attempt - 1]! - 1);
    expect(delaysOf(states.values)).toHaveLength(attempt);
    await scheduler.advance(1);
  }
  await untilReal(() => client!.chat.state.status === 'failed');
  expect(delaysOf(states.values)).toEqual([200, 400, 800, 1600, 3000, 3000]);
});

test('backoff: the default first retry comes within 300 ms, with jitter', async () => {
  const port = await closedPort();
  const firstDelays: number[] = [];
  for (let i = 0; i < 20; i++) {
    const probe = unreachableClient(port, { scheduler: new ManualScheduler() }); // default reconnection options
    const states = record(probe.chat.state$);
    await untilReal(() => states.values.some((state) => state.status === 'reconnecting'));
    firstDelays.push(delaysOf(states.values)[0]!);
    probe.dispose();
  }
  expect(Math.max(...firstDelays)).toBeLessThanOrEqual(300);
  expect(Math.min(...firstDelays)).toBeGreaterThanOrEqual(100);
  expect(new Set(firstDelays).size).toBeGreaterThan(1); // jitter spreads retries
});

test('a ReconnectPolicy of the app decides every delay and when to stop; nothing else reconnects', async () => {
  const port = await closedPort();
  const scheduler = new ManualScheduler();
  const seen: ReconnectContext[] = [];
  const reconnectPolicy = {
    nextDelayMs: (context: ReconnectContext) => (seen.push(context), context.attempt <= 3 ? 50 * context.attempt : null),
  };
  client = unreachableClient(port, { scheduler, reconnectPolicy });
  const errors = record(client.errors$);
  const states = record(client.chat.state$);
  for (let attempt = 1; attempt <= 3; attempt++) {
    await untilReal(() => seen.length === attempt);
    await scheduler.advance(50 * attempt);
  }
  await untilReal(() => client!.chat.state.status === 'failed');
  expect(seen.map((context) => context.attempt)).toEqual([1, 2, 3, 4]);
  expect(seen.map((context) => context.elapsedMs)).toEqual([0, 50, 150, 300]);
  expect(seen.every((context) => context.cause.length > 0)).toBe(true);
  expect(delaysOf(states.values)).toEqual([50, 100, 150]);
  expect(errors.values.map((error) => error.reason)).toContain('connection_failed');
  expect(scheduler.pending).toBe(0);
});

test('exponentialBackoff: socket.io’s formula, capped, jitter both ways, null after maxAttempts', () => {
  const context = (attempt: number) => ({ attempt, elapsedMs: 0, cause: 'test' });
  const plain = exponentialBackoff({ delayMs: 100, maxDelayMs: 500, jitter: 0, maxAttempts: 5 });
  expect([1, 2, 3, 4, 5, 6].map((n) => plain.nextDelayMs(context(n)))).toEqual([100, 200, 400, 500, 500, null]);
  // socket.io's rule: deviation = floor(rand × jitter × delay), added when floor(rand × 10) is odd, else taken off.
  const withRandom = (rand: number) =>
    exponentialBackoff({ delayMs: 100, maxDelayMs: 10_000, jitter: 0.5, maxAttempts: Infinity }, () => rand);
  expect(withRandom(0.5).nextDelayMs(context(1))).toBe(125);
  expect(withRandom(0.2).nextDelayMs(context(1))).toBe(90);
  expect(exponentialBackoff({ delayMs: 100, maxDelayMs: Infinity, jitter: 0, maxAttempts: Infinity }).nextDelayMs(context(4))).toBe(800);
});

test('dead link: silence is detected after deadLinkTimeoutMs and the connection is recycled', async () => {
  harness = await startHarness();
  proxy = await startTcpProxy(harness.server.port);
  const scheduler = new ManualScheduler();
  client = harness.client({
    url: proxy.url,
    transports: ['websocket'],
    scheduler,
    heartbeat: { deadLinkTimeoutMs: 10_000, probeAfterMs: 4000 },
  });
  await untilReal(() => client!.chat.state.status === 'connected');
  const states = record(client.chat.state$);
  proxy.blackhole(true); // packets vanish; nothing closes: only a heartbeat can tell
  await scheduler.advance(9_000);
  expect(client.chat.state.status).toBe('connected');
  await scheduler.advance(2_000);
  await untilReal(() => client!.chat.state.status === 'reconnecting');
  expect(states.values.at(-1)).toMatchObject({ status: 'reconnecting', attempt: 1, cause: 'dead link' });
  proxy.blackhole(false);
  proxy.dropAll(); // the attempt stuck in the black hole fails; the next ones wait on the scheduler
  for (let i = 0; i < 200 && client.chat.state.status !== 'connected'; i++) await scheduler.advance(50);
  expect(client.chat.state).toMatchObject({ status: 'connected', reconnected: true });
});

test('a request the server never answers times out on the scheduler, not on the wall clock', async () => {
  harness = await startHarness({ profile: 'reference' }); // no /consultation request_participants there: no answer at all
  const scheduler = new ManualScheduler();
  client = harness.client({ scheduler, requestTimeoutMs: 10_000 });
  await untilReal(() => client!.consultation.state.status === 'connected');
  let outcome: unknown;
  client.consultation
    .request('request_participants', { consultationId: harness.consultationId })
    .catch((error: unknown) => (outcome = error));
  await scheduler.advance(9_999);
  expect(outcome).toBeUndefined();
  await scheduler.advance(1);
  await untilReal(() => outcome !== undefined);
  expect(outcome).toMatchObject({ reason: 'timeout', event: 'request_participants' });
});
