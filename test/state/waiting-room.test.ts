import { describe, expect, test } from 'vitest';
import { PatientWaitingRoom, PractitionerWaitingRoom } from '../../src/state/index.js';
import { useHarness } from '../support/harness.js';
import { until, waitFor } from '../support/observe.js';

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
  const second = harness.server.createConsultation({ practitionerId: harness.practitionerId, patientId: 'patient-2' });
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

describe('against the reference profile', () => {
  test('a practitioner who connects after the patient: the app REST refresh fills the list, on open and after a resync', async () => {
    const harness = await start({ profile: 'reference' });
    const patient = harness.client();
    const room = new PatientWaitingRoom(patient);
    expect((await room.enter('plain')).phase).toBe('waiting');
    // That server tells a practitioner who connects now nothing about the waiting patient.
    let loads = 0;
    const loadWaitingPatients = async () => {
      loads++;
      return [...harness.server.domain.consultations.get(harness.consultationId)!.participants.values()]
        .filter((p) => p.role === 'PATIENT')
        .map((p) => ({ patientId: harness.wireId(p.userId), consultationId: harness.consultationId }));
    };
    const doctor = harness.client({ role: 'PRACTITIONER' });
    const list = new PractitionerWaitingRoom(doctor, { loadWaitingPatients });
    const opened = await list.open();
    expect(opened.patients.map((p) => p.patientId)).toEqual([harness.patientId]);
    expect(loads).toBe(1);
    // The admission is sent with the server's own id type (a number there).
    await list.admit(harness.patientId);
    await waitFor(room.state$, (s) => s.phase === 'admitted');
    expect(list.state.patients).toEqual([]);
    // A reconnection the server cannot recover: the list is loaded again. (On that server the
    // practitioner's disconnect also ends the consultation: TERMINATED_OPEN.)
    doctor.pause();
    doctor.resume();
    await waitFor(doctor.consultation.state$, (s) => s.status === 'connected' && s.reconnected);
    await until(() => loads === 2, 3000, 'loaded again after the resync');
    await waitFor(room.state$, (s) => s.phase === 'ended');
  });

  test('without a REST refresh: doctor_joined and the consultation state list the waiting patient', async () => {
    const harness = await start({ profile: 'reference' });
    const patient = harness.client();
    await new PatientWaitingRoom(patient).enter('plain');
    const doctor = harness.client({ role: 'PRACTITIONER' });
    const list = new PractitionerWaitingRoom(doctor);
    await list.open(); // /enhanced-consultation is unavailable there: resolves from the events alone
    await waitFor(list.state$, (s) => s.patients.some((p) => p.patientId === harness.patientId));
    expect(doctor.enhanced.state.status).toBe('unavailable');
  });
});
