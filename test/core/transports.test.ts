import { expect, test } from 'vitest';
import type { HcwClient } from '../../src/index.js';
import { forgetWebsocketSuccess } from '../../src/core/socketio/engine.js';
import { useHarness } from '../support/harness.js';
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
  const manager = client.connection.manager;
  const opened: string[] = [];
  manager.on('open', () => opened.push(manager.engine!.transport!.name));
  return opened;
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
  const opened = openedTransports(client);
  const states = record(client.chat.state$);
  await connected(client);
  expect(opened).toEqual(['polling']);
  expect(states.values.map((state) => state.status)).toContain('reconnecting');
  // Later connections keep long-polling first: no new wait on a websocket.
  harness.server.faults.dropTransport(harness.patientId);
  await waitFor(client.chat.state$, (state) => state.status === 'connected' && state.reconnected);
  expect(opened).toEqual(['polling', 'polling']);
});

test('long-polling first (given): once a websocket worked, the reconnection opens one directly', async () => {
  forgetWebsocketSuccess(); // a fresh page
  const harness = await start();
  const client = harness.client({ transports: ['polling', 'websocket'] });
  const manager = client.connection.manager;
  const opened = openedTransports(client);
  await waitFor(client.chat.state$, (state) => state.status === 'connected');
  await until(() => manager.engine?.transport?.name === 'websocket', 5000, 'upgraded to websocket');
  harness.server.faults.dropTransport(harness.patientId);
  await waitFor(client.chat.state$, (state) => state.status === 'connected' && state.reconnected);
  expect(opened).toEqual(['polling', 'websocket']);
});
