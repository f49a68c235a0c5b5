import { describe, expect, test } from 'vitest';
import type { HcwClient } from '../../src/index.js';
import { ChatStore } from '../../src/state/index.js';
import { PROFILES, useHarness } from '../support/harness.js';
import { record, until, waitFor } from '../support/observe.js';

const start = useHarness();

const view = (store: ChatStore) => store.messages.map((entry) => `${entry.key}:${entry.message.content}`);

/** The server's history as one of the consultation's own users reads it. */
async function serverView(client: HcwClient): Promise<string[]> {
  const page = await client.chat.loadHistory(200);
  return page.messages.map((message) => `${String(message.id)}:${message.content}`);
}

describe.each(PROFILES)('against the %s profile', (profile) => {
  test('after a pause the server could not recover: deletes, edits and receipts made meanwhile are applied', async () => {
    const harness = await start({ profile, chatRateLimit: { max: 1000, windowMs: 1000 } });
    const patient = harness.client();
    const doctor = harness.client({ role: 'PRACTITIONER' });
    const patientChat = new ChatStore(patient.chat, patient.identity, { pageSize: 4 });
    const doctorChat = new ChatStore(doctor.chat, doctor.identity);
    const problems = record(patient.errors$);
    await waitFor(patient.chat.state$, (s) => s.status === 'connected');
    await waitFor(doctor.chat.state$, (s) => s.status === 'connected');
    for (let i = 1; i <= 6; i++) await doctorChat.send(`d${i}`);
    const mine = await patientChat.send('p1');
    await until(() => patientChat.messages.length === 7, 5000, 'patient holds 7');
    const held = patientChat.messages;

    // A phone in the background: the server forgets the session.
    patient.pause();
    await waitFor(patient.chat.state$, (s) => s.status === 'disconnected');
    const [first, second, third] = held;
    await doctor.chat.request('delete_message', { messageId: harness.wireId(first!.key), consultationId: harness.consultationId });
    await doctor.chat.request('delete_message', { messageId: harness.wireId(third!.key), consultationId: harness.consultationId });
    await doctor.chat.request('edit_message', {
      messageId: harness.wireId(second!.key),
      content: 'd2 (edited)',
      consultationId: harness.consultationId,
    });
    await doctor.chat.markRead(harness.wireId(mine.key));
    await doctorChat.send('d7');

    patient.resume();
    await waitFor(patient.chat.state$, (s) => s.status === 'connected' && s.reconnected && !s.recovered);
    const expected = await serverView(doctor);
    expect(expected).toHaveLength(6); // 7 - 2 deleted + 1 new
    await until(() => view(patientChat).join() === expected.join(), 5000, 'patient store = server history');
    expect(patientChat.messages.find((entry) => entry.key === second!.key)?.message.content).toBe('d2 (edited)');
    expect(patientChat.messages.find((entry) => entry.key === mine.key)?.readBy).toContain(harness.practitionerId);
    expect(problems.values.map((error) => error.message)).toEqual([]);
  });

  test('a slow echo makes the store send again: the message ends sent, once, on both sides', async () => {
    const harness = await start({ profile, chatRateLimit: { max: 1000, windowMs: 1000 } });
    const patient = harness.client();
    const doctor = harness.client({ role: 'PRACTITIONER' });
    // Waits 150 ms for its echo before writing it again; the server takes 400 ms to answer.
    const patientChat = new ChatStore(patient.chat, patient.identity, { echoTimeoutMs: 150 });
    await waitFor(patient.chat.state$, (s) => s.status === 'connected');
    await waitFor(doctor.chat.state$, (s) => s.status === 'connected');
    const errors = record(patient.chat.on('message_error'));
    harness.server.faults.delayEvents(400);
    const entry = await patientChat.send('sent twice, stored once');
    harness.server.faults.delayEvents(0);
    expect(entry.status).toBe('sent');
    const history = await serverView(doctor);
    expect(history.filter((line) => line.endsWith(':sent twice, stored once'))).toHaveLength(1);
    // The reference backend refuses the second write (unique clientUuid); the full profile answers it with the stored copy.
    await until(() => (profile === 'reference' ? errors.values.length >= 1 : true), 3000, 'duplicate refused');
    expect(patientChat.messages.map((e) => e.status)).toEqual(['sent']);
  });
});
