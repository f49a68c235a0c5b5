import { expect, test } from 'vitest';
import type { Logger } from '../../src/index.js';
import { useHarness } from '../support/harness.js';
import { record, sleep, waitFor } from '../support/observe.js';

const start = useHarness();

test('expired token mid-session: the next reconnection fetches a fresh one', async () => {
  const harness = await start();
  const issued: string[] = [];
  const client = harness.client({
    token: () => {
      const token = harness.server.createToken(harness.patientId, 'PATIENT', 1); // valid for 1 s
      issued.push(token);
      return token;
    },
  });
  await waitFor(client.chat.state$, (s) => s.status === 'connected');
  await sleep(1200); // the session's token is now expired
  harness.server.faults.dropTransport(harness.patientId);
  await waitFor(client.chat.state$, (s) => s.status === 'connected' && s.reconnected);
  expect(issued.length).toBeGreaterThanOrEqual(2);
  expect(new Set(issued).size).toBe(issued.length);
  await expect(client.chat.loadHistory(5)).resolves.toMatchObject({ messages: expect.any(Array) });
});

test('a token never appears in a URL, the handshake query or a log line', async () => {
  const harness = await start();
  const lines: string[] = [];
  const logger: Logger = {
    debug: (m, meta) => lines.push(m + JSON.stringify(meta ?? {})),
    info: (m, meta) => lines.push(m + JSON.stringify(meta ?? {})),
    warn: (m, meta) => lines.push(m + JSON.stringify(meta ?? {})),
    error: (m, meta) => lines.push(m + JSON.stringify(meta ?? {})),
  };
  const token = harness.server.createToken(harness.patientId, 'PATIENT');
  const client = harness.client({ token, logger });
  const errors = record(client.errors$);
  await waitFor(client.chat.state$, (s) => s.status === 'connected');
  harness.server.faults.dropTransport(harness.patientId);
  await waitFor(client.chat.state$, (s) => s.status === 'connected' && s.reconnected);
  harness.server.faults.revokeUser(harness.patientId);
  await waitFor(client.chat.state$, (s) => s.status === 'unauthorized');

  const handshakes = harness.server.faults.handshakes(harness.patientId);
  expect(handshakes.length).toBeGreaterThan(0);
  for (const handshake of handshakes) {
    expect(handshake.url).not.toContain(token);
    expect(JSON.stringify(handshake.query)).not.toContain(token);
  }
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.join('\n')).not.toContain(token);
  expect(errors.values.map((e) => e.message).join('\n')).not.toContain(token);
});

test('payloads above the server limit are refused by the SDK instead of getting the connection closed', async () => {
  const harness = await start({ maxHttpBufferSize: 50_000 });
  const client = harness.client({ maxPayloadBytes: 50_000 });
  await waitFor(client.chat.state$, (s) => s.status === 'connected');
  const states = record(client.chat.state$);
  await expect(client.chat.sendMessage('big', { metadata: { blob: 'x'.repeat(60_000) } })).rejects.toMatchObject({
    reason: 'payload_too_large',
    event: 'send_message',
  });
  await sleep(200);
  expect(states.values.map((s) => s.status)).toEqual(['connected']);
  await expect(client.chat.sendMessage('small')).resolves.toMatchObject({ message: { content: 'small' } });
});
