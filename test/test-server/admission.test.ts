import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, next, request, scenario } from './helpers.js';

afterEach(cleanup);

describe('waiting room and admission', () => {
  test('patient waits → practitioner notified → admits → both see the status change and navigation', async () => {
    const s = await scenario();
    const practitioner = await s.practitioner();
    const doctor = practitioner.socket('/consultation');
    const notified = next(doctor, 'waiting_room_notification');
    const waiting = next(doctor, 'patient_waiting');

    const patient = await s.patient();
    const socket = patient.socket('/consultation');
    expect(await notified).toMatchObject({ consultationId: s.consultationId, patientId: s.patientId, patientFirstName: 'Patient' });
    expect((await waiting).session).toMatchObject({ position: 1 });
    expect(s.server.domain.consultations.get(s.consultationId)?.status).toBe('WAITING');
    expect(s.server.domain.waitingRoom.find(s.consultationId, s.patientId)).toBeDefined();

    const patientStatus = next(socket, 'consultation_status', (e) => e.status === 'ACTIVE');
    const doctorStatus = next(doctor, 'consultation_status', (e) => e.status === 'ACTIVE');
    const navigation = next(socket, 'navigate_to_consultation_room');
    const admittedForPatient = next(socket, 'patient_admitted');
    const admittedForDoctor = next(doctor, 'patient_admitted');
    const confirmed = next(doctor, 'patient_admission_confirmed');
    const live = next(socket, 'media_session_live');
    const permission = next(socket, 'media-permission-request');

    const ack = await request(doctor, 'admit_patient', { consultationId: s.consultationId, patientId: s.patientId });
    expect(ack).toMatchObject({ success: true, consultationId: s.consultationId });
    expect(await patientStatus).toMatchObject({ status: 'ACTIVE', triggeredBy: s.practitionerId });
    expect(await doctorStatus).toMatchObject({ status: 'ACTIVE' });
    expect((await navigation).url).toMatch(/\/consultation\/\d+$/);
    expect((await admittedForPatient).navigation).toMatchObject({ target: 'consultation_room' });
    expect((await admittedForDoctor).patient).toMatchObject({ id: s.patientId });
    expect((await confirmed).practitioner.message).toContain('admitted');
    expect(await live).toMatchObject({ consultationId: s.consultationId, mediasoupReady: true });
    expect(await permission).toMatchObject({ userId: s.patientId, permissionType: 'camera_microphone' });
    expect(s.server.domain.waitingRoom.find(s.consultationId, s.patientId)).toBeUndefined();
    expect(s.server.domain.media.stats().routers).toBe(1);
    expect(s.server.contractViolations).toEqual([]);
  });
});
