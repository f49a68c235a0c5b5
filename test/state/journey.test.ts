import { describe, expect, test } from 'vitest';
import { ChatStore, ConsultationStore, PatientWaitingRoom, PractitionerWaitingRoom, PresenceStore } from '../../src/state/index.js';
import { PROFILES, useHarness } from '../support/harness.js';
import { record, waitFor } from '../support/observe.js';

const start = useHarness();

/**
 * A step of a journey: it must not wait on a timeout for something the server already answered
 * (the client's request timeout is the default 10 s; a step takes milliseconds when nothing waits).
 */
async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  expect(Date.now() - started, `${name} took too long`).toBeLessThan(1000);
  return result;
}

describe.each(PROFILES)('against the %s profile', (profile) => {
  test('patient ↔ practitioner: wait → notified → admit → chat with history, receipts and typing → end', async () => {
    const harness = await start({ profile });
    const patient = harness.client({ requestTimeoutMs: 10_000 });
    const doctor = harness.client({ role: 'PRACTITIONER', requestTimeoutMs: 10_000 });
    const problems = [...[patient, doctor].map((client) => record(client.errors$))];

    const doctorList = new PractitionerWaitingRoom(doctor);
    const doctorConsultation = new ConsultationStore(doctor);
    await step('open the waiting list', () => doctorList.open());
    await waitFor(doctor.consultation.state$, (s) => s.status === 'connected');
    // /enhanced-consultation is optional: missing on the reference backend, the client is still connected.
    await waitFor(doctor.state$, (s) => s.status === 'connected');

    // Wait → the practitioner's live list shows the patient.
    const patientRoom = new PatientWaitingRoom(patient, { heartbeatIntervalMs: 100 });
    const patientConsultation = new ConsultationStore(patient);
    const entered = await step('enter the waiting room', () => patientRoom.enter('plain'));
    expect(entered.phase).toBe('waiting');
    await step('the practitioner sees the patient', () =>
      waitFor(doctorList.state$, (s) => s.patients.some((p) => p.patientId === harness.patientId)),
    );

    // Admit → the patient is admitted; both stores see ACTIVE; the list no longer shows the patient.
    await step('admit', () => doctorList.admit(harness.patientId));
    const admitted = await step('the patient is admitted', () => waitFor(patientRoom.state$, (s) => s.phase === 'admitted'));
    if (profile === 'full') expect(admitted.navigationTarget).toEqual(expect.any(String));
    await step('both see ACTIVE', async () => {
      await waitFor(patientConsultation.state$, (s) => s.status === 'ACTIVE');
      await waitFor(doctorConsultation.state$, (s) => s.status === 'ACTIVE');
    });
    expect(doctorList.state.patients.some((p) => p.patientId === harness.patientId)).toBe(false);

    // Chat both ways, history, receipts, unread counts.
    const patientChat = new ChatStore(patient.chat, patient.identity);
    const doctorChat = new ChatStore(doctor.chat, doctor.identity);
    const sent = await step('send', () => patientChat.send('Hello doctor'));
    expect(sent.status).toBe('sent');
    await step('received', () => waitFor(doctorChat.messages$, (m) => m.some((e) => e.message.content === 'Hello doctor')));
    await step('answer', () => doctorChat.send('Hello, how are you?'));
    await waitFor(patientChat.messages$, (m) => m.some((e) => e.message.content === 'Hello, how are you?'));
    expect(patientChat.unreadCount).toBe(1);
    expect(doctorChat.unreadCount).toBe(1);
    await step('mark all read', () => doctorChat.markAllRead());
    await waitFor(patientChat.messages$, (m) =>
      m.some((e) => e.message.content === 'Hello doctor' && e.readBy.includes(harness.practitionerId)),
    );
    await patientChat.markAllRead();
    await waitFor(patientChat.unreadCount$, (n) => n === 0);
    expect(patientChat.messages.map((e) => e.message.content)).toEqual(doctorChat.messages.map((e) => e.message.content));
    const page = await step('load history', () => patient.chat.loadHistory(20));
    expect(page.messages.map((m) => m.content)).toEqual(['Hello doctor', 'Hello, how are you?']);

    // Typing.
    await doctor.chat.setTyping(true);
    await step('typing shows', () => waitFor(patientChat.typingUsers$, (users) => users.some((u) => u.userId === harness.practitionerId)));
    await doctor.chat.setTyping(false);
    await waitFor(patientChat.typingUsers$, (users) => users.length === 0);

    // End → both see the end.
    await step('end', () => doctor.consultation.endConsultation('close'));
    await step('the patient sees the end', () =>
      waitFor(patientConsultation.state$, (s) => s.status === 'COMPLETED' && s.ended !== undefined),
    );
    await waitFor(patientRoom.state$, (s) => s.phase === 'ended');

    // Not one payload of either server was dropped or reported as drift.
    for (const errors of problems) expect(errors.values.map((e) => `${e.reason}: ${e.message}`)).toEqual([]);
  });
});

test('presence and rating (full profile extensions)', async () => {
  const harness = await start();
  const patient = harness.client();
  const doctor = harness.client({ role: 'PRACTITIONER' });
  const presence = new PresenceStore(patient);
  const doctorConsultation = new ConsultationStore(doctor);
  await waitFor(patient.consultation.state$, (s) => s.status === 'connected');
  await doctor.consultation.setOnline(true);
  await waitFor(presence.state$, (s) => s.practitionersOnline.includes(harness.practitionerId));
  await doctor.consultation.admitPatient(harness.patientId);
  await doctor.consultation.endConsultation('close');
  await patient.consultation.rate(5, 'Thank you');
  await waitFor(doctorConsultation.state$, (s) => s.rating === 5);
});

test('two practitioners self-assign at once: exactly one wins and both stores agree', async () => {
  const harness = await start();
  const consultationId = harness.server.createConsultation({ practitionerId: null, patientId: 'patient-2' });
  const a = harness.client({ role: 'PRACTITIONER', userId: 'dr-a', consultationId });
  const b = harness.client({ role: 'PRACTITIONER', userId: 'dr-b', consultationId });
  const storeA = new ConsultationStore(a);
  const storeB = new ConsultationStore(b);
  await Promise.all([
    waitFor(a.consultation.state$, (s) => s.status === 'connected'),
    waitFor(b.consultation.state$, (s) => s.status === 'connected'),
  ]);
  const results = await Promise.allSettled([a.consultation.selfAssign(), b.consultation.selfAssign()]);
  const winners = results.filter((r) => r.status === 'fulfilled');
  expect(winners).toHaveLength(1);
  expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  const winner = results[0].status === 'fulfilled' ? 'dr-a' : 'dr-b';
  await waitFor(storeA.state$, (s) => s.assignedPractitionerId === winner);
  await waitFor(storeB.state$, (s) => s.assignedPractitionerId === winner);
});
