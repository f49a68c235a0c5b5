import { expect, test } from 'vitest';
import { ConsultationStore } from '../../src/state/index.js';
import { PROFILES, useHarness } from '../support/harness.js';
import { waitFor } from '../support/observe.js';

const start = useHarness();

test('practitioner adds, invites and removes participants; both stores follow; terminate ends it', async () => {
  const harness = await start();
  const patient = harness.client();
  const doctor = harness.client({ role: 'PRACTITIONER' });
  const patientView = new ConsultationStore(patient);
  const doctorView = new ConsultationStore(doctor);
  await waitFor(patient.consultation.state$, (s) => s.status === 'connected');

  const added = await doctor.consultation.addParticipant({
    role: 'EXPERT',
    email: 'expert@example.org',
    firstName: 'Eve',
    lastName: 'Expert',
  });
  expect(added).toMatchObject({ success: true, participant: { role: 'EXPERT' } });
  await waitFor(patientView.state$, (s) => s.participants.some((p) => p.userId === 'expert@example.org' && p.role === 'EXPERT'));

  const invitation = await doctor.consultation.inviteParticipant('guest@example.org', 'GUEST', 'Gus Guest');
  expect(invitation).toMatchObject({ inviteEmail: 'guest@example.org', role: 'GUEST' });
  await waitFor(patientView.state$, (s) => s.participants.some((p) => p.userId === 'guest@example.org' && p.invited === true));

  await doctor.consultation.removeParticipant('expert@example.org');
  await waitFor(patientView.state$, (s) => !s.participants.some((p) => p.userId === 'expert@example.org'));
  await waitFor(doctorView.state$, (s) => !s.participants.some((p) => p.userId === 'expert@example.org'));
  // The patient of the consultation cannot be removed: a typed server error.
  await expect(doctor.consultation.removeParticipant(harness.patientId)).rejects.toMatchObject({ reason: 'server_error' });

  await doctor.consultation.admitPatient(harness.patientId);
  await waitFor(patientView.state$, (s) => s.status === 'ACTIVE');
  await doctor.consultation.endConsultation('terminate');
  await waitFor(patientView.state$, (s) => s.ended !== undefined);
  expect(patientView.state.ended?.action).toBe('terminate');
});

test.each(PROFILES)('refresh: status and participants from what the %s server has (no request waits on a timeout)', async (profile) => {
  const harness = await start({ profile });
  const patient = harness.client();
  const doctor = harness.client({ role: 'PRACTITIONER' });
  await waitFor(patient.consultation.state$, (s) => s.status === 'connected');
  await waitFor(doctor.consultation.state$, (s) => s.status === 'connected');
  const view = new ConsultationStore(doctor);
  const started = Date.now();
  await view.refresh();
  expect(Date.now() - started).toBeLessThan(1000);
  expect(view.state.status).toBe('WAITING');
  expect(view.state.participants.map((p) => p.userId).sort()).toEqual([harness.practitionerId, harness.patientId].sort());
  // The reference backend lists participants on /chat only; the full profile announces them on /consultation.
  expect(doctor.features.has('consultation_participants')).toBe(profile === 'full');
});
