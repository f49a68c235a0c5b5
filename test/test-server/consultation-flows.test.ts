import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, next, peer, record, request, scenario, server, sleep, until } from './helpers.js';

afterEach(cleanup);

describe('assignment', () => {
  test('self-assignment race: exactly one of two practitioners wins, the loser gets error', async () => {
    const srv = await server();
    const consultationId = srv.createConsultation({ patientId: 'patient-1' });
    const a = (await peer(srv, { userId: 'dr-a', role: 'PRACTITIONER', consultationId })).socket('/consultation');
    const b = (await peer(srv, { userId: 'dr-b', role: 'PRACTITIONER', consultationId })).socket('/consultation');
    const errorsA = record(a, 'error');
    const errorsB = record(b, 'error');
    const assigned = record(a, 'practitioner_assigned');
    a.emit('assign_practitioner', { consultationId, practitionerId: 'dr-a' });
    b.emit('assign_practitioner', { consultationId, practitionerId: 'dr-b' });
    await until(() => errorsA.length + errorsB.length === 1 && assigned.length === 1);
    await sleep(50);
    expect(errorsA.length + errorsB.length).toBe(1);
    expect(assigned).toHaveLength(1);
    const winner = srv.domain.consultations.get(consultationId)!.practitionerId;
    expect(assigned[0].practitionerId).toBe(winner);
    expect((winner === 'dr-a' ? errorsB : errorsA)[0]).toMatchObject({
      event: 'assign_practitioner',
      message: expect.stringContaining('already assigned'),
    });
    const loser = winner === 'dr-a' ? b : a;
    const again = next(loser, 'error');
    loser.emit('assign_practitioner', { consultationId, practitionerId: winner === 'dr-a' ? 'dr-b' : 'dr-a' });
    expect((await again).message).toContain('already assigned');
    expect(srv.domain.consultations.get(consultationId)!.practitionerId).toBe(winner);
  });

  test('a patient cannot assign; a practitioner cannot assign someone else', async () => {
    const s = await scenario();
    const patient = (await s.patient()).socket('/consultation');
    const refused = next(patient, 'error');
    patient.emit('assign_practitioner', { consultationId: s.consultationId, practitionerId: s.patientId });
    expect((await refused).message).toContain('PRACTITIONER');
    const doctor = (await s.practitioner()).socket('/consultation');
    const other = next(doctor, 'error');
    doctor.emit('assign_practitioner', { consultationId: s.consultationId, practitionerId: 'dr-other' });
    expect((await other).message).toContain('does not match');
  });
});

describe('waiting room', () => {
  test('sessions with positions, heartbeat acks, stats and the practitioner view', async () => {
    const srv = await server();
    const first = srv.createConsultation({ practitionerId: 'dr-1', patientId: 'p-1' });
    const second = srv.createConsultation({ practitionerId: 'dr-1', patientId: 'p-2' });
    const doctor = (
      await peer(srv, { userId: 'dr-1', role: 'PRACTITIONER', consultationId: first, namespaces: ['/enhanced-consultation'] })
    ).socket('/enhanced-consultation');
    const p1 = (await peer(srv, { userId: 'p-1', role: 'PATIENT', consultationId: first, namespaces: ['/enhanced-consultation'] })).socket(
      '/enhanced-consultation',
    );
    const p2 = (await peer(srv, { userId: 'p-2', role: 'PATIENT', consultationId: second, namespaces: ['/enhanced-consultation'] })).socket(
      '/enhanced-consultation',
    );

    const entered = next(doctor, 'patient_entered_waiting_room');
    const joined = next(p1, 'waiting_room_joined');
    p1.emit('join_waiting_room_enhanced', { consultationId: first, userId: 'p-1' });
    const session1 = (await joined).waitingRoomSession;
    expect(session1).toMatchObject({ position: 1, consultationId: first, patientId: 'p-1' });
    expect((await entered).patientId).toBe('p-1');

    const second2 = next(p2, 'waiting_room_entered');
    const position = next(p2, 'position-update');
    p2.emit('enter_waiting_room', { consultationId: second, userId: 'p-2' });
    expect((await second2).session).toMatchObject({ position: 2 });
    expect(await position).toMatchObject({ patientId: 'p-2', position: 2, estimatedWaitTime: 300 });

    const ack = next(p1, 'waiting_room_heartbeat_ack');
    p1.emit('waiting_room_heartbeat', { waitingRoomSessionId: session1.id, patientId: 'p-1' });
    expect(await ack).toMatchObject({ sessionId: session1.id, timestamp: expect.any(String) });
    expect(srv.domain.waitingRoom.get(session1.id)?.heartbeats).toBe(1);
    const foreign = next(p2, 'error');
    p2.emit('waiting_room_heartbeat', { waitingRoomSessionId: session1.id, patientId: 'p-2' });
    expect((await foreign).message).toContain('another patient');

    const stats = await request(doctor, 'get_waiting_room_stats', { practitionerId: 'dr-1' });
    expect(stats).toMatchObject({ practitionerId: 'dr-1', waitingCount: 2 });
    const view = next(doctor, 'practitioner_waiting_room_data');
    doctor.emit('get_practitioner_waiting_room', { practitionerId: 'dr-1' });
    expect((await view).waitingRoomData.patients.map((p: { patientId: string; position: number }) => [p.patientId, p.position])).toEqual([
      ['p-1', 1],
      ['p-2', 2],
    ]);

    // Admitting the first moves the second up.
    const moved = next(p2, 'position-update', (e) => e.position === 1);
    const admitted = next(doctor, 'patient_admitted_from_waiting_room');
    doctor.emit('admit_from_waiting_room_enhanced', { consultationId: first, patientId: 'p-1' });
    expect(await admitted).toMatchObject({ patientId: 'p-1', success: true, admittedBy: 'dr-1' });
    await moved;
    expect(srv.domain.consultations.get(first)?.status).toBe('ACTIVE');
  });

  test('heartbeat monitoring: a waiting patient gone without heartbeats leaves the queue; a connected one stays', async () => {
    const s = await scenario({ waitingRoomTimeoutMs: 100 });
    const doctor = (await s.practitioner()).socket('/consultation');
    const patient = await s.patient();
    await until(() => s.server.domain.waitingRoom.all().length === 1);
    await sleep(200);
    expect(s.server.domain.waitingRoom.all()).toHaveLength(1);
    const emptied = next(doctor, 'waiting_room_update', (e) => e.waitingCount === 0, 2000);
    const rescheduled = next(doctor, 'consultation_status', (e) => e.status === 'SCHEDULED', 2000);
    patient.close();
    await emptied;
    await rescheduled;
    expect(s.server.domain.waitingRoom.all()).toEqual([]);
  });

  test('smart join, session and admission status checks, live join (enhanced flows)', async () => {
    const s = await scenario();
    const patient = (await s.patient(['/enhanced-consultation'])).socket('/enhanced-consultation');
    const doctor = (await s.practitioner(['/enhanced-consultation', '/consultation'])).socket('/enhanced-consultation');

    const change = next(doctor, 'patient_join_state_change');
    const smart = next(patient, 'smart_patient_join_response');
    patient.emit('smart_patient_join', { consultationId: s.consultationId, patientId: s.patientId, joinType: 'auto' });
    expect(await smart).toMatchObject({ success: true, joinType: 'auto', redirectTo: expect.stringContaining('/waiting-room/') });
    expect(await change).toMatchObject({ newState: 'waiting_room', consultationStatus: 'WAITING' });

    const status = next(patient, 'session_status_response');
    patient.emit('check_session_status', { consultationId: s.consultationId, patientId: s.patientId });
    expect(await status).toMatchObject({ success: true, navigation: { target: 'waiting_room' }, data: { inWaitingRoom: true } });
    const unknown = next(patient, 'session_status_response');
    patient.emit('check_session_status', { consultationId: 999, patientId: s.patientId });
    expect(await unknown).toMatchObject({ success: false, error: expect.stringContaining('not found') });

    const admission = next(patient, 'patient_admission_status_response');
    patient.emit('check_patient_admission_status', { consultationId: s.consultationId, patientId: s.patientId });
    expect(await admission).toMatchObject({ consultationStatus: 'WAITING', inWaitingRoom: true, canJoinDirectly: false });

    const notLive = next(patient, 'error');
    patient.emit('join_live_consultation_enhanced', { consultationId: s.consultationId, userId: s.patientId, role: 'PATIENT' });
    expect((await notLive).message).toContain('not live');

    const toLive = next(patient, 'admitted_to_live_consultation');
    expect(await request(doctor, 'admit_patient', { consultationId: s.consultationId })).toMatchObject({ success: true });
    expect(await toLive).toMatchObject({ consultationId: s.consultationId, admittedBy: s.practitionerId });

    const joinedLive = next(doctor, 'participant_joined_live');
    const live = next(patient, 'live_consultation_joined');
    patient.emit('join_live_consultation_enhanced', { consultationId: s.consultationId, userId: s.patientId, role: 'PATIENT' });
    expect((await live).liveConsultationData).toMatchObject({ mediaReady: true });
    expect(await joinedLive).toMatchObject({ userId: s.patientId, userRole: 'PATIENT' });

    const again = await request(doctor, 'admit_patient', { consultationId: s.consultationId });
    expect(again).toMatchObject({ success: true, message: 'Patient already admitted' });
  });

  test('patient_state_transition checks the from-state', async () => {
    const s = await scenario();
    const chat = (await s.patient(['/chat'])).socket('/chat');
    const changed = next(chat, 'patient_state_changed');
    chat.emit('patient_state_transition', {
      consultationId: s.consultationId,
      fromState: 'home',
      toState: 'device_check',
      patientId: s.patientId,
    });
    expect(await changed).toMatchObject({ fromState: 'home', toState: 'device_check', triggeredBy: s.patientId });
    const wrong = next(chat, 'state_transition_error');
    chat.emit('patient_state_transition', {
      consultationId: s.consultationId,
      fromState: 'home',
      toState: 'waiting_room',
      patientId: s.patientId,
    });
    expect((await wrong).error).toContain('device_check');
  });
});

describe('state, end, rating', () => {
  test('transition_consultation_state validates transitions; request_consultation_state gives a snapshot', async () => {
    const s = await scenario();
    const doctor = (await s.practitioner(['/consultation', '/enhanced-consultation'])).socket('/consultation');
    const failed = next(doctor, 'consultation_state_transition_failed');
    doctor.emit('transition_consultation_state', {
      consultationId: s.consultationId,
      newStatus: 'COMPLETED',
      initiatorUserId: s.practitionerId,
    });
    expect((await failed).error).toContain('from SCHEDULED to COMPLETED');
    const status = next(doctor, 'consultation_status');
    doctor.emit('transition_consultation_state', {
      consultationId: s.consultationId,
      newStatus: 'ACTIVE',
      initiatorUserId: s.practitionerId,
    });
    expect(await status).toMatchObject({ status: 'ACTIVE', initiatedBy: s.practitionerId });
    const snapshot = next(doctor, 'consultation_state_update');
    doctor.emit('request_consultation_state', { consultationId: s.consultationId });
    expect(await snapshot).toMatchObject({
      status: 'ACTIVE',
      participants: expect.arrayContaining([expect.objectContaining({ userId: s.patientId })]),
    });
  });

  test('end (terminate): everyone told, media closed; then the patient rates once', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const doctor = (await s.practitioner()).socket('/consultation');
    const patient = (await s.patient()).socket('/consultation');
    const ended = next(patient, 'consultation_ended');
    const terminated = next(patient, 'consultation_terminated');
    const closed = next(patient, 'media_session_closed');
    doctor.emit('end_consultation', { consultationId: s.consultationId, action: 'terminate' });
    expect(await ended).toMatchObject({
      status: 'TERMINATED_OPEN',
      action: 'terminate',
      terminatedBy: s.practitionerId,
      retentionHours: null,
    });
    expect((await terminated).reason).toBeTruthy();
    await closed;

    const notYours = next(doctor, 'error');
    doctor.emit('rate_consultation', { consultationId: s.consultationId, rating: 5 });
    expect((await notYours).message).toContain('PATIENT');
    const rated = next(doctor, 'consultation_rated');
    patient.emit('rate_consultation', { consultationId: s.consultationId, rating: 4, comment: 'thanks' });
    expect(await rated).toMatchObject({ patientId: s.patientId, rating: 4 });
    expect(s.server.domain.consultations.get(s.consultationId)?.rating).toEqual({ rating: 4, comment: 'thanks' });
    const twice = next(patient, 'error');
    patient.emit('rate_consultation', { consultationId: s.consultationId, rating: 1 });
    expect((await twice).message).toContain('already been rated');
  });

  test('archive sets a deletion date; a patient cannot end', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const patient = (await s.patient()).socket('/consultation');
    const refused = next(patient, 'error');
    patient.emit('end_consultation', { consultationId: s.consultationId, action: 'close' });
    expect((await refused).message).toContain('PRACTITIONER');
    const doctor = (await s.practitioner()).socket('/consultation');
    const ended = next(doctor, 'consultation_ended');
    doctor.emit('end_consultation', { consultationId: s.consultationId, action: 'archive' });
    expect(await ended).toMatchObject({ status: 'COMPLETED', retentionHours: 24, deletionScheduledAt: expect.any(String) });
  });

  test('opt-in reference behaviour: the practitioner leaving ends an ACTIVE consultation after the grace period', async () => {
    const s = await scenario({ status: 'ACTIVE', practitionerLeaveGraceMs: 50 });
    const patient = (await s.patient()).socket('/consultation');
    const doctor = await s.practitioner();
    const terminated = next(patient, 'consultation_terminated');
    doctor.close();
    expect((await terminated).reason).toBe('Practitioner disconnected');
    expect(s.server.domain.consultations.get(s.consultationId)?.status).toBe('TERMINATED_OPEN');
  });
});

describe('presence and notifications', () => {
  test('practitioner_online/offline reach the patients as system_notification', async () => {
    const s = await scenario();
    const patient = (await s.patient()).socket('/consultation');
    const doctor = (await s.practitioner()).socket('/consultation');
    const online = next(patient, 'system_notification', (e) => e.type === 'practitioner_online');
    const dashboard = next(doctor, 'dashboard_state_update');
    doctor.emit('practitioner_online', { practitionerId: s.practitionerId });
    expect(await online).toMatchObject({ data: { practitionerId: s.practitionerId } });
    expect((await dashboard).dashboardState).toMatchObject({ online: true, waitingCount: 1 });
    expect(s.server.domain.presence.isOnline(s.practitionerId)).toBe(true);
    const offline = next(patient, 'system_notification', (e) => e.type === 'practitioner_offline');
    doctor.emit('practitioner_offline', { practitionerId: s.practitionerId });
    await offline;
    expect(s.server.domain.presence.isOnline(s.practitionerId)).toBe(false);
  });

  test('a practitioner going away goes offline automatically', async () => {
    const s = await scenario();
    const patient = (await s.patient()).socket('/consultation');
    const doctor = await s.practitioner();
    doctor.socket('/consultation').emit('practitioner_online', { practitionerId: s.practitionerId });
    await until(() => s.server.domain.presence.isOnline(s.practitionerId));
    const offline = next(patient, 'system_notification', (e) => e.type === 'practitioner_offline');
    doctor.close();
    await offline;
  });

  test('create_system_notification → system_notification and system_notification_created to the room', async () => {
    const s = await scenario();
    const patient = (await s.patient()).socket('/consultation');
    const doctor = (await s.practitioner()).socket('/consultation');
    const notice = next(patient, 'system_notification', (e) => e.type === 'reminder');
    const created = next(doctor, 'system_notification_created');
    doctor.emit('create_system_notification', {
      consultationId: s.consultationId,
      notificationType: 'reminder',
      message: 'Starting in 5 min',
      priority: 'high',
    });
    expect(await notice).toMatchObject({ message: 'Starting in 5 min', priority: 'high' });
    expect(await created).toMatchObject({ notificationType: 'reminder', createdBy: s.practitionerId });
  });

  test('ping → pong echoes the timestamp; heartbeat is answered', async () => {
    const s = await scenario();
    const socket = (await s.patient(['/enhanced-consultation'])).socket('/enhanced-consultation');
    const pong = next(socket, 'pong');
    socket.emit('ping', { timestamp: 12345 });
    expect(await pong).toMatchObject({ timestamp: 12345, serverTime: expect.any(String) });
    const beat = next(socket, 'heartbeat');
    socket.emit('heartbeat', { timestamp: 1 });
    expect(await beat).toEqual({ timestamp: expect.any(String) });
  });

  test('on connect: session_sync, and for a patient consultation_status_patient', async () => {
    const s = await scenario();
    const client = await s.patient(['/consultation'], { connect: false });
    const sync = next(client.socket('/consultation'), 'session_sync');
    const status = next(client.socket('/consultation'), 'consultation_status_patient');
    expect(await sync).toMatchObject({ consultationId: s.consultationId, userId: s.patientId, role: 'PATIENT' });
    // canJoin as the reference backend: only once the consultation is live.
    expect(await status).toMatchObject({
      status: 'SCHEDULED',
      canJoin: false,
      waitingForDoctor: true,
      doctorName: 'Dr dr-1',
      rating: null,
    });
    expect(s.server.contractViolations).toEqual([]);
  });
});
