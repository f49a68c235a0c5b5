/**
 * Payload schemas: samples and real-world payloads parse, a wrong-typed known field fails with a
 * message naming the namespace, the event and the field, schemas are looked up per namespace, and
 * the handshake query is derived per namespace.
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  checkAck,
  checkIncoming,
  checkPayload,
  contract,
  defineNamespace,
  emit,
  eventSpec,
  guardOf,
  handshakeQuery,
  namespaces,
  payloadFields,
  receive,
  samplePayload,
  type NamespaceSpec,
} from '../../src/contract/index.js';
import { toJsonSchema, type JsonSchema } from '../../scripts/docs/schema.js';

const { consultation, chat, mediasoup, enhanced } = contract;

/** Parses, or fails the test with the contract's own message. */
function expectValid(spec: NamespaceSpec, event: string, value: unknown) {
  const result = checkPayload(spec, event, value);
  if (!result.ok) expect.fail(result.message);
  return result.value as Record<string, unknown>;
}
function expectValidAck(spec: NamespaceSpec, event: string, value: unknown) {
  expect(eventSpec(spec, event)?.ack, `${spec.name} ${event} has an ack schema`).toBeDefined();
  const result = checkAck(spec, event, value);
  if (!result.ok) expect.fail(result.message);
  return result.value as Record<string, unknown>;
}
function expectInvalid(result: ReturnType<typeof checkPayload>) {
  if (result.ok) expect.fail(`accepted: ${JSON.stringify(result.value)}`);
  return result;
}

describe('sample payloads', () => {
  test.each(namespaces.map((spec) => [spec.name, spec] as const))('%s: every event sample and ack sample parses', (_, spec) => {
    const failures: string[] = [];
    let checked = 0;
    for (const [event, entry] of Object.entries(spec.events)) {
      const result = checkPayload(spec, event, samplePayload(entry.payload));
      if (!result.ok) failures.push(result.message);
      if (entry.ack) {
        const ack = checkAck(spec, event, samplePayload(entry.ack));
        if (!ack.ok) failures.push(ack.message);
      }
      checked++;
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(Object.keys(spec.events).length);
  });
});

describe('representative real-world payloads', () => {
  const referenceMessage = {
    id: 42,
    userId: 7,
    content: 'Bonjour docteur',
    createdAt: '2025-03-01T10:15:00.000Z',
    editedAt: null,
    isSystem: false,
    senderRole: 'PATIENT',
    consultationId: 12,
    clientUuid: '0b6c4e9e-4a58-4d1c-9f5b-3b0f8f7a2c11',
    mediaUrl: null,
    mediaType: null,
    messageType: 'TEXT',
    fileName: null,
    fileSize: null,
    replyToId: null,
    isRead: false,
    readAt: null,
    deliveryStatus: 'SENT',
    user: { id: 7, firstName: 'Ana', lastName: 'Lopez', role: 'PATIENT' },
    readReceipts: [],
  };

  test('/consultation: reference-backend chat, admission, session and status events', () => {
    const message = expectValid(consultation, 'new_message', {
      message: referenceMessage,
      consultationId: 12,
      timestamp: '2025-03-01T10:15:00.010Z',
    });
    expect((message.message as Record<string, unknown>).user).toEqual(referenceMessage.user);

    // The table's flattened form of the same event.
    expectValid(consultation, 'new_message', { id: 'm-1', senderId: 'u-1', senderName: 'Dr. Who', content: 'Hi', timestamp: 1 });

    expectValid(consultation, 'admit_patient', { consultationId: 12, patientId: 8 });
    expectValid(consultation, 'admit_patient', { consultationId: 12 }); // patientId optional (reference backend)
    expectValidAck(consultation, 'admit_patient', { success: true, consultationId: 12, message: 'Patient admitted' });

    expectValid(consultation, 'session_sync', {
      consultationId: 12,
      userId: 3,
      role: 'PRACTITIONER',
      timestamp: '2025-03-01T10:00:00.000Z',
      message: 'Session synchronized',
    });
    expectValid(consultation, 'consultation_status_patient', {
      status: 'WAITING',
      canJoin: true,
      waitingForDoctor: true,
      scheduledDate: null,
      doctorName: null,
      rating: null,
    });
    expectValid(consultation, 'system_message', {
      type: 'user_joined',
      userId: 3,
      role: 'PRACTITIONER',
      timestamp: '2025-03-01T10:00:00.000Z',
      message: 'Dr. Martin joined the consultation',
    });
    expectValid(consultation, 'exception', { status: 'error', message: 'Forbidden resource' });
    expectValid(consultation, 'waiting_room_heartbeat', { waitingRoomSessionId: 5, patientId: 8 });
    expectValid(consultation, 'patient_admitted', {
      consultationId: 12,
      patient: { id: 8, firstName: 'Ana' },
      transition: { from: 'WAITING', to: 'ACTIVE' },
      navigation: { redirectTo: '/consultation/12' },
      urls: { patient: 'https://example.org/c/12' },
      consultation: { id: 12, status: 'ACTIVE' },
    });
  });

  test('/chat: send with clientUuid, history on connect, joins', () => {
    expectValid(chat, 'send_message', {
      consultationId: 12,
      userId: 7,
      content: 'Hello',
      clientUuid: '0b6c4e9e-4a58-4d1c-9f5b-3b0f8f7a2c11',
      messageType: 'TEXT',
    });
    const history = expectValid(chat, 'message_history', {
      messages: [referenceMessage, { ...referenceMessage, id: 43, content: 'Second' }],
      consultationId: 12,
      hasMore: false,
      timestamp: '2025-03-01T10:15:00.000Z',
    });
    expect(history.messages).toHaveLength(2);
    expectValid(chat, 'user_joined_chat', {
      userId: 3,
      consultationId: 12,
      userRole: 'PRACTITIONER',
      joinType: 'consultation',
      joinedAt: '2025-03-01T10:00:00.000Z',
    });
    expectValid(chat, 'message_read', { messageId: 42, userId: 3, consultationId: 12, readAt: 1740824100000 });
    expectValid(chat, 'user_typing', { consultationId: 12, userId: 7 }); // the /chat row carries no more
  });

  test('/mediasoup: signalling payloads and acks as mediasoup 3.12 sends them', () => {
    expectValid(mediasoup, 'createTransport', { consultationId: 12, type: 'producer' });
    const transport = expectValidAck(mediasoup, 'createTransport', {
      id: 'b7c1d0b4-5d7e-4d2a-9f0e-1a2b3c4d5e6f',
      iceParameters: { usernameFragment: 'abc', password: 'def', iceLite: true },
      iceCandidates: [
        { foundation: 'udpcandidate', priority: 1076302079, ip: '127.0.0.1', protocol: 'udp', port: 40000, type: 'host' },
        {
          foundation: 'tcpcandidate',
          priority: 1076276479,
          ip: '127.0.0.1',
          protocol: 'tcp',
          port: 40001,
          type: 'host',
          tcpType: 'passive',
        },
      ],
      dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] },
    });
    expect((transport.iceCandidates as { ip: string }[])[0]?.ip).toBe('127.0.0.1');
    expectValidAck(mediasoup, 'getRouterCapabilities', { rtpCapabilities: { codecs: [], headerExtensions: [] } });
    expectValidAck(mediasoup, 'connectTransport', { connected: true });
    expectValid(mediasoup, 'produce', {
      consultationId: 12,
      transportId: 't-1',
      kind: 'video',
      rtpParameters: { codecs: [], encodings: [{ ssrc: 1111 }] },
    });
    expectValidAck(mediasoup, 'produce', { id: 'p-1' });
    expectValidAck(mediasoup, 'consume', { id: 'c-1', producerId: 'p-1', kind: 'audio', rtpParameters: {}, type: 'simple' });
    expectValidAck(mediasoup, 'join_via_invite', { success: true, consultationId: 12, role: 'EXPERT' });
    expectValid(mediasoup, 'newProducer', { producerId: 'p-2', userId: 9, kind: 'audio', consultationId: 12 });
  });

  test('/enhanced-consultation: smart join, positions, live admission', () => {
    expectValid(enhanced, 'smart_patient_join', { consultationId: 12, patientId: 8, joinType: 'magic-link' });
    expectValid(enhanced, 'position-update', { patientId: 8, position: 2, timestamp: 1, estimatedWaitTime: 240 });
    expectValid(enhanced, 'waiting_room_joined', {
      success: true,
      message: 'You are in the waiting room',
      waitingRoomSession: { id: 5, consultationId: 12, patientId: 8, position: 1, estimatedWaitTime: 120 },
    });
    expectValid(enhanced, 'error', { message: 'Consultation not found', timestamp: '2025-03-01T10:00:00.000Z' });
    expectValid(enhanced, 'admit_patient', { consultationId: 12, patientId: 8, welcomeMessage: 'Welcome' });
  });

  test('unknown extra fields are kept, at the top level and inside entities', () => {
    const value = expectValid(consultation, 'new_message', {
      message: { ...referenceMessage, reactions: ['👍'] },
      consultationId: 12,
      timestamp: 1,
      serverVersion: '2.4.0',
    });
    expect(value.serverVersion).toBe('2.4.0');
    expect((value.message as Record<string, unknown>).reactions).toEqual(['👍']);
    const ack = expectValidAck(mediasoup, 'createTransport', {
      ...(samplePayload(eventSpec(mediasoup, 'createTransport')!.ack!) as object),
      sctpParameters: { port: 5000 },
    });
    expect(ack.sctpParameters).toEqual({ port: 5000 });
  });

  test('known values outside the enumerations, and broken shapes, are rejected', () => {
    expect(
      expectInvalid(
        checkPayload(consultation, 'session_sync', {
          consultationId: 12,
          userId: 3,
          role: 'DOCTOR',
          timestamp: 1,
          message: 'x',
        }),
      ).message,
    ).toMatch(/^\/consultation session_sync: role: /);
    expect(expectInvalid(checkPayload(mediasoup, 'createTransport', { consultationId: 12, type: 'sideways' })).message).toMatch(
      /^\/mediasoup createTransport: type: /,
    );
    // A message event must carry a message, nested or flattened.
    expect(expectInvalid(checkPayload(chat, 'new_message', { consultationId: 12, timestamp: 1 })).message).toContain(
      'either `message` or a flattened message',
    );
    expect(checkAck(mediasoup, 'connectTransport', { connected: false }).ok).toBe(false);
    expect(checkAck(mediasoup, 'createTransport', { id: 't-1' }).ok).toBe(false);
    // Not an object at all.
    expect(expectInvalid(checkPayload(chat, 'send_message', 'hello')).message).toMatch(/^\/chat send_message: \(payload\): /);
  });
});

/**
 * Exactly what the reference backend sends (docs/upstream/reference-backend.md: measured on the
 * wire or read in its emitting code). Each one is accepted with no drift, on the guard's path (the
 * very object, no copy), and by the strict `checkPayload` too.
 */
describe('reference backend payloads (reference-backend.md)', () => {
  /** A chat message as the reference backend stores and sends it: `senderRole` is always null. */
  const storedMessage = {
    id: 42,
    consultationId: 12,
    userId: 7,
    content: 'Bonjour docteur',
    messageType: 'TEXT',
    senderRole: null,
    clientUuid: '0b6c4e9e-4a58-4d1c-9f5b-3b0f8f7a2c11',
    isSystem: false,
    mediaUrl: null,
    mediaType: null,
    fileName: null,
    fileSize: null,
    replyToId: null,
    editedAt: null,
    deletedAt: null,
    createdAt: '2025-09-26T10:15:00.000Z',
    user: { id: 7, firstName: 'Ana', lastName: 'Lopez', role: 'PATIENT' },
    readReceipts: [],
  };

  const cases: [NamespaceSpec, string, Record<string, unknown>][] = [
    // Chat messages: senderRole null everywhere.
    [chat, 'new_message', { message: storedMessage, consultationId: 12, timestamp: '2025-09-26T10:15:00.010Z' }],
    [consultation, 'new_message', { message: storedMessage, consultationId: 12, timestamp: '2025-09-26T10:15:00.010Z' }],
    [
      chat,
      'message_history',
      {
        messages: [
          storedMessage,
          { ...storedMessage, id: 43, content: 'Second', readReceipts: [{ userId: 3, readAt: '2025-09-26T10:16:00.000Z' }] },
        ],
        consultationId: 12,
        hasMore: false,
        timestamp: '2025-09-26T10:15:00.000Z',
      },
    ],
    [
      chat,
      'message_edited',
      {
        message: { ...storedMessage, content: 'Edited', editedAt: '2025-09-26T10:17:00.000Z' },
        consultationId: 12,
        timestamp: '2025-09-26T10:17:00.000Z',
      },
    ],
    [
      chat,
      'user_joined_chat',
      { userId: 3, consultationId: 12, userRole: 'PRACTITIONER', joinType: 'consultation', joinedAt: '2025-09-26T10:00:00.000Z' },
    ],
    // consultation_status without timestamp, on two paths.
    [consultation, 'consultation_status', { status: 'SCHEDULED', triggeredBy: 8 }],
    [consultation, 'consultation_status', { status: 'ACTIVE', initiatedBy: 'PRACTITIONER' }],
    [
      consultation,
      'consultation_status',
      { status: 'WAITING', participantCount: 1, triggeredBy: 8, timestamp: '2025-09-26T10:00:00.000Z' },
    ],
    // patient_waiting: on connect, and from the REST patient-join path.
    [consultation, 'patient_waiting', { consultationId: 12, patientId: 8, message: 'Patient is waiting' }],
    [
      consultation,
      'patient_waiting',
      { consultationId: 12, patientFirstName: 'Ana', joinTime: '2025-09-26T10:00:00.000Z', language: 'fr' },
    ],
    // consultation_ended without deletionScheduledAt / retentionHours.
    [consultation, 'consultation_ended', { status: 'COMPLETED', action: 'close', terminatedBy: 3 }],
    [
      consultation,
      'consultation_ended',
      { status: 'COMPLETED', action: 'close', terminatedBy: 3, deletionScheduledAt: null, retentionHours: null, consultationId: 12 },
    ],
    // consultation_status_patient on connect (rating an object, doctorName '') and after end_consultation.
    [
      consultation,
      'consultation_status_patient',
      {
        status: 'WAITING',
        canJoin: true,
        waitingForDoctor: true,
        scheduledDate: null,
        doctorName: '',
        rating: { value: 0, color: null, done: false },
      },
    ],
    [
      consultation,
      'consultation_status_patient',
      {
        status: 'ACTIVE',
        canJoin: true,
        waitingForDoctor: false,
        scheduledDate: '2025-09-26T10:00:00.000Z',
        doctorName: 'Dr. Martin',
        rating: { value: 4, color: 'green', done: true },
      },
    ],
    [consultation, 'consultation_status_patient', { status: 'COMPLETED', canJoin: false, waitingForDoctor: false, showRating: true }],
    // system_message on /consultation: joins, leaves, waiting.
    ...(['user_joined', 'user_left', 'waiting_for_participant'] as const).map((type): [NamespaceSpec, string, Record<string, unknown>] => [
      consultation,
      'system_message',
      { type, userId: 8, role: 'PATIENT', timestamp: '2025-09-26T10:00:00.000Z', message: `Patient ${type}` },
    ]),
    [consultation, 'doctor_joined', { consultationId: 12, practitionerId: 3, message: 'Doctor joined' }],
    [consultation, 'error', { message: 'Invalid connection parameters.' }],
    [consultation, 'error', { message: 'Failed to admit patient' }],
    // Sent by the /consultation gateway, not in the table (extensions).
    [
      consultation,
      'media_session_initialization_failed',
      { error: 'Cannot read properties of undefined', timestamp: '2025-09-26T10:00:00.000Z' },
    ],
    [
      consultation,
      'patient_admitted_to_consultation',
      {
        consultationId: 12,
        message: 'Patient has been admitted - redirecting to consultation room',
        redirectTo: 'consultation-room',
        capabilities: ['chat', 'voice', 'video', 'screen-share'],
        timestamp: '2025-09-26T10:00:00.000Z',
      },
    ],
    [
      consultation,
      'consultation_state_changed',
      {
        consultationId: 12,
        previousStatus: 'WAITING',
        newStatus: 'ACTIVE',
        changedBy: 3,
        changedAt: '2025-09-26T10:00:00.000Z',
        participants: [
          { userId: 8, role: 'PATIENT', isActive: true },
          { userId: 3, role: 'PRACTITIONER', isActive: true },
        ],
      },
    ],
    // /mediasoup failures: error and exception, no ack.
    [mediasoup, 'error', { event: 'getRouterCapabilities', message: 'No router for this consultation' }],
    [mediasoup, 'exception', { status: 'error', message: 'Internal server error' }],
  ];

  test.each(
    cases.map(([spec, event, value]) => [`${spec.name} ${event} ${JSON.stringify(value).slice(0, 60)}`, spec, event, value] as const),
  )('%s', (_, spec, event, value) => {
    const incoming = checkIncoming(spec, event, value);
    if (!incoming.ok) expect.fail(incoming.message);
    expect(incoming.drift, incoming.drift && incoming.message).toBeUndefined();
    expect(incoming.value).toBe(value); // the payload itself: the guard's path, no copy
    expect(guardOf(eventSpec(spec, event)!.payload)!(value)).toBe(true);
    expect(checkPayload(spec, event, value).ok).toBe(true);
  });

  test('the three /consultation events the table lacks are documented extensions there', () => {
    for (const event of ['media_session_initialization_failed', 'patient_admitted_to_consultation', 'consultation_state_changed']) {
      expect(eventSpec(consultation, event)?.extension, event).toMatch(/reference backend/);
      expect(eventSpec(consultation, event)?.direction, event).toBe('receive');
    }
    expect(eventSpec(consultation, 'initialize_media_session')?.errors).toContain('media_session_initialization_failed');
    expect(eventSpec(mediasoup, 'exception')?.extension).toMatch(/mediasoup gateway/);
  });
});

// ---- Wrong-typed fields, generically ----------------------------------------------------------

type JsonType = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';

/** The JSON types a field schema accepts, or undefined when it accepts anything (no concrete type). */
function acceptedTypes(schema: JsonSchema): Set<JsonType> | undefined {
  const members = schema.anyOf ?? schema.oneOf;
  if (members) {
    const all = new Set<JsonType>();
    for (const member of members) {
      const types = acceptedTypes(member);
      if (!types) return undefined;
      for (const type of types) all.add(type);
    }
    return all;
  }
  const values = schema.enum ?? (schema.const !== undefined ? [schema.const] : undefined);
  if (values) return new Set(values.map((value) => jsonTypeOf(value)));
  if (schema.type === undefined) return undefined;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return new Set(types.map((type) => (type === 'integer' ? 'number' : type) as JsonType));
}

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

const WRONG_VALUES: unknown[] = ['wrong-type', 12.5, true, ['wrong-type'], { wrong: 'type' }, null];

/** A value of a JSON type the field does not accept. */
const wrongValueFor = (accepted: Set<JsonType>) => WRONG_VALUES.find((value) => !accepted.has(jsonTypeOf(value)));

describe('a wrong-typed known field', () => {
  test('fails for every event of every namespace, naming the namespace, the event and the field', () => {
    const failures: string[] = [];
    let checked = 0;
    for (const spec of namespaces) {
      for (const [event, entry] of Object.entries(spec.events)) {
        const sample = samplePayload(entry.payload) as Record<string, unknown>;
        for (const field of payloadFields(entry.payload)) {
          const accepted = acceptedTypes(toJsonSchema(field.schema));
          if (!accepted) continue; // `unknown` fields take anything
          const wrong = wrongValueFor(accepted);
          if (wrong === undefined) continue;
          checked++;
          const label = `${spec.name} ${event}.${field.name} = ${JSON.stringify(wrong)}`;
          const result = checkPayload(spec, event, { ...sample, [field.name]: wrong });
          if (result.ok) {
            failures.push(`${label}: accepted`);
            continue;
          }
          if (!result.message.startsWith(`${spec.name} ${event}: `)) failures.push(`${label}: message "${result.message}"`);
          if (!result.issues.some((issue) => issue.path === field.name || issue.path.startsWith(`${field.name}.`))) {
            failures.push(`${label}: no issue at the field (${JSON.stringify(result.issues)})`);
          }
          if (!result.message.includes(`${field.name}: `)) failures.push(`${label}: message "${result.message}" does not name the field`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Hundreds of fields across 363 events: the loop above did check them.
    expect(checked).toBeGreaterThan(1000);
  });

  test('the message reads well', () => {
    const result = expectInvalid(checkPayload(chat, 'send_message', { consultationId: 12, userId: 7, content: 42 }));
    expect(result.message).toBe('/chat send_message: content: Invalid input: expected string, received number');
    expect(result.issues).toEqual([{ path: 'content', message: 'Invalid input: expected string, received number' }]);
  });

  test("fields of the payload are found (payloadFields), with the table's optional marks", () => {
    const fields = payloadFields(eventSpec(chat, 'request_message_history')!.payload);
    expect(fields.map(({ name, required }) => ({ name, required }))).toEqual([
      { name: 'consultationId', required: true },
      { name: 'limit', required: false },
      { name: 'offset', required: false },
    ]);
  });
});

// ---- Per namespace -----------------------------------------------------------------------------

describe('schemas are per namespace', () => {
  test('an event of one namespace is not an event of another', () => {
    const typing = { consultationId: 12, userId: 7, isTyping: true };
    expectValid(consultation, 'typing', typing);
    expect(expectInvalid(checkPayload(chat, 'typing', typing)).message).toBe('/chat typing: not an event of this namespace');

    const historyError = { error: 'boom', timestamp: 1 };
    expectValid(chat, 'message_history_error', historyError);
    expect(checkPayload(consultation, 'message_history_error', historyError).ok).toBe(false);

    expect(eventSpec(mediasoup, 'getProducers')).toBeDefined();
    expect(eventSpec(consultation, 'getProducers')).toBeUndefined();
    expect(eventSpec(consultation, 'toString')).toBeUndefined(); // no prototype lookups
  });

  test('the same name can be specified differently: `error` is an extension on /mediasoup only', () => {
    expect(eventSpec(mediasoup, 'error')?.extension).toMatch(/mediasoup gateway/);
    for (const spec of [consultation, chat, enhanced]) expect(eventSpec(spec, 'error')?.extension, spec.name).toBeUndefined();
  });

  test("the same name with the same payload fails with each namespace's own label", () => {
    const bad = { consultationId: 12, userId: 7, isTyping: 'yes' };
    expect(expectInvalid(checkPayload(consultation, 'user_typing', bad)).message).toMatch(/^\/consultation user_typing: isTyping: /);
    expect(expectInvalid(checkPayload(chat, 'user_typing', bad)).message).toMatch(/^\/chat user_typing: isTyping: /);
  });

  test('checkPayload uses the schema of the namespace it is given', () => {
    // Two namespaces that give one event name different payloads, as the table may.
    const a = defineNamespace({
      name: '/a',
      handshake: [],
      events: { update: receive(z.looseObject({ count: z.number() })) },
    });
    const b = defineNamespace({
      name: '/b',
      handshake: [],
      events: { update: emit(z.looseObject({ label: z.string() })) },
    });
    expect(checkPayload(a, 'update', { count: 1 }).ok).toBe(true);
    expect(checkPayload(b, 'update', { count: 1 }).ok).toBe(false);
    expect(checkPayload(b, 'update', { label: 'x' }).ok).toBe(true);
    expect(checkPayload(a, 'update', { label: 'x' }).ok).toBe(false);
  });
});

describe('handshakeQuery', () => {
  const identity = { consultationId: 12, userId: 7, role: 'PRACTITIONER' };

  test('gives each namespace the keys its gateway reads (reference-backend.md)', () => {
    expect(handshakeQuery(identity, [consultation])).toEqual({ consultationId: '12', userId: '7', role: 'PRACTITIONER' });
    expect(handshakeQuery(identity, [chat])).toEqual({
      consultationId: '12',
      userId: '7',
      userRole: 'PRACTITIONER',
      joinType: 'consultation',
    });
    expect(handshakeQuery(identity, [mediasoup])).toEqual({ consultationId: '12', userId: '7' });
    expect(handshakeQuery({ ...identity, joinType: 'magic-link' }, [chat]).joinType).toBe('magic-link');
  });

  test('one connection sends the union of the keys, all strings', () => {
    const query = handshakeQuery(identity);
    expect(Object.keys(query).sort()).toEqual(['consultationId', 'joinType', 'role', 'userId', 'userRole']);
    const union = new Set(namespaces.flatMap((spec) => spec.handshake));
    expect(new Set(Object.keys(query))).toEqual(union);
    for (const value of Object.values(query)) expect(typeof value).toBe('string');
  });

  test('never contains a token, whatever the identity carries', () => {
    const withSecrets = { ...identity, token: 'secret-jwt', accessToken: 'secret-jwt', auth: { token: 'secret-jwt' } };
    for (const specs of [namespaces, [consultation], [chat], [mediasoup], [enhanced]]) {
      const query = handshakeQuery(withSecrets, specs);
      expect(Object.keys(query).some((key) => /token|auth/i.test(key))).toBe(false);
      expect(JSON.stringify(query)).not.toContain('secret-jwt');
    }
  });
});
