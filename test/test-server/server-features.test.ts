import { afterEach, describe, expect, test, vi } from 'vitest';
import { SERVER_FEATURES } from '../../src/contract/index.js';
import { cleanup, connected, next, peer, request, scenario, sleep } from './helpers.js';

afterEach(cleanup);

const ALL = ['/consultation', '/chat', '/mediasoup', '/enhanced-consultation'];

describe('full profile: server_features', () => {
  test('the first event of every namespace connection announces every extension', async () => {
    const s = await scenario({ status: 'WAITING' });
    for (const role of ['PATIENT', 'PRACTITIONER'] as const) {
      const client = await peer(s.server, {
        userId: role === 'PATIENT' ? s.patientId : s.practitionerId,
        role,
        consultationId: s.consultationId,
        namespaces: ALL,
        connect: false,
      });
      const seen = ALL.map((name) => {
        const events: [string, unknown][] = [];
        client.socket(name).onAny((event: string, payload: unknown) => events.push([event, payload]));
        return events;
      });
      await Promise.all(ALL.map((name) => connected(client.socket(name))));
      await sleep(50);
      for (const [index, events] of seen.entries()) {
        expect(events[0], `${role} ${ALL[index]}`).toEqual(['server_features', { features: [...SERVER_FEATURES] }]);
        expect(
          events.filter(([event]) => event === 'server_features'),
          `${role} ${ALL[index]}`,
        ).toHaveLength(1);
      }
      // Other events did follow (session_sync, message_history, waiting notices, ...).
      expect(seen[0]!.length).toBeGreaterThan(1);
    }
    expect(s.server.profile.name).toBe('full');
    expect(s.server.contractViolations).toEqual([]);
  });

  test('a refused connection gets it first too, then error { code } and the disconnect', async () => {
    const s = await scenario();
    const client = await peer(s.server, {
      userId: s.patientId,
      role: 'PATIENT',
      consultationId: 999,
      namespaces: ['/chat'],
      connect: false,
    });
    const events: [string, any][] = [];
    client.socket('/chat').onAny((event: string, payload: unknown) => events.push([event, payload]));
    await next(client.socket('/chat'), 'disconnect');
    expect(events.map(([event]) => event)).toEqual(['server_features', 'error']);
    expect(events[1]![1]).toMatchObject({ message: expect.stringContaining('not found'), code: 'not_found' });
  });
});

describe('full profile: failures carry their code', () => {
  test('ack { error, code }: invalid_payload, the DomainError code, internal_error', async () => {
    const s = await scenario({ status: 'ACTIVE', logger: { debug() {}, info() {}, warn() {}, error() {} } });
    const doctor = (await s.practitioner(['/consultation', '/mediasoup'])).socket('/consultation');
    expect(await request(doctor, 'admit_patient', { consultationId: { id: 1 } })).toEqual({
      error: expect.stringContaining('admit_patient'),
      code: 'invalid_payload',
    });
    expect(await request(doctor, 'admit_patient', { consultationId: 999 })).toEqual({
      error: expect.stringContaining('not found'),
      code: 'not_found',
    });
    expect(await request(doctor, 'join_via_invite', { token: 'nope' })).toEqual({ error: 'Invalid invitation token', code: 'not_found' });
    const spy = vi.spyOn(s.server.domain.waitingRoom, 'queueOf').mockImplementationOnce(() => {
      throw new Error('boom');
    });
    expect(await request(doctor, 'get_waiting_room_stats', { practitionerId: s.practitionerId })).toEqual({
      error: 'boom',
      code: 'internal_error',
    });
    spy.mockRestore();
  });

  test('error { event, message, timestamp, code } when no ack was asked for', async () => {
    const s = await scenario();
    const patient = (await s.patient()).socket('/consultation');
    const refused = next(patient, 'error');
    patient.emit('assign_practitioner', { consultationId: s.consultationId, practitionerId: s.patientId });
    expect(await refused).toEqual({
      event: 'assign_practitioner',
      message: expect.stringContaining('PRACTITIONER'),
      timestamp: expect.any(String),
      code: 'forbidden',
    });
    const invalid = next(patient, 'error');
    patient.emit('end_consultation', { consultationId: true });
    expect(await invalid).toMatchObject({ event: 'end_consultation', code: 'invalid_payload' });
    expect(s.server.contractViolations).toEqual([]);
  });
});
