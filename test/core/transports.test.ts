import { Socket as EngineSocket } from 'engine.io-client';
import { expect, test } from 'vitest';
import type { HcwClient } from '../../src/index.js';
import { socketOf, useHarness } from '../support/harness.js';
import { record, until, waitFor } from '../support/observe.js';

const start = useHarness();
const connected = (client: HcwClient) =>
  Promise.all(
    [client.consultation, client.chat, client.mediasoup, client.enhanced].map((service) =>
      waitFor(service.state$, (s) => s.status === 'connected'),
    ),
  );

/** The transport each Engine.IO connection of the client opened with, in order. */
function openedTransports(client: HcwClient): string[] {
  const manager = socketOf(client, '/chat').io;
  const opened: string[] = [];
  manager.on('open', () => opened.push(manager.engine.transport.name));
  return opened;
}

/**
 * Writes to the Manager's options that are not socket.io's own (Engine.IO fills in `hostname`,
 * `port`, `secure`, `query` and `path`): the SDK must choose the transports without writing any.
 */
function recordOptionWrites(client: HcwClient): string[] {
  const manager = socketOf(client, '/chat').io;
  const own = new Set(['hostname', 'port', 'secure', 'query', 'path']);
  const writes: string[] = [];
  manager.opts = new Proxy(manager.opts, {
    set(target, key, value, receiver) {
      if (!own.has(String(key))) writes.push(String(key));
      return Reflect.set(target, key, value, receiver);
    },
    defineProperty(target, key, descriptor) {
      if (!own.has(String(key))) writes.push(String(key));
      return Reflect.defineProperty(target, key, descriptor);
    },
  });
  return writes;
}

test('default: a websocket from the first packet, no long-polling handshake or upgrade', async () => {
  const harness = await start();
  const client = harness.client();
  const opened = openedTransports(client);
  await connected(client);
  expect(opened).toEqual(['websocket']);
  expect(harness.server.faults.engineConnectionCount()).toBe(1);
});

test('websocket refused (a blocking proxy): long-polling within the same attempt, no reconnection', async () => {
  const harness = await start();
  harness.server.faults.websocketHandshakes('refuse');
  const client = harness.client();
  const opened = openedTransports(client);
  const states = record(client.chat.state$);
  await connected(client);
  expect(opened).toEqual(['polling']);
  expect(states.values.map((state) => state.status)).not.toContain('reconnecting');
});

test('websocket left hanging (a proxy holding it): the attempt times out, then long-polling goes first', async () => {
  const harness = await start();
  harness.server.faults.websocketHandshakes('hang');
  const client = harness.client({ connectTimeoutMs: 300 });
  const writes = recordOptionWrites(client);
  const opened = openedTransports(client);
  const states = record(client.chat.state$);
  await connected(client);
  expect(opened).toEqual(['polling']);
  expect(states.values.map((state) => state.status)).toContain('reconnecting');
  // What socket.io reads for the next attempt, chosen by the SDK without writing socket.io's fields.
  expect(socketOf(client, '/chat').io.opts.transports).toEqual(['polling', 'websocket']);
  expect(writes).toEqual([]);
  // Later connections keep long-polling first: no new wait on a websocket.
  harness.server.faults.dropTransport(harness.patientId);
  await waitFor(client.chat.state$, (state) => state.status === 'connected' && state.reconnected);
  expect(opened).toEqual(['polling', 'polling']);
});

test('long-polling first (given): once a websocket worked, the reconnection opens one directly', async () => {
  (EngineSocket as unknown as { priorWebsocketSuccess: boolean }).priorWebsocketSuccess = false; // a fresh page
  const harness = await start();
  const client = harness.client({ transports: ['polling', 'websocket'] });
  const manager = socketOf(client, '/chat').io;
  const opened = openedTransports(client);
  await waitFor(client.chat.state$, (state) => state.status === 'connected');
  await until(() => manager.engine.transport.name === 'websocket', 5000, 'upgraded to websocket');
  harness.server.faults.dropTransport(harness.patientId);
  await waitFor(client.chat.state$, (state) => state.status === 'connected' && state.reconnected);
  expect(opened).toEqual(['polling', 'websocket']);
});
