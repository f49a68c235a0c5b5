import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, next, peer, record, request, scenario, sleep, until } from './helpers.js';

afterEach(cleanup);

describe('participants and invitations', () => {
  test('add a participant: success to the inviter, participant_added to the room, an invitation token to join with', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const doctor = (await s.practitioner(['/consultation'])).socket('/consultation');
    const patient = (await s.patient(['/consultation'])).socket('/consultation');
    const added = next(patient, 'participant_added');
    const success = next(doctor, 'add_participant_success');
    const invitedForDoctor = next(doctor, 'participant_invited');
    const invitedForPatient = next(patient, 'participant_invited');
    doctor.emit('add_participant', {
      consultationId: s.consultationId,
      role: 'EXPERT',
      email: 'expert@example.org',
      firstName: 'Eva',
      lastName: 'Expert',
    });
    expect((await success).participant).toMatchObject({ userId: 'expert@example.org', role: 'EXPERT', firstName: 'Eva' });
    expect((await added).participant).toMatchObject({ role: 'EXPERT' });
    const token = (await invitedForDoctor).token as string;
    expect(token).toEqual(expect.any(String));
    expect((await invitedForPatient).token).toBeUndefined();

    const expert = await peer(s.server, {
      userId: 'expert-7',
      role: 'EXPERT',
      consultationId: s.consultationId,
      namespaces: ['/mediasoup'],
    });
    const joined = next(doctor, 'participant_invite_joined');
    const answer = await request(expert.socket('/mediasoup'), 'join_via_invite', { token });
    expect(answer).toEqual({ success: true, consultationId: s.consultationId, role: 'EXPERT' });
    expect(await joined).toMatchObject({ userId: 'expert-7', role: 'EXPERT' });
    const participants = s.server.domain.consultations.get(s.consultationId)!.participants;
    expect(participants.get('expert-7')).toMatchObject({ role: 'EXPERT', firstName: 'Eva' });
    expect(participants.has('expert@example.org')).toBe(false);
    expect(
      (await request(expert.socket('/mediasoup'), 'getRouterCapabilities', { consultationId: s.consultationId })).rtpCapabilities,
    ).toBeDefined();
    // Someone else cannot reuse it.
    const other = await peer(s.server, { userId: 'guest-9', role: 'GUEST', consultationId: s.consultationId, namespaces: ['/mediasoup'] });
    expect((await request(other.socket('/mediasoup'), 'join_via_invite', { token })).error).toContain('already used');
  });

  test('invite by email; an expired invitation is refused', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const doctor = (await s.practitioner(['/consultation'])).socket('/consultation');
    const sent = next(doctor, 'participant_invitation_sent');
    doctor.emit('invite_participant', { consultationId: s.consultationId, inviteEmail: 'g@example.org', role: 'GUEST', name: 'Guest' });
    const { token } = await sent;
    s.server.domain.invitations.expire(token);
    const guest = await peer(s.server, { userId: 'guest-1', role: 'GUEST', consultationId: s.consultationId, namespaces: ['/mediasoup'] });
    expect((await request(guest.socket('/mediasoup'), 'join_via_invite', { token })).error).toBe('Invitation expired');
    expect(s.server.domain.consultations.get(s.consultationId)!.participants.has('guest-1')).toBe(false);
  });

  test('remove a participant: they are told and disconnected; the room is told', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const doctor = (await s.practitioner(['/enhanced-consultation'])).socket('/enhanced-consultation');
    s.server.domain.consultations.addParticipant(s.server.domain.consultations.get(s.consultationId)!, 'guest-1', 'GUEST');
    const guest = (
      await peer(s.server, { userId: 'guest-1', role: 'GUEST', consultationId: s.consultationId, namespaces: ['/enhanced-consultation'] })
    ).socket('/enhanced-consultation');
    const told = next(guest, 'removed_from_consultation');
    const gone = next(guest, 'disconnect');
    const removed = next(doctor, 'participant_removed');
    doctor.emit('remove_participant_enhanced', { participantUserId: 'guest-1' });
    expect(await told).toMatchObject({ removedBy: s.practitionerId, consultationId: s.consultationId });
    expect(await removed).toMatchObject({ participantUserId: 'guest-1' });
    expect(await gone).toBe('io server disconnect');
    const refused = next(doctor, 'error');
    doctor.emit('remove_participant_enhanced', { participantUserId: s.patientId });
    expect((await refused).message).toContain('cannot be removed');
  });

  test('join and leave notices on /consultation: participant_joined/left, expert_guest_joined_consultation, participant_ready_for_consultation, user_reconnected', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const doctor = (await s.practitioner(['/consultation'])).socket('/consultation');
    s.server.domain.consultations.addParticipant(s.server.domain.consultations.get(s.consultationId)!, 'expert-1', 'EXPERT', {
      firstName: 'Eva',
      lastName: 'Expert',
    });
    const joined = next(doctor, 'participant_joined', (e) => e.userId === 'expert-1');
    const expertJoined = next(doctor, 'expert_guest_joined_consultation');
    const expert = await peer(s.server, { userId: 'expert-1', role: 'EXPERT', consultationId: s.consultationId, connect: false });
    const ready = next(expert.socket('/consultation'), 'participant_ready_for_consultation');
    expect(await joined).toMatchObject({ type: 'participant_joined', severity: 'info', data: { userId: 'expert-1', role: 'EXPERT' } });
    expect((await expertJoined).participant).toMatchObject({ userId: 'expert-1', firstName: 'Eva' });
    expect((await ready).features).toMatchObject({ screenShare: true });

    await sleep(20);
    const reconnected = next(doctor, 'user_reconnected');
    s.server.faults.dropTransport('expert-1');
    expect(await reconnected).toMatchObject({ userId: 'expert-1', message: expect.stringContaining('reconnected') });

    const left = next(doctor, 'participant_left');
    expert.close();
    expect(await left).toMatchObject({ type: 'participant_left', data: { userId: 'expert-1' } });
  });

  test('request_participants and update_participant_status', async () => {
    const s = await scenario();
    const chat = (await s.patient(['/chat'])).socket('/chat');
    const list = next(chat, 'participants_list');
    chat.emit('request_participants', { consultationId: s.consultationId });
    expect((await list).participants.map((p: { userId: string; isActive: boolean }) => [p.userId, p.isActive])).toEqual([
      [s.patientId, true],
      [s.practitionerId, false],
    ]);
    const room = (await s.patient(['/consultation'])).socket('/consultation');
    const changed = next(room, 'participant_status_changed');
    room.emit('update_participant_status', { consultationId: s.consultationId, userId: s.patientId, status: 'away' });
    expect(await changed).toMatchObject({ userId: s.patientId, status: 'away' });
  });
});

describe('media status events (outside mediasoup)', () => {
  test('device status, toggles, screen share, session status', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const doctor = (await s.practitioner(['/consultation'])).socket('/consultation');
    const patient = (await s.patient(['/consultation'])).socket('/consultation');
    const device = next(doctor, 'media_device_status_updated');
    patient.emit('update_media_device_status', {
      consultationId: s.consultationId,
      userId: s.patientId,
      cameraAvailable: true,
      cameraEnabled: false,
    });
    expect(await device).toMatchObject({ userId: s.patientId, deviceStatus: { cameraAvailable: true, cameraEnabled: false } });

    const audio = next(doctor, 'participant_audio_toggled');
    patient.emit('toggle_audio', { consultationId: s.consultationId, userId: s.patientId, audioEnabled: false });
    expect(await audio).toMatchObject({ userId: s.patientId, audioEnabled: false });
    const video = next(patient, 'participant_video_toggled');
    patient.emit('toggle_video', { consultationId: s.consultationId, userId: s.patientId, videoEnabled: true });
    expect(await video).toMatchObject({ videoEnabled: true });

    const started = next(doctor, 'screen_share_started');
    patient.emit('share_screen_request', { consultationId: s.consultationId, userId: s.patientId });
    expect(await started).toMatchObject({ userId: s.patientId, userName: 'Patient patient-1' });
    const denied = next(doctor, 'screen_share_denied');
    doctor.emit('share_screen_request', { consultationId: s.consultationId, userId: s.practitionerId });
    expect((await denied).message).toContain('already sharing');

    const status = next(doctor, 'media_session_status_response');
    doctor.emit('request_media_session_status', { consultationId: s.consultationId });
    const report = await status;
    expect(report.participants.find((p: { userId: string }) => p.userId === s.patientId)).toMatchObject({
      mediaStatus: { audioEnabled: false, videoEnabled: true },
    });
    expect(report.health).toMatchObject({ screenSharer: s.patientId });
  });

  test('connection quality: level computed, warnings to the user, notice to the others', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const doctor = (await s.practitioner(['/consultation'])).socket('/consultation');
    const patient = (await s.patient(['/consultation'])).socket('/consultation');
    const updated = next(patient, 'connection_quality_updated');
    const warning = next(patient, 'connection_quality_warning');
    const detected = next(doctor, 'poor_connection_detected');
    patient.emit('update_connection_quality', { consultationId: s.consultationId, packetLoss: 25, latency: 900 });
    expect(await updated).toMatchObject({ userId: s.patientId, quality: 'poor' });
    expect(await warning).toMatchObject({ qualityLevel: 'poor' });
    expect(await detected).toMatchObject({ affectedUserId: s.patientId });
    const good = next(patient, 'connection_quality_updated');
    const warnings = record(patient, 'connection_quality_warning');
    patient.emit('update_connection_quality', { consultationId: s.consultationId, packetLoss: 0, latency: 40 });
    expect((await good).quality).toBe('good');
    expect(warnings).toEqual([]);
  });

  test('permissions, guidance, stats, reconnect notice, client reports', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const doctor = (await s.practitioner(['/consultation'])).socket('/consultation');
    const patient = await s.patient(['/consultation', '/mediasoup']);
    const room = patient.socket('/consultation');
    const denied = next(doctor, 'media_permission_denied_notification');
    room.emit('media_permission_denied', { consultationId: s.consultationId, userId: s.patientId, camera: 'denied', microphone: true });
    expect((await denied).message).toContain('the camera');
    const guidance = next(room, 'media_permission_guidance');
    room.emit('media_permission_error_enhanced', {
      consultationId: s.consultationId,
      userId: s.patientId,
      errorType: 'NotAllowedError',
      errorDetails: {},
    });
    expect(await guidance).toMatchObject({ guidanceType: 'permission_denied', actions: expect.arrayContaining(['reload']) });

    const media = patient.socket('/mediasoup');
    const quality = next(doctor, 'connection_quality_update');
    expect(
      await request(media, 'collect_stats', {
        consultationId: s.consultationId,
        stats: { type: 'inbound-rtp', id: 'x', stats: { packetsLost: 3 } },
      }),
    ).toEqual({ success: true });
    expect(await quality).toMatchObject({ type: 'inbound-rtp', userId: s.patientId });
    const back = next(doctor, 'user_reconnected');
    expect(await request(media, 'client_reconnect', { consultationId: s.consultationId, userId: s.patientId })).toEqual({ success: true });
    expect((await back).userId).toBe(s.patientId);
    media.emit('client_error', { consultationId: s.consultationId, userId: s.patientId, errorMessage: 'ICE failed' });
    media.emit('mediaAction', { action: 'legacy', data: { a: 1 } });
    await until(() => s.server.domain.reports.length === 2);
    expect(s.server.domain.reports.map((r) => r.event)).toEqual(['client_error', 'mediaAction']);
    expect(s.server.contractViolations).toEqual([]);
  });

  test('join/leave media session', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const doctor = (await s.practitioner(['/consultation'])).socket('/consultation');
    const patient = (await s.patient(['/consultation'])).socket('/consultation');
    const joined = next(doctor, 'participant_joined_media');
    const response = next(patient, 'media_join_response');
    patient.emit('join_media_session', { consultationId: s.consultationId, userId: s.patientId, userRole: 'PATIENT' });
    expect(await response).toMatchObject({ success: true, canJoinMedia: true });
    expect((await joined).participant).toMatchObject({ userId: s.patientId });
    const left = next(doctor, 'participant_left_media');
    patient.emit('leave_media_session', { consultationId: s.consultationId, userId: s.patientId, userRole: 'PATIENT' });
    expect(await left).toMatchObject({ userId: s.patientId, role: 'PATIENT' });
  });
});
