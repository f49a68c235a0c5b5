import { expect, test } from 'vitest';
import type { HcwClient } from '../../src/index.js';
import { ChatStore } from '../../src/state/index.js';
import { PROFILES, useHarness } from '../support/harness.js';
import { sleep, until, waitFor } from '../support/observe.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const start = useHarness();

const contents = (store: ChatStore) => store.messages.map((entry) => entry.message.content);

async function serverHistory(reader: HcwClient): Promise<string[]> {
  const page = await reader.chat.loadHistory(200);
  return page.messages.map((message) => message.content);
}

test.each(PROFILES)(
  'a patient dropped mid-chat (transport drop, then server restart) ends with exactly the server history (%s profile)',
  async (profile) => {
    const harness = await start({ profile, chatRateLimit: { max: 1000, windowMs: 1000 } });
    const patient = harness.client();
    const doctor = harness.client({ role: 'PRACTITIONER' });
    const patientChat = new ChatStore(patient.chat, patient.identity);
    const doctorChat = new ChatStore(doctor.chat, doctor.identity);
    await waitFor(patient.chat.state$, (s) => s.status === 'connected');
    await waitFor(doctor.chat.state$, (s) => s.status === 'connected');

    await patientChat.send('p1');
    await doctorChat.send('d1');

    // 1. Transport drop while both keep talking.
    harness.server.faults.dropTransport(harness.patientId);
    const duringDrop = [patientChat.send('p2'), doctorChat.send('d2')];
    await Promise.all(duringDrop);

    // 2. Server restart (no recovery possible): messages sent by the doctor while the patient is away.
    await harness.server.restart();
    await waitFor(doctor.chat.state$, (s) => s.status === 'connected' && s.reconnected);
    await doctorChat.send('d3');
    const pending = patientChat.send('p3');
    await waitFor(patient.chat.state$, (s) => s.status === 'connected' && s.reconnected);
    await pending;

    const expected = await serverHistory(doctor);
    // Each message once; each sender's messages in sending order (p2 and d2 raced each other).
    expect([...expected].sort()).toEqual(['d1', 'd2', 'd3', 'p1', 'p2', 'p3']);
    expect(expected.filter((c) => c.startsWith('p'))).toEqual(['p1', 'p2', 'p3']);
    expect(expected.filter((c) => c.startsWith('d'))).toEqual(['d1', 'd2', 'd3']);
    await until(() => contents(patientChat).join() === expected.join(), 5000, 'patient store = server history');
    await until(() => contents(doctorChat).join() === expected.join(), 5000, 'doctor store = server history');
    expect(patientChat.messages.every((entry) => entry.status === 'sent')).toBe(true);
    expect(new Set(patientChat.messages.map((entry) => entry.key)).size).toBe(patientChat.messages.length);
  },
);

test('a refill that fails is owed: the next connection, even a recovered one, completes it', async () => {
  const harness = await start({ chatRateLimit: { max: 1000, windowMs: 1000 } });
  const proxy = await startTcpProxy(harness.server.port);
  try {
    // A short request timeout lets the first refill fail fast while the server is slow.
    const patient = harness.client({ url: proxy.url, requestTimeoutMs: 200 });
    const doctor = harness.client({ role: 'PRACTITIONER' });
    const store = new ChatStore(patient.chat, patient.identity, { pageSize: 10 });
    await waitFor(patient.chat.state$, (s) => s.status === 'connected');
    await waitFor(doctor.chat.state$, (s) => s.status === 'connected');
    for (let i = 1; i <= 3; i++) await doctor.chat.sendMessage(`d${i}`);
    await until(() => store.messages.length === 3, 5000, 'first messages');

    // The patient is cut off while the doctor writes 60 messages: more than the 50 pushed on connect.
    proxy.refuse(true);
    await waitFor(patient.chat.state$, (s) => s.status === 'reconnecting');
    for (let i = 4; i <= 63; i++) await doctor.chat.sendMessage(`d${i}`);
    await harness.server.restart(); // the patient's session cannot be recovered
    await waitFor(doctor.chat.state$, (s) => s.status === 'connected' && s.reconnected);

    // Back, but the server answers too slowly: the refill times out and stays owed.
    harness.server.faults.delayEvents(400);
    proxy.refuse(false);
    await waitFor(patient.chat.state$, (s) => s.status === 'connected' && s.reconnected && !s.recovered);
    await sleep(700);
    harness.server.faults.delayEvents(0);
    expect(contents(store)).not.toContain('d4');

    // A transport drop the server recovers (no resync$): the owed refill runs on this connection.
    await doctor.chat.sendMessage('d64'); // a broadcast, so the patient has an offset to recover from
    await until(() => contents(store).includes('d64'), 5000, 'd64');
    harness.server.faults.dropTransport(harness.patientId);
    await waitFor(patient.chat.state$, (s) => s.status === 'connected' && s.recovered);
    const expected = await serverHistory(doctor);
    expect(expected).toHaveLength(64);
    await until(() => contents(store).join() === expected.join(), 5000, 'patient store = server history');
  } finally {
    await proxy.close();
  }
});

test('memory stays bounded: only maxMessages are kept and older pages can be reloaded', async () => {
  const harness = await start({ chatRateLimit: { max: 1000, windowMs: 1000 } });
  const patient = harness.client();
  const store = new ChatStore(patient.chat, patient.identity, { maxMessages: 10, pageSize: 5 });
  for (let i = 0; i < 25; i++) await store.send(`m${i}`);
  expect(store.messages).toHaveLength(10);
  expect(contents(store)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 15}`));
  expect(store.hasMore).toBe(true);
  store.dropOlder(4);
  expect(contents(store)).toEqual(['m21', 'm22', 'm23', 'm24']);
  await store.loadOlder();
  expect(contents(store)).toEqual(['m16', 'm17', 'm18', 'm19', 'm20', 'm21', 'm22', 'm23', 'm24']);
  expect(store.hasMore).toBe(true);
});
