import type { Socket } from 'socket.io-client';
import type { HcwClient } from '../src/index.node.js';
import { connected, rawSocket, sdkClient, sdkConnected } from './lib/clients.js';
import { kb, sleep, until, type Benchmark } from './lib/result.js';
import { namespaces, PATIENT, PRACTITIONER, rawHandshake } from './lib/test-server.js';
import type { TestServerMethods } from './lib/test-server-worker.js';
import { startWorker, type WorkerServer } from './lib/worker.js';

const CYCLES = 10_000;
const RECONNECTS = 200;
const LIMIT = 1024 * 1024;
/** Warm-up before the first heap reading: the JIT's code space grows over the first ~100 reconnects. */
const WARMUP_RECONNECTS = 50;
/** Server events the cycles subscribe to, round robin. */
const EVENTS = ['new_message', 'message_read', 'typing_users', 'user_joined_chat', 'system_message'] as const;
/** Fast, deterministic reconnection so 200 reconnects take seconds, not minutes (both clients). */
const FAST = { delayMs: 20, maxDelayMs: 200, jitter: 0 };

type Emitter = { _callbacks?: Record<string, unknown[]>; byEvent?: Map<string, unknown[]> };
/** Listeners registered on an emitter, all events: the SDK's (Socket, Manager) or socket.io-client's (Socket, Manager, Engine). */
const listenerCount = (emitter: unknown) => {
  const { byEvent, _callbacks } = (emitter ?? {}) as Emitter;
  const lists = byEvent ? [...byEvent.values()] : Object.values(_callbacks ?? {});
  return lists.reduce((sum, listeners) => sum + listeners.length, 0);
};

async function heapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed;
}

/** 10k subscribe/unsubscribe cycles and 200 forced reconnects: listener counts and heap growth after GC. */
const memory: Benchmark = {
  name: 'memory',
  title: 'Memory: 10k subscribe/unsubscribe cycles and 200 reconnects',
  async run() {
    // The server runs in a worker thread: its own heap, so the numbers below are the client's alone.
    const server = await startWorker<TestServerMethods>(new URL('./lib/test-server-worker.ts', import.meta.url));
    const { url, ids } = await server.call('start', {}, [{ practitionerId: PRACTITIONER, patientId: PATIENT }]);
    const consultationId = ids[0]!;

    // SDK: all four namespaces on one connection.
    const client = sdkClient({
      url,
      consultationId,
      userId: PATIENT,
      role: 'PATIENT',
      token: () => server.call('createToken', PATIENT, 'PATIENT'),
      reconnection: FAST,
      transports: ['websocket'],
    });
    void [client.consultation, client.chat, client.mediasoup, client.enhanced]; // each service opens its namespace on first access
    await sdkConnected(client);
    const sdkListeners = () => ({
      sockets: client.connection.openChannels.reduce((sum, channel) => sum + listenerCount(channel.socket), 0),
      manager: listenerCount(client.connection.manager),
      engine: listenerCount(client.connection.manager.engine),
    });
    const sdkCycle = (i: number) =>
      client.chat
        .on(EVENTS[i % EVENTS.length]!)
        .subscribe(() => undefined)
        .unsubscribe();
    const sdk = await phase(server, PATIENT, sdkCycle, sdkListeners, () => sdkReconnected(client));
    client.dispose();

    // Baseline: four io() sockets, on/off of a listener, socket.io-client's own reconnection.
    const identity = { consultationId, userId: PRACTITIONER, role: 'PRACTITIONER' as const };
    const token = await server.call('createToken', PRACTITIONER, 'PRACTITIONER');
    const sockets: Socket[] = namespaces.map((spec) =>
      rawSocket(url, spec.name, {
        ...rawHandshake(spec, identity, token),
        transports: ['websocket'],
        reconnectionDelay: 20,
        reconnectionDelayMax: 200,
        randomizationFactor: 0,
      }),
    );
    await Promise.all(sockets.map((socket) => connected(socket)));
    const chat = sockets[1]!;
    const rawCycle = (i: number) => {
      const listener = () => undefined;
      chat.on(EVENTS[i % EVENTS.length]!, listener);
      chat.off(EVENTS[i % EVENTS.length], listener);
    };
    const rawListeners = () => ({
      sockets: sockets.reduce((sum, socket) => sum + listenerCount(socket), 0),
      manager: sockets.reduce((sum, socket) => sum + listenerCount(socket.io), 0),
      engine: sockets.reduce((sum, socket) => sum + listenerCount(socket.io.engine), 0),
    });
    const raw = await phase(server, PRACTITIONER, rawCycle, rawListeners, () => rawReconnected(sockets));
    for (const socket of sockets) socket.disconnect();
    await server.call('close');
    await server.close();

    const same = JSON.stringify(sdk.before) === JSON.stringify(sdk.after);
    const pass = same && sdk.growth < LIMIT;
    const fmt = (counts: Record<string, number>) =>
      Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
    return {
      target: 'listener counts unchanged, heap growth < 1 MB after GC',
      value: `${same ? 'unchanged' : 'CHANGED'}, ${sign(sdk.growth)}`,
      pass,
      context: [
        `SDK listeners before → after: ${fmt(sdk.before)} → ${fmt(sdk.after)}`,
        `SDK heap after GC: ${kb(sdk.heapBefore)} → ${kb(sdk.heapAfter)} (${sign(sdk.growth)}); ${RECONNECTS} reconnects took ${(sdk.reconnectMs / 1000).toFixed(1)} s`,
        `baseline (four \`io()\` sockets, on/off + their own reconnection): listeners ${fmt(raw.before)} → ${fmt(raw.after)}, heap ${sign(raw.growth)}`,
      ],
      method:
        'Test server in a worker thread (its own heap); the client in the main thread with all four namespaces on one websocket connection and fast reconnection (20 ms, no jitter). After a warm-up (1k cycles, 50 reconnects: JIT code must settle first) and GC: 10k `chat.on(event).subscribe().unsubscribe()` cycles over 5 event names, then 200 server-side transport drops each awaited until every namespace is connected again; then GC. Listener counts summed over the 4 Sockets, the Manager and the current Engine.',
    };
  },
};
export default memory;

const sign = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${kb(Math.abs(bytes))}`;

async function phase(
  server: WorkerServer<TestServerMethods>,
  userId: string,
  cycle: (i: number) => void,
  listeners: () => Record<string, number>,
  reconnected: () => boolean,
) {
  const reconnect = async (times: number) => {
    for (let i = 0; i < times; i++) {
      await server.call('dropTransport', userId);
      await until(() => !reconnected(), 5000, 'disconnect seen');
      await until(reconnected, 10_000, `reconnect #${i + 1}`);
    }
  };
  for (let i = 0; i < 1000; i++) cycle(i);
  await reconnect(WARMUP_RECONNECTS);
  await sleep(200);
  const before = listeners();
  const heapBefore = await heapAfterGc();
  for (let i = 0; i < CYCLES; i++) cycle(i);
  const start = Date.now();
  await reconnect(RECONNECTS);
  const reconnectMs = Date.now() - start;
  await sleep(200);
  const after = listeners();
  const heapAfter = await heapAfterGc();
  return { before, after, heapBefore, heapAfter, growth: heapAfter - heapBefore, reconnectMs };
}

function sdkReconnected(client: HcwClient): boolean {
  return client.state.status === 'connected';
}

function rawReconnected(sockets: Socket[]): boolean {
  return sockets.every((socket) => socket.connected);
}
