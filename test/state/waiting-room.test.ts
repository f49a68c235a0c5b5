import { expect, test } from 'vitest';
import { PatientWaitingRoom, PractitionerWaitingRoom } from '../../src/state/index.js';
import { useHarness, type Harness } from '../support/harness.js';
import { waitFor } from '../support/observe.js';

const start = useHarness();

test('enhanced join: session, position and estimated wait; the heartbeat is acknowledged while waiting', async () => {
  const harness = await start();
  const patient = harness.client();
  const room = new PatientWaitingRoom(patient, { heartbeatIntervalMs: 50 });
  const acks = waitFor(patient.enhanced.on('waiting_room_heartbeat_ack'), () => true, 3000);
  const state = await room.enter('enhanced');
  expect(state).toMatchObject({ phase: 'waiting', sessionId: expect.any(String), position: 1 });
  expect(state.estimatedWaitTime).toEqual(expect.any(Number));
  expect(await acks).toMatchObject({ sessionId: expect.anything() });
});

test('positions move up as patients ahead are admitted (two patients, one practitioner)', async () => {
  const harness = await start();
  const second = await harness.server.createConsultation({ practitionerId: harness.practitionerId, patientId: 'patient-2' });
  const first = harness.client();
  const other = harness.client({ userId: 'patient-2', consultationId: second });
  const doctor = harness.client({ role: 'PRACTITIONER' });
  const list = new PractitionerWaitingRoom(doctor);
  await list.open();
  const firstRoom = new PatientWaitingRoom(first);
  const otherRoom = new PatientWaitingRoom(other);
  await firstRoom.enter('plain');
  const waiting = await otherRoom.enter('plain');
  expect(waiting.position).toBe(2);
  await waitFor(list.state$, (s) => s.waitingCount === 2);
  await list.admit(harness.patientId, 'enhanced');
  await waitFor(firstRoom.state$, (s) => s.phase === 'admitted');
  await waitFor(otherRoom.state$, (s) => s.position === 1);
  const stats = await list.refreshStats();
  expect(stats.waitingCount).toBe(1);
});

test('smart join: waits while the consultation is not live, goes straight in once it is', async () => {
  const harness = await start();
  const patient = harness.client();
  const room = new PatientWaitingRoom(patient);
  expect((await room.enter('smart')).phase).toBe('waiting');
  const doctor = harness.client({ role: 'PRACTITIONER' });
  await doctor.consultation.admitPatient(harness.patientId);
  await waitFor(room.state$, (s) => s.phase === 'admitted');

  const late = new PatientWaitingRoom(harness.client({ userId: harness.patientId }));
  const direct = await late.enter('smart');
  expect(direct.phase).toBe('admitted');
  expect(direct.navigationTarget).toMatch(/consultation/);
  await expect(late.joinLive()).resolves.toMatchObject({ liveConsultationData: expect.any(Object) });
});
