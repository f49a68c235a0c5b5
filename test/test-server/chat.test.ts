import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, next, record, scenario, sleep, until } from './helpers.js';

afterEach(cleanup);

async function chatPair(options: Parameters<typeof scenario>[0] = {}) {
  const s = await scenario({ status: 'ACTIVE', ...options });
  const patient = (await s.patient(['/chat'])).socket('/chat');
  const doctor = (await s.practitioner(['/chat'])).socket('/chat');
  const send = (socket: typeof patient, userId: string, content: string, clientUuid?: string) =>
    socket.emit('send_message', { consultationId: s.consultationId, userId, content, ...(clientUuid ? { clientUuid } : {}) });
  return { s, patient, doctor, send, messages: () => s.server.domain.chat.all(s.consultationId) };
}

describe('chat', () => {
  test('on connect: history to the newcomer, user_joined_chat to the others', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const doctor = (await s.practitioner(['/chat'])).socket('/chat');
    const joined = next(doctor, 'user_joined_chat');
    s.server.domain.chat.add({
      consultationId: s.consultationId,
      userId: s.practitionerId,
      role: 'PRACTITIONER',
      firstName: 'Dr',
      lastName: 'One',
      content: 'welcome',
    });
    const patient = await s.patient(['/chat'], { connect: false });
    const history = next(patient.socket('/chat'), 'message_history');
    expect(await joined).toMatchObject({ userId: s.patientId, userRole: 'PATIENT', joinType: 'consultation' });
    expect(await history).toMatchObject({ consultationId: s.consultationId, messages: [{ content: 'welcome' }], hasMore: false });
  });

  test('send: everyone gets new_message in the reference and the flattened shape', async () => {
    const { s, patient, doctor, send } = await chatPair();
    const atDoctor = next(doctor, 'new_message');
    const echo = next(patient, 'new_message');
    send(patient, s.patientId, 'hello doctor', 'uuid-1');
    const event = await atDoctor;
    expect(event).toMatchObject({ consultationId: s.consultationId, content: 'hello doctor', senderId: s.patientId, clientUuid: 'uuid-1' });
    expect(event.message).toMatchObject({
      id: event.id,
      content: 'hello doctor',
      userId: s.patientId,
      senderRole: 'PATIENT',
      clientUuid: 'uuid-1',
    });
    expect((await echo).id).toBe(event.id);
  });

  test('a repeated clientUuid echoes the stored message to the sender and never stores twice', async () => {
    const { s, patient, doctor, send, messages } = await chatPair();
    const atDoctor = record(doctor, 'new_message');
    const first = next(patient, 'new_message');
    send(patient, s.patientId, 'once', 'same-uuid');
    const original = await first;
    const retry = next(patient, 'new_message');
    send(patient, s.patientId, 'once', 'same-uuid');
    expect((await retry).id).toBe(original.id);
    await sleep(50);
    expect(messages()).toHaveLength(1);
    expect(atDoctor).toHaveLength(1);
  });

  test('history pages count from the newest: newest last, hasMore', async () => {
    const { s, patient, send } = await chatPair({ chatRateLimit: { max: 100, windowMs: 1000 } });
    for (let i = 1; i <= 7; i++) send(patient, s.patientId, `m${i}`);
    await until(() => s.server.domain.chat.all(s.consultationId).length === 7);
    const page = (limit: number, offset: number) => {
      const answer = next(patient, 'message_history');
      patient.emit('request_message_history', { consultationId: s.consultationId, limit, offset });
      return answer;
    };
    const newest = await page(3, 0);
    expect(newest.messages.map((m: { content: string }) => m.content)).toEqual(['m5', 'm6', 'm7']);
    expect(newest.hasMore).toBe(true);
    const older = await page(3, 3);
    expect(older.messages.map((m: { content: string }) => m.content)).toEqual(['m2', 'm3', 'm4']);
    const oldest = await page(3, 6);
    expect(oldest.messages.map((m: { content: string }) => m.content)).toEqual(['m1']);
    expect(oldest.hasMore).toBe(false);
  });

  test('edit and delete by the author; someone else gets edit_message_error and nothing changes', async () => {
    const { s, patient, doctor, send, messages } = await chatPair();
    const sent = next(patient, 'new_message');
    send(patient, s.patientId, 'draft');
    const { id } = await sent;

    const refused = next(doctor, 'edit_message_error');
    doctor.emit('edit_message', { consultationId: s.consultationId, messageId: id, content: 'hacked' });
    expect(await refused).toMatchObject({ messageId: id, error: expect.stringContaining('author') });
    expect(messages()[0]?.content).toBe('draft');

    const edited = next(doctor, 'message_edited');
    patient.emit('edit_message', { consultationId: s.consultationId, messageId: id, content: 'final' });
    expect((await edited).message).toMatchObject({ id, content: 'final', editedAt: expect.any(String) });

    const deleted = next(doctor, 'message_deleted');
    patient.emit('delete_message', { consultationId: s.consultationId, messageId: id });
    expect((await deleted).message).toMatchObject({ id, deletedAt: expect.any(String) });
    const history = next(patient, 'message_history');
    patient.emit('request_message_history', { consultationId: s.consultationId });
    expect((await history).messages).toEqual([]);

    const missing = next(patient, 'delete_message_error');
    patient.emit('delete_message', { consultationId: s.consultationId, messageId: 999 });
    expect(await missing).toMatchObject({ messageId: 999 });
  });

  test('read receipts: one message, several, all', async () => {
    const { s, patient, doctor, send, messages } = await chatPair();
    for (const text of ['a', 'b', 'c']) send(patient, s.patientId, text);
    await until(() => messages().length === 3);
    const [a, b, c] = messages().map((m) => m.id);

    const read = next(patient, 'message_read');
    doctor.emit('mark_message_read', { consultationId: s.consultationId, messageId: a, userId: s.practitionerId });
    expect(await read).toMatchObject({ messageId: a, userId: s.practitionerId, readAt: expect.any(String) });
    expect(messages()[0]?.readReceipts).toEqual([{ userId: s.practitionerId, readAt: expect.any(String) }]);

    const bulk = next(patient, 'messages_bulk_read');
    doctor.emit('bulk_mark_read', { consultationId: s.consultationId, messageIds: [b] });
    expect(await bulk).toMatchObject({ messageIds: [b], userId: s.practitionerId });
    expect(messages()[1]?.isRead).toBe(true);
    expect(messages()[2]?.isRead).toBe(false);

    const unknown = next(doctor, 'bulk_read_error');
    doctor.emit('bulk_mark_read', { consultationId: s.consultationId, messageIds: [c, 424242] });
    await unknown;
    expect(messages()[2]?.isRead).toBe(false);

    const all = next(patient, 'all_messages_read');
    doctor.emit('mark_all_read', { consultationId: s.consultationId });
    expect(await all).toMatchObject({ userId: s.practitionerId, consultationId: s.consultationId });
    expect(messages().every((m) => m.readReceipts.some((r) => r.userId === s.practitionerId))).toBe(true);
  });

  test('typing: the others see it, get_typing_users lists it, a message or stop clears it', async () => {
    const { s, patient, doctor, send } = await chatPair();
    const typing = next(doctor, 'user_typing');
    const ownEcho = record(patient, 'user_typing');
    patient.emit('start_typing', { consultationId: s.consultationId });
    expect(await typing).toMatchObject({ userId: s.patientId, isTyping: true });

    const list = next(doctor, 'typing_users');
    doctor.emit('get_typing_users', { consultationId: s.consultationId });
    expect((await list).typingUsers).toEqual([{ userId: s.patientId, userName: 'Patient' }]);

    const stopped = next(doctor, 'user_typing', (e) => e.isTyping === false);
    send(patient, s.patientId, 'done typing');
    await stopped;
    expect(s.server.domain.typing.users(s.consultationId)).toEqual([]);
    expect(ownEcho).toEqual([]);

    const indicator = next(patient, 'typing_indicator_updated');
    patient.emit('typing_indicator', { consultationId: s.consultationId, userId: s.patientId, isTyping: true });
    expect(await indicator).toMatchObject({ userId: s.patientId, isTyping: true });
    const off = next(doctor, 'user_typing', (e) => e.isTyping === false);
    patient.emit('stop_typing', { consultationId: s.consultationId });
    await off;
  });

  test('typing expires without a refresh', async () => {
    const { s, patient, doctor } = await chatPair({ typingTimeoutMs: 80 });
    const expired = next(doctor, 'user_typing', (e) => e.isTyping === false);
    patient.emit('start_typing', { consultationId: s.consultationId });
    await expired;
    expect(s.server.domain.typing.users(s.consultationId)).toEqual([]);
  });

  test('rate limit: the 11th message within the window gets message_error and is not stored', async () => {
    const { s, patient, send, messages } = await chatPair();
    const errors = record(patient, 'message_error');
    for (let i = 1; i <= 11; i++) send(patient, s.patientId, `flood ${i}`);
    await until(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ error: expect.stringContaining('Rate limit'), timestamp: expect.any(String) });
    expect(messages()).toHaveLength(10);
  });

  test('messages are shared by /chat and /consultation send_message', async () => {
    const s = await scenario({ status: 'ACTIVE' });
    const chat = (await s.practitioner(['/chat'])).socket('/chat');
    const room = (await s.patient(['/consultation'])).socket('/consultation');
    const received = next(chat, 'new_message');
    room.emit('send_message', { consultationId: s.consultationId, userId: s.patientId, content: 'via consultation' });
    expect(await received).toMatchObject({ content: 'via consultation', senderId: s.patientId });
    expect(s.server.contractViolations).toEqual([]);
  });
});
