import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, next, record, request, scenario, sleep } from './helpers.js';

afterEach(cleanup);

type Scenario = Awaited<ReturnType<typeof scenario>>;

/** A probe of the state an invalid request must leave untouched. */
function snapshot(s: Scenario) {
  const consultation = s.server.domain.consultations.get(s.consultationId)!;
  return JSON.stringify({
    status: consultation.status,
    practitionerId: consultation.practitionerId,
    participants: [...consultation.participants.keys()],
    rating: consultation.rating,
    messages: s.server.domain.chat.all(s.consultationId),
    waiting: s.server.domain.waitingRoom.all(),
    typing: s.server.domain.typing.users(s.consultationId),
    media: s.server.domain.media.stats(),
    invitations: s.server.domain.invitations.all().length,
  });
}

interface Case {
  namespace: string;
  event: string;
  payload: unknown;
  /** The error event expected, or 'ack' for an ack `{ error }`. */
  expect: string;
  as?: 'PATIENT' | 'PRACTITIONER';
}

const cases = (consultationId: number): Case[] => [
  {
    namespace: '/chat',
    event: 'send_message',
    payload: { consultationId, userId: 'patient-1', content: 42 },
    expect: 'message_error',
    as: 'PATIENT',
  },
  { namespace: '/chat', event: 'send_message', payload: 'just a string', expect: 'message_error', as: 'PATIENT' },
  {
    namespace: '/chat',
    event: 'send_message',
    payload: { consultationId, userId: 'patient-1', content: '' },
    expect: 'message_error',
    as: 'PATIENT',
  },
  {
    namespace: '/chat',
    event: 'edit_message',
    payload: { consultationId, messageId: 1, content: { text: 'x' } },
    expect: 'edit_message_error',
    as: 'PATIENT',
  },
  { namespace: '/chat', event: 'request_message_history', payload: { consultationId, limit: -3 }, expect: 'message_history_error' },
  { namespace: '/chat', event: 'bulk_mark_read', payload: { consultationId, messageIds: 'all' }, expect: 'bulk_read_error' },
  { namespace: '/chat', event: 'start_typing', payload: {}, expect: 'error', as: 'PATIENT' },
  { namespace: '/consultation', event: 'admit_patient', payload: { consultationId: { id: 1 } }, expect: 'ack' },
  { namespace: '/consultation', event: 'end_consultation', payload: { consultationId }, expect: 'error' },
  { namespace: '/consultation', event: 'assign_practitioner', payload: { consultationId, practitionerId: true }, expect: 'error' },
  { namespace: '/consultation', event: 'rate_consultation', payload: { consultationId, rating: 11 }, expect: 'error', as: 'PATIENT' },
  {
    namespace: '/consultation',
    event: 'transition_consultation_state',
    payload: { consultationId, newStatus: 'PARTY', initiatorUserId: 'dr-1' },
    expect: 'consultation_state_transition_failed',
  },
  {
    namespace: '/consultation',
    event: 'invite_participant',
    payload: { consultationId, inviteEmail: 'not-an-email', role: 'GUEST', name: 'G' },
    expect: 'error',
  },
  {
    namespace: '/consultation',
    event: 'waiting_room_heartbeat',
    payload: { waitingRoomSessionId: 'wr-1' },
    expect: 'error',
    as: 'PATIENT',
  },
  { namespace: '/consultation', event: 'toggle_audio', payload: { consultationId, userId: 'dr-1', audioEnabled: 'yes' }, expect: 'error' },
  { namespace: '/mediasoup', event: 'createTransport', payload: { consultationId, type: 'sideways' }, expect: 'ack' },
  {
    namespace: '/mediasoup',
    event: 'produce',
    payload: { consultationId, transportId: 't', kind: 'smell', rtpParameters: {} },
    expect: 'ack',
  },
  { namespace: '/mediasoup', event: 'join_via_invite', payload: { token: '' }, expect: 'ack' },
  {
    namespace: '/mediasoup',
    event: 'invite_participant_email',
    payload: { consultationId, inviteEmail: 42, role: 'GUEST' },
    expect: 'error',
  },
  {
    namespace: '/enhanced-consultation',
    event: 'smart_patient_join',
    payload: { consultationId, patientId: 'patient-1' },
    expect: 'error',
    as: 'PATIENT',
  },
  { namespace: '/enhanced-consultation', event: 'activate_consultation', payload: { consultationId }, expect: 'error' },
  {
    namespace: '/consultation',
    event: 'activate_consultation',
    payload: { consultationId, practitionerId: [] },
    expect: 'consultation_activated_response',
  },
  { namespace: '/enhanced-consultation', event: 'join_waiting_room_enhanced', payload: null, expect: 'error', as: 'PATIENT' },
  { namespace: '/enhanced-consultation', event: 'update_connection_quality', payload: { consultationId, packetLoss: -1 }, expect: 'error' },
];

describe('invalid payloads: the contract error for that flow, no state change', () => {
  test('a sample of events in every namespace', async () => {
    const s = await scenario();
    const all = ['/consultation', '/chat', '/mediasoup', '/enhanced-consultation'];
    const sockets = {
      PATIENT: await s.patient(all),
      PRACTITIONER: await s.practitioner(all),
    };
    s.server.domain.chat.add({
      consultationId: s.consultationId,
      userId: s.patientId,
      role: 'PATIENT',
      firstName: 'P',
      lastName: '1',
      content: 'kept',
    });
    await sleep(50);
    const seen = new Set<string>();
    for (const item of cases(s.consultationId)) {
      const socket = sockets[item.as ?? 'PRACTITIONER'].socket(item.namespace);
      const label = `${item.namespace} ${item.event}`;
      const before = snapshot(s);
      if (item.expect === 'ack') {
        const answer = await request<{ error?: string }>(socket, item.event, item.payload);
        expect(answer.error, label).toEqual(expect.stringContaining(item.event));
      } else {
        const error = next(socket, item.expect);
        socket.emit(item.event, item.payload);
        const payload = await error;
        const text = String(payload.error ?? payload.message);
        expect(text.length, label).toBeGreaterThan(0);
        if (item.expect === 'error') expect(payload.event, label).toBe(item.event);
      }
      expect(snapshot(s), label).toBe(before);
      seen.add(item.namespace);
    }
    expect(seen.size).toBe(4);
    expect(s.server.contractViolations).toEqual([]);
  });

  test('/mediasoup failures also emit error { event, message } (reference gateway)', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const socket = (await s.practitioner(['/mediasoup'])).socket('/mediasoup');
    const error = next(socket, 'error');
    const answer = await request(socket, 'connectTransport', { transportId: 'nope', dtlsParameters: {} });
    expect(answer).toEqual({ error: expect.stringContaining('not found'), code: 'not_found' });
    expect(await error).toMatchObject({ event: 'connectTransport', message: expect.stringContaining('not found'), code: 'not_found' });
  });

  test('a handler crash becomes exception { status: "error" }, the server goes on', async () => {
    const s = await scenario({ status: 'ACTIVE', logger: { debug() {}, info() {}, warn() {}, error() {} } });
    const socket = (await s.patient(['/chat'])).socket('/chat');
    const spy = vi.spyOn(s.server.domain.chat, 'page').mockImplementationOnce(() => {
      throw new Error('boom');
    });
    const exception = next(socket, 'exception');
    socket.emit('request_message_history', { consultationId: s.consultationId });
    expect(await exception).toEqual({ status: 'error', message: 'boom' });
    spy.mockRestore();
    const history = next(socket, 'message_history');
    socket.emit('request_message_history', { consultationId: s.consultationId });
    await history;
  });

  test('unknown events are ignored; a packet above maxHttpBufferSize closes that connection only', async () => {
    const s = await scenario({ status: 'ACTIVE', maxHttpBufferSize: 2000 });
    const patient = (await s.patient(['/chat'])).socket('/chat');
    const doctor = (await s.practitioner(['/chat'])).socket('/chat');
    const errors = record(patient, 'error');
    patient.emit('definitely_not_an_event', { x: 1 });
    const closed = next(patient, 'disconnect');
    patient.emit('send_message', { consultationId: s.consultationId, userId: s.patientId, content: 'x'.repeat(5000) });
    expect(await closed).toBe('transport close');
    expect(errors).toEqual([]);
    expect(s.server.domain.chat.all(s.consultationId)).toHaveLength(0);
    const ok = next(doctor, 'new_message');
    doctor.emit('send_message', { consultationId: s.consultationId, userId: s.practitionerId, content: 'still here' });
    await ok;
  });
});
