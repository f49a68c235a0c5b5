import net from 'node:net';
import { afterEach, expect, test, vi } from 'vitest';
import { createHcwClient, type ConnectionState, type HcwClient, type HcwClientOptions } from '../../src/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { record } from '../support/observe.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

// Fake the clocks only; real I/O (sockets) still needs real event-loop turns (setImmediate).
const FAKED = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const;
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
  vi.useRealTimers();
  await proxy?.close();
  await harness?.close();
  client = harness = proxy = undefined;
});

/** A client of a port nobody listens on: every attempt fails at once, only the backoff is left. */
function unreachableClient(port: number, reconnection?: HcwClientOptions['reconnection']): HcwClient {
  return createHcwClient({
    url: `http://127.0.0.1:${port}`,
    consultationId: 1,
    userId: 'u',
    role: 'PATIENT',
    token: 't',
    transports: ['websocket'],
    ...(reconnection ? { reconnection } : {}),
  });
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('backoff: exponential from a fast first retry up to the cap (no jitter)', async () => {
  const port = await closedPort();
  vi.useFakeTimers({ toFake: [...FAKED] }); // before the Manager exists: it captures setTimeout
  client = unreachableClient(port, { delayMs: 200, maxDelayMs: 3000, jitter: 0, maxAttempts: 6 });
  const states = record(client.chat.state$);
  const delays = () =>
    states.values.flatMap((state: ConnectionState) => (state.status === 'reconnecting' ? [state.nextDelayMs] : []));
  for (let attempt = 1; attempt <= 6; attempt++) {
    await untilReal(() => delays().length === attempt);
    await vi.advanceTimersByTimeAsync(delays()[attempt - 1]!);
  }
  await untilReal(() => client!.chat.state.status === 'failed');
  expect(delays()).toEqual([200, 400, 800, 1600, 3000, 3000]);
});

test('backoff: the default first retry comes within 300 ms, with jitter', async () => {
  const port = await closedPort();
  vi.useFakeTimers({ toFake: [...FAKED] });
  const firstDelays: number[] = [];
  for (let i = 0; i < 20; i++) {
    const probe = unreachableClient(port); // default reconnection options
    const states = record(probe.chat.state$);
    await untilReal(() => states.values.some((state) => state.status === 'reconnecting'));
    const first = states.values.find((state) => state.status === 'reconnecting');
    if (first?.status === 'reconnecting') firstDelays.push(first.nextDelayMs);
    probe.dispose();
  }
  expect(firstDelays).toHaveLength(20);
  expect(Math.max(...firstDelays)).toBeLessThanOrEqual(300);
  expect(Math.min(...firstDelays)).toBeGreaterThanOrEqual(100);
  expect(new Set(firstDelays).size).toBeGreaterThan(1); // jitter spreads retries
});

test('dead link: silence is detected after deadLinkTimeoutMs and the connection is recycled', async () => {
  harness = await startHarness();
  proxy = await startTcpProxy(harness.server.port);
  vi.useFakeTimers({ toFake: [...FAKED] });
  client = harness.client({ url: proxy.url, transports: ['websocket'], heartbeat: { deadLinkTimeoutMs: 10_000, probeAfterMs: 4000 } });
  await untilReal(() => client!.chat.state.status === 'connected');
  const states = record(client.chat.state$);
  proxy.blackhole(true); // packets vanish; nothing closes: only a heartbeat can tell
  await vi.advanceTimersByTimeAsync(9_000);
  await realTurn();
  expect(client.chat.state.status).toBe('connected');
  await vi.advanceTimersByTimeAsync(2_000);
  await untilReal(() => client!.chat.state.status === 'reconnecting');
  expect(states.values.at(-1)).toMatchObject({ status: 'reconnecting', attempt: 1, cause: 'dead link' });
  proxy.blackhole(false);
  proxy.dropAll();
  await vi.advanceTimersByTimeAsync(500);
  vi.useRealTimers();
  await untilReal(() => client!.chat.state.status === 'connected', 100_000);
});
