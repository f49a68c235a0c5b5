import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, test } from 'vitest';
import { clientEventNames, eventSpec, namespaces, samplePayload, type Role } from '../../src/contract/index.js';
import type { TestServerOptions } from '../../test-server/index.js';
import { cleanup, connected, next, peer, record, request, server, sleep, until, type PeerOptions } from './helpers.js';

afterEach(cleanup);

/** A reference-profile server with one consultation: practitioner 1, patient 2 (numeric users). */
async function reference(options: TestServerOptions & { status?: 'SCHEDULED' | 'ACTIVE' | 'WAITING' } = {}) {
  const { status, ...serverOptions } = options;
  const srv = await server({ profile: 'reference', ...serverOptions });
  const practitionerId = 1;
  const patientId = 2;
  const consultationId = srv.createConsultation({ practitionerId, patientId, ...(status ? { status } : {}) });
  const join = (role: Role, userId: number, names: string[] = ['/consultation'], extra: Partial<PeerOptions> = {}) =>
    peer(srv, { userId: String(userId), role, consultationId, namespaces: names, ...extra });
  return {
    server: srv,
    consultationId,
    practitionerId,
    patientId,
    join,
    patient: (names?: string[], extra?: Partial<PeerOptions>) => join('PATIENT', patientId, names, extra),
    practitioner: (names?: string[], extra?: Partial<PeerOptions>) => join('PRACTITIONER', practitionerId, names, extra),
  };
}

/** Every event a socket receives from now on. */
function everything(socket: Socket): [string, any][] {
  const seen: [string, any][] = [];
  socket.onAny((event: string, payload: unknown) => seen.push([event, payload]));
  return seen;
}

/** Emits with an ack; resolves 'no ack' when none comes within `ms`. */
async function ackOrNothing(socket: Socket, event: string, payload: unknown, ms = 300): Promise<unknown> {
  return socket
    .timeout(ms)
    .emitWithAck(event, payload)
    .catch(() => 'no ack');
}

describe('reference profile: namespaces and connection', () => {
  test('/enhanced-consultation does not exist: connect_error "Invalid namespace"; the other three connect', async () => {
    const s = await reference();
    const client = await s.patient(['/consultation', '/chat', '/mediasoup', '/enhanced-consultation'], { connect: false });
    const refused = connected(client.socket('/enhanced-consultation')).catch((error: Error) => error);
    await Promise.all(['/consultation', '/chat', '/mediasoup'].map((name) => connected(client.socket(name))));
    expect(await refused).toMatchObject({ message: 'Invalid namespace' });
    expect(s.server.profile.namespaces).toEqual(['/consultation', '/chat', '/mediasoup']);
    // Fault hooks and broadcasts must not create it behind the scenes.
    s.server.faults.kick(s.patientId, '/enhanced-consultation');
    expect(s.server.io._nsps.has('/enhanced-consultation')).toBe(false);
  });

  test('no connection state recovery: a dropped transport comes back as a fresh session', async () => {
    const s = await reference({ status: 'ACTIVE' });
    const client = await s.patient(['/chat']);
    const chat = client.socket('/chat');
    await sleep(20);
    const reconnected = new Promise<void>((resolve) => client.manager.once('reconnect', () => resolve()));
    const history = next(chat, 'message_history', () => true, 3000);
    expect(s.server.faults.dropTransport(s.patientId)).toBe(1);
    await reconnected;
    await until(() => chat.connected);
    expect(chat.recovered).toBeFalsy();
    await history; // pushed again: a new session
  });

  test('no server_features, no session_sync, no heartbeat on any namespace', async () => {
    const s = await reference({ heartbeatIntervalMs: 20 });
    const client = await s.practitioner(['/consultation', '/chat', '/mediasoup'], { connect: false });
    const seen = ['/consultation', '/chat', '/mediasoup'].map((name) => everything(client.socket(name)));
    await Promise.all(['/consultation', '/chat', '/mediasoup'].map((name) => connected(client.socket(name))));
    await sleep(150);
    const names = seen.flat().map(([event]) => event);
    expect(names).not.toContain('server_features');
    expect(names).not.toContain('session_sync');
    expect(names).not.toContain('heartbeat');
  });

  test('handshake ids must be numbers: otherwise error { message: "Invalid connection parameters." } then disconnect', async () => {
    const s = await reference();
    const client = await peer(s.server, { userId: 'patient-x', role: 'PATIENT', consultationId: s.consultationId, connect: false });
    const socket = client.socket('/consultation');
    const error = next(socket, 'error');
    const gone = next(socket, 'disconnect');
    expect(await error).toEqual({ message: 'Invalid connection parameters.' });
    expect(await gone).toBe('io server disconnect');
    expect(() => s.server.createConsultation({ practitionerId: 'dr-1', patientId: 2 })).toThrow('positive number');
  });

  test('/consultation and /chat check no token; /mediasoup verifies it', async () => {
    const s = await reference();
    const client = await s.patient(['/consultation', '/chat', '/mediasoup'], { token: null, connect: false });
    const refused = connected(client.socket('/mediasoup')).catch((error: Error) => error);
    await connected(client.socket('/consultation'));
    await connected(client.socket('/chat'));
    expect(await refused).toMatchObject({ data: { code: 'socket_error:unauthorized' } });
  });

  test('a second PRACTITIONER (another user) on the same consultation is refused; the same one twice is not', async () => {
    const s = await reference();
    const first = (await s.practitioner()).socket('/consultation');
    const other = await s.join('PRACTITIONER', 7, ['/consultation'], { connect: false });
    const error = next(other.socket('/consultation'), 'error');
    const gone = next(other.socket('/consultation'), 'disconnect');
    expect(await error).toEqual({ message: 'Another practitioner is already connected to this consultation.' });
    expect(await gone).toBe('io server disconnect');
    const again = await s.practitioner();
    expect(again.socket('/consultation').connected).toBe(true);
    expect(first.connected).toBe(true);
  });
});

describe('reference profile: on connect', () => {
  test('a patient connecting while SCHEDULED: WAITING, user_joined + waiting_for_participant to the room, consultation_status_patient with the rating object, patient_waiting to the practitioner', async () => {
    const s = await reference();
    const doctor = (await s.practitioner()).socket('/consultation');
    const waiting = next(doctor, 'patient_waiting');
    const joinedNotice = next(doctor, 'system_message', (m) => m.type === 'user_joined');
    const waitingNotice = next(doctor, 'system_message', (m) => m.type === 'waiting_for_participant');
    const client = await s.patient(['/consultation'], { connect: false });
    const socket = client.socket('/consultation');
    const status = next(socket, 'consultation_status_patient');
    const own = next(socket, 'system_message', (m) => m.type === 'user_joined');
    expect(await status).toEqual({
      status: 'WAITING',
      canJoin: false,
      waitingForDoctor: true,
      scheduledDate: expect.any(String),
      doctorName: expect.any(String),
      rating: { value: 0, color: null, done: false },
    });
    expect(await own).toMatchObject({ userId: s.patientId, role: 'PATIENT' });
    expect(await joinedNotice).toEqual({
      type: 'user_joined',
      userId: s.patientId,
      role: 'PATIENT',
      timestamp: expect.any(String),
      message: expect.any(String),
    });
    expect(await waitingNotice).toEqual({
      type: 'waiting_for_participant',
      userId: s.patientId,
      role: 'PATIENT',
      timestamp: expect.any(String),
      message: expect.any(String),
    });
    expect(await waiting).toEqual({ consultationId: s.consultationId, patientId: s.patientId, message: expect.any(String) });
    expect(s.server.domain.consultations.get(s.consultationId)?.status).toBe('WAITING');
    expect(s.server.contractViolations).toEqual([]);
  });

  test('patient_waiting is debounced per consultation and practitioner (patientWaitingDebounceMs)', async () => {
    const s = await reference({ patientWaitingDebounceMs: 400 });
    const doctor = (await s.practitioner()).socket('/consultation');
    const notices = record(doctor, 'patient_waiting');
    const waitingNotices = record(doctor, 'system_message');
    const first = await s.patient();
    await until(() => notices.length === 1);
    first.close();
    await until(() => s.server.domain.consultations.get(s.consultationId)?.status === 'SCHEDULED');
    const second = await s.patient();
    await until(() => waitingNotices.filter((m) => m.type === 'waiting_for_participant').length === 2);
    await sleep(100);
    expect(notices).toHaveLength(1);
    second.close();
    await until(() => s.server.domain.consultations.get(s.consultationId)?.status === 'SCHEDULED');
    await sleep(400);
    await s.patient();
    await until(() => notices.length === 2);
  });

  test('a practitioner connecting after the patient gets nothing about them; the room gets doctor_joined', async () => {
    const s = await reference();
    const patient = (await s.patient()).socket('/consultation');
    const doctorJoined = next(patient, 'doctor_joined');
    const client = await s.practitioner(['/consultation'], { connect: false });
    const seen = everything(client.socket('/consultation'));
    await connected(client.socket('/consultation'));
    expect(await doctorJoined).toEqual({ consultationId: s.consultationId, practitionerId: s.practitionerId, message: expect.any(String) });
    await sleep(150);
    expect(seen.map(([event, payload]) => `${event}${payload?.type ? `:${payload.type}` : ''}`).sort()).toEqual([
      'doctor_joined',
      'system_message:user_joined',
    ]);
    expect(seen.find(([event]) => event === 'system_message')?.[1]).toMatchObject({ userId: s.practitionerId });
  });

  test('last patient leaving while WAITING: SCHEDULED + consultation_status { status, triggeredBy } without timestamp', async () => {
    const s = await reference();
    const doctor = (await s.practitioner()).socket('/consultation');
    const patient = await s.patient();
    await until(() => s.server.domain.consultations.get(s.consultationId)?.status === 'WAITING');
    const status = next(doctor, 'consultation_status');
    patient.close();
    expect(await status).toEqual({ status: 'SCHEDULED', triggeredBy: 'All patients left' });
    expect(s.server.domain.consultations.get(s.consultationId)?.status).toBe('SCHEDULED');
    expect(s.server.contractViolations).toEqual([]);
  });

  test("a practitioner's disconnect: TERMINATED_OPEN, media_session_closed, consultation_terminated", async () => {
    const s = await reference();
    const doctor = await s.practitioner(['/consultation']);
    const patient = (await s.patient(['/consultation'])).socket('/consultation');
    const admitted = await request(doctor.socket('/consultation'), 'admit_patient', {
      consultationId: s.consultationId,
      patientId: s.patientId,
    });
    expect(admitted).toMatchObject({ success: true });
    const closed = next(patient, 'media_session_closed');
    const terminated = next(patient, 'consultation_terminated');
    doctor.close();
    expect(await closed).toMatchObject({ consultationId: s.consultationId });
    expect(await terminated).toMatchObject({ consultationId: s.consultationId, reason: expect.any(String) });
    expect(s.server.domain.consultations.get(s.consultationId)?.status).toBe('TERMINATED_OPEN');
    expect(s.server.domain.media.hasRouter(s.consultationId)).toBe(false);
  });
});

describe('reference profile: handlers and answers', () => {
  test('ids in payloads are compared strictly: a string id is refused, the number accepted', async () => {
    const s = await reference({ status: 'ACTIVE' });
    const chat = (await s.patient(['/chat'])).socket('/chat');
    const refused = next(chat, 'message_error');
    chat.emit('send_message', { consultationId: String(s.consultationId), userId: s.patientId, content: 'as a string' });
    expect(await refused).toEqual({ error: expect.stringContaining('consultationId'), timestamp: expect.any(String) });
    const refusedUser = next(chat, 'message_error');
    chat.emit('send_message', { consultationId: s.consultationId, userId: String(s.patientId), content: 'as a string' });
    expect((await refusedUser).error).toContain('userId');
    const sent = next(chat, 'new_message');
    chat.emit('send_message', { consultationId: s.consultationId, userId: s.patientId, content: 'as numbers' });
    expect((await sent).message).toMatchObject({ content: 'as numbers', userId: s.patientId });
    expect(s.server.domain.chat.all(s.consultationId)).toHaveLength(1);

    const consultation = (await s.practitioner(['/consultation'])).socket('/consultation');
    const error = next(consultation, 'error');
    consultation.emit('request_consultation_state', { consultationId: String(s.consultationId) });
    expect(await error).toEqual({ message: expect.stringContaining('consultationId') });
    const state = next(consultation, 'consultation_state_update');
    consultation.emit('request_consultation_state', { consultationId: s.consultationId });
    expect(await state).toMatchObject({
      consultationId: s.consultationId,
      status: 'ACTIVE',
      participants: expect.any(Array),
      messages: expect.any(Array),
    });
  });

  test('chat: senderRole null on every message, message_history without limit/offset, duplicate clientUuid → message_error', async () => {
    const s = await reference({ status: 'ACTIVE' });
    const chat = (await s.patient(['/chat'])).socket('/chat');
    const sent = next(chat, 'new_message');
    const payload = { consultationId: s.consultationId, userId: s.patientId, content: 'hello', clientUuid: 'uuid-1' };
    chat.emit('send_message', payload);
    const message = (await sent).message;
    expect(message).toMatchObject({
      senderRole: null,
      userId: s.patientId,
      user: expect.any(Object),
      readReceipts: [],
      clientUuid: 'uuid-1',
    });
    const duplicate = next(chat, 'message_error');
    const echoes = record(chat, 'new_message');
    chat.emit('send_message', payload);
    expect(await duplicate).toEqual({ error: expect.stringContaining('Unique constraint failed'), timestamp: expect.any(String) });
    expect(echoes).toEqual([]);
    expect(s.server.domain.chat.all(s.consultationId)).toHaveLength(1);

    const history = next(chat, 'message_history');
    chat.emit('request_message_history', { consultationId: s.consultationId, limit: 10, offset: 0 });
    const page = await history;
    expect(Object.keys(page).sort()).toEqual(['consultationId', 'hasMore', 'messages', 'timestamp']);
    expect(page.messages.map((m: { senderRole: unknown }) => m.senderRole)).toEqual([null]);
    const other = await s.practitioner(['/chat'], { connect: false });
    const pushed = next(other.socket('/chat'), 'message_history');
    expect(Object.keys(await pushed).sort()).toEqual(['consultationId', 'hasMore', 'messages', 'timestamp']);
    expect(s.server.contractViolations).toEqual([]);
  });

  test('events without a handler there get no answer at all (no ack, no error)', async () => {
    const s = await reference({ status: 'WAITING' });
    const patient = await s.patient(['/consultation', '/chat', '/mediasoup']);
    const doctor = await s.practitioner(['/consultation', '/mediasoup']);
    await sleep(50); // the join notices
    const seen = [patient.socket('/consultation'), doctor.socket('/consultation'), doctor.socket('/mediasoup')].map(everything);
    const cases: [Socket, string, unknown][] = [
      [patient.socket('/consultation'), 'enter_waiting_room', { consultationId: s.consultationId, userId: s.patientId }],
      [patient.socket('/consultation'), 'waiting_room_heartbeat', { waitingRoomSessionId: 'wr-1', patientId: s.patientId }],
      [doctor.socket('/consultation'), 'get_practitioner_waiting_room', { practitionerId: s.practitionerId }],
      [doctor.socket('/consultation'), 'join_practitioner_room', { practitionerId: s.practitionerId }],
      [doctor.socket('/consultation'), 'request_participants', { consultationId: s.consultationId }],
      [doctor.socket('/mediasoup'), 'getProducers', { consultationId: s.consultationId }],
      [doctor.socket('/mediasoup'), 'pauseProducer', { producerId: 'p-1' }],
      [doctor.socket('/mediasoup'), 'restartIce', { transportId: 't-1' }],
    ];
    const answers = await Promise.all(cases.map(([socket, event, payload]) => ackOrNothing(socket, event, payload)));
    expect(answers).toEqual(cases.map(() => 'no ack'));
    expect(seen.flat()).toEqual([]);
    // request_participants exists on /chat.
    const list = next(patient.socket('/chat'), 'participants_list');
    patient.socket('/chat').emit('request_participants', { consultationId: s.consultationId });
    expect((await list).participants.map((p: { userId: unknown }) => p.userId).sort()).toEqual([s.practitionerId, s.patientId]);
  });

  test('/mediasoup failures: error { event, message } and exception { status, message }, no ack; getRouterCapabilities before a router exists fails so', async () => {
    const s = await reference({ status: 'ACTIVE' });
    const socket = (await s.practitioner(['/mediasoup'])).socket('/mediasoup');
    const error = next(socket, 'error');
    const exception = next(socket, 'exception');
    expect(await ackOrNothing(socket, 'getRouterCapabilities', { consultationId: s.consultationId })).toBe('no ack');
    expect(await error).toEqual({ event: 'getRouterCapabilities', message: expect.any(String) });
    expect(await exception).toEqual({ status: 'error', message: expect.any(String) });

    const stringId = next(socket, 'exception');
    expect(await ackOrNothing(socket, 'getRouterCapabilities', { consultationId: String(s.consultationId) })).toBe('no ack');
    expect((await stringId).message).toContain('consultationId');
    expect(s.server.domain.media.hasRouter(s.consultationId)).toBe(false);
  });

  test('admit_patient works (ack); faults.failAdmissions reproduces the reference failure: error { message }, no ack, no change', async () => {
    const s = await reference();
    const doctor = await s.practitioner(['/consultation', '/mediasoup']);
    const patient = (await s.patient(['/consultation'])).socket('/consultation');
    await until(() => s.server.domain.consultations.get(s.consultationId)?.status === 'WAITING');
    const socket = doctor.socket('/consultation');

    s.server.faults.failAdmissions(true);
    const failed = next(socket, 'error');
    expect(await ackOrNothing(socket, 'admit_patient', { consultationId: s.consultationId, patientId: s.patientId })).toBe('no ack');
    expect(await failed).toEqual({ message: 'Failed to admit patient' });
    expect(s.server.domain.consultations.get(s.consultationId)?.status).toBe('WAITING');

    s.server.faults.failAdmissions(false);
    const seen = everything(patient);
    const status = next(patient, 'consultation_status', (e) => e.status === 'ACTIVE');
    const admitted = next(patient, 'patient_admitted');
    expect(await request(socket, 'admit_patient', { consultationId: s.consultationId, patientId: s.patientId })).toMatchObject({
      success: true,
    });
    await status;
    expect((await admitted).patient).toMatchObject({ id: s.patientId });
    // The router opened on admission: media signalling answers by ack now.
    const caps = await request(doctor.socket('/mediasoup'), 'getRouterCapabilities', { consultationId: s.consultationId });
    expect(caps.rtpCapabilities).toMatchObject({ codecs: expect.any(Array) });
    await sleep(50);
    const names = new Set(seen.map(([event]) => event));
    for (const absent of [
      'navigate_to_consultation_room',
      'redirect_to_consultation_room',
      'admitted_to_live_consultation',
      'position-update',
    ]) {
      expect(names.has(absent), absent).toBe(false);
    }
    expect(s.server.contractViolations).toEqual([]);
  });
});

describe('reference profile: every client event of its namespaces', () => {
  for (const name of ['/consultation', '/chat', '/mediasoup']) {
    test(`${name}: a contract sample with numeric ids crashes nothing and breaks no contract`, async () => {
      const errors: unknown[] = [];
      const logger = { debug() {}, info() {}, warn() {}, error: (message: string, details?: unknown) => errors.push([message, details]) };
      const s = await reference({ status: 'ACTIVE', logger, mediaRateLimit: false, chatRateLimit: { max: 1000, windowMs: 1000 } });
      const socket = (await s.practitioner([name])).socket(name);
      const spec = namespaces.find((entry) => entry.name === name)!;
      const ids: Record<string, unknown> = {
        consultationId: s.consultationId,
        userId: s.practitionerId,
        practitionerId: s.practitionerId,
        initiatorUserId: s.practitionerId,
        createdBy: s.practitionerId,
        patientId: s.patientId,
        role: 'PRACTITIONER',
        userRole: 'PRACTITIONER',
        initiatorRole: 'PRACTITIONER',
      };
      for (const event of clientEventNames(spec)) {
        const sample = samplePayload(eventSpec(spec, event)!.payload);
        const payload =
          sample !== null && typeof sample === 'object' && !Array.isArray(sample)
            ? Object.fromEntries(Object.entries(sample).map(([field, value]) => [field, field in ids ? ids[field] : value]))
            : sample;
        if (eventSpec(spec, event)!.ack) await ackOrNothing(socket, event, payload, 200);
        else {
          socket.emit(event, payload);
          await sleep(3);
        }
      }
      await sleep(100);
      expect(errors).toEqual([]);
      expect(s.server.contractViolations).toEqual([]);
      expect(socket.connected).toBe(true);
    });
  }
});
