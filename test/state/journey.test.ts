import { expect, test } from 'vitest';
import { ChatStore, ConsultationStore, PatientWaitingRoom, PractitionerWaitingRoom, PresenceStore } from '../../src/state/index.js';
import { useHarness, type Harness } from '../support/harness.js';
import { waitFor } from '../support/observe.js';

const start = useHarness();

test('patient ↔ practitioner: wait → notified → admit → chat with receipts and typing → end → rate', async () => {
  const harness = await start();
  const patient = harness.client();
  const doctor = harness.client({ role: 'PRACTITIONER' });

  const doctorList = new PractitionerWaitingRoom(doctor);
  const patientRoom = new PatientWaitingRoom(patient, { heartbeatIntervalMs: 100 });
  const patientConsultation = new ConsultationStore(patient);
  const doctorConsultation = new ConsultationStore(doctor);
  const presence = new PresenceStore(patient);
  await doctorList.open();

  // Presence: the practitioner goes online, the patient sees it.
  await waitFor(patient.consultation.state$, (s) => s.status === 'connected');
  await doctor.consultation.setOnline(true);
  await waitFor(presence.state$, (s) => s.practitionersOnline.includes(harness.practitionerId));

  // Wait → the practitioner's live list shows the patient.
  const entered = await patientRoom.enter('plain');
  expect(entered.phase).toBe('waiting');
  await waitFor(doctorList.state$, (s) => s.patients.some((p) => p.patientId === harness.patientId));

  // Admit → the patient is admitted with a navigation target; both stores see ACTIVE.
  await doctorList.admit(harness.patientId);
  const admitted = await waitFor(patientRoom.state$, (s) => s.phase === 'admitted');
  expect(admitted.navigationTarget).toEqual(expect.any(String));
  await waitFor(patientConsultation.state$, (s) => s.status === 'ACTIVE');
  await waitFor(doctorConsultation.state$, (s) => s.status === 'ACTIVE');
  expect(doctorList.state.patients.some((p) => p.patientId === harness.patientId)).toBe(false);

  // Chat both ways, receipts, unread counts.
  const patientChat = new ChatStore(patient.chat, patient.identity);
  const doctorChat = new ChatStore(doctor.chat, doctor.identity);
  const sent = await patientChat.send('Hello doctor');
  expect(sent.status).toBe('sent');
  await waitFor(doctorChat.messages$, (m) => m.some((e) => e.message.content === 'Hello doctor'));
  await doctorChat.send('Hello, how are you?');
  await waitFor(patientChat.messages$, (m) => m.some((e) => e.message.content === 'Hello, how are you?'));
  expect(patientChat.unreadCount).toBe(1);
  expect(doctorChat.unreadCount).toBe(1);
  await doctorChat.markAllRead();
  await waitFor(patientChat.messages$, (m) =>
    m.some((e) => e.message.content === 'Hello doctor' && e.readBy.includes(harness.practitionerId)),
  );
  await patientChat.markAllRead();
  await waitFor(patientChat.unreadCount$, (n) => n === 0);
  expect(patientChat.messages.map((e) => e.message.content)).toEqual(doctorChat.messages.map((e) => e.message.content));

  // Typing.
  await doctor.chat.setTyping(true);
  await waitFor(patientChat.typingUsers$, (users) => users.some((u) => u.userId === harness.practitionerId));
  await doctor.chat.setTyping(false);
  await waitFor(patientChat.typingUsers$, (users) => users.length === 0);

  // End → both see the end; the patient rates, the practitioner's store gets the rating.
  await doctor.consultation.endConsultation('close');
  await waitFor(patientConsultation.state$, (s) => s.status === 'COMPLETED' && s.ended !== undefined);
  await patient.consultation.rate(5, 'Thank you');
  await waitFor(doctorConsultation.state$, (s) => s.rating === 5);
});

test('two practitioners self-assign at once: exactly one wins and both stores agree', async () => {
  const harness = await start();
  const consultationId = await harness.server.createConsultation({ practitionerId: null, patientId: 'patient-2' });
  const a = harness.client({ role: 'PRACTITIONER', userId: 'dr-a', consultationId });
  const b = harness.client({ role: 'PRACTITIONER', userId: 'dr-b', consultationId });
  const storeA = new ConsultationStore(a);
  const storeB = new ConsultationStore(b);
  await Promise.all([waitFor(a.consultation.state$, (s) => s.status === 'connected'), waitFor(b.consultation.state$, (s) => s.status === 'connected')]);
  const results = await Promise.allSettled([a.consultation.selfAssign(), b.consultation.selfAssign()]);
  const winners = results.filter((r) => r.status === 'fulfilled');
  expect(winners).toHaveLength(1);
  expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  const winner = results[0]!.status === 'fulfilled' ? 'dr-a' : 'dr-b';
  await waitFor(storeA.state$, (s) => s.assignedPractitionerId === winner);
  await waitFor(storeB.state$, (s) => s.assignedPractitionerId === winner);
});
