/**
 * Receive validation that never drops usable data (checkIncoming): liberal in what the SDK accepts
 * (null for optional fields, breaks outside what it depends on delivered as drift), strict in what
 * it sends (checkPayload, client→server schemas).
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { ZodMiniType } from 'zod/mini';
import {
  checkIncoming,
  checkPayload,
  contract,
  defineNamespace,
  eventSpec,
  guardOf,
  namespaces,
  receive,
  requiredSchemaOf,
  samplePayload,
  type EventSpec,
  type IncomingCheck,
  type NamespaceSpec,
} from '../../src/contract/index.js';

const { consultation, chat, mediasoup } = contract;

const message = {
  id: 42,
  consultationId: 12,
  userId: 7,
  content: 'Bonjour docteur',
  senderRole: null,
  messageType: 'TEXT',
  createdAt: '2025-09-26T10:15:00.000Z',
  user: { id: 7, firstName: 'Ana' },
  readReceipts: [],
};

function delivered(result: IncomingCheck) {
  if (!result.ok) return expect.fail(`refused: ${result.message}`);
  if (!result.drift) return expect.fail('delivered with no drift');
  return result as Extract<IncomingCheck, { drift: unknown[] }> & { value: Record<string, unknown> };
}
function refused(result: IncomingCheck) {
  if (result.ok) return expect.fail(`delivered: ${JSON.stringify(result.value)}`);
  return result;
}
const driftPaths = (result: { drift: { path: string }[] }) => result.drift.map((issue) => issue.path);

describe('a payload broken only outside what the SDK depends on is delivered, with drift', () => {
  test('new_message with an unknown senderRole: delivered without it, the path named', () => {
    const value = { message: { ...message, senderRole: 'DOCTOR' }, consultationId: 12, timestamp: 1 };
    const result = delivered(checkIncoming(chat, 'new_message', value));
    expect(driftPaths(result)).toEqual(['message.senderRole']);
    expect(result.message).toMatch(/^\/chat new_message: delivered, drift: message\.senderRole: /);
    const delivered_ = result.value.message as Record<string, unknown>;
    expect(delivered_).not.toHaveProperty('senderRole');
    expect(delivered_).toMatchObject({ id: 42, content: 'Bonjour docteur', user: message.user });
    expect(delivered_.user).toBe(message.user); // untouched parts are shared, not copied
    expect(value.message.senderRole).toBe('DOCTOR'); // the received object is not modified
    // What the SDK sends (and the test server checks) stays strict: the same payload is refused there.
    expect(checkPayload(chat, 'new_message', value).ok).toBe(false);
  });

  test('message_history with one broken, non-required field of one message: every message delivered', () => {
    const value = { messages: [message, { ...message, id: 43, user: 'Ana' }], consultationId: 12, hasMore: false, timestamp: 1 };
    const result = delivered(checkIncoming(chat, 'message_history', value));
    expect(driftPaths(result)).toEqual(['messages.1.user']);
    const messages = result.value.messages as Record<string, unknown>[];
    expect(messages.map((m) => m.id)).toEqual([42, 43]);
    expect(messages[0]).toBe(message);
    expect(messages[1]).not.toHaveProperty('user');
  });

  test('consultation_status_patient with a wrong doctorName and an unknown rating: status delivered', () => {
    const result = delivered(
      checkIncoming(consultation, 'consultation_status_patient', {
        status: 'ACTIVE',
        canJoin: true,
        waitingForDoctor: false,
        doctorName: 42,
        rating: 'five stars',
      }),
    );
    expect(driftPaths(result).sort()).toEqual(['doctorName', 'rating']);
    expect(result.value).toEqual({ status: 'ACTIVE', canJoin: true, waitingForDoctor: false });
  });

  test('a field the schema requires but the SDK does not depend on may be missing (consultation_ended without action)', () => {
    const result = delivered(checkIncoming(consultation, 'consultation_ended', { status: 'COMPLETED', terminatedBy: 3 }));
    expect(driftPaths(result)).toEqual(['action']);
    expect(result.value).toEqual({ status: 'COMPLETED', terminatedBy: 3 });
  });

  test('an element of a list the SDK reads is kept when only its contents drift; extra fields are kept', () => {
    const result = delivered(
      checkIncoming(consultation, 'participants_list', {
        consultationId: 12,
        timestamp: 1,
        participants: [
          { userId: 8, role: 'PATIENT' },
          { userId: 3, role: 'DOCTOR', extra: true },
        ],
        serverVersion: '2.4',
      }),
    );
    expect(driftPaths(result)).toEqual(['participants.1.role']);
    expect(result.value.participants).toEqual([
      { userId: 8, role: 'PATIENT' },
      { userId: 3, extra: true },
    ]);
    expect(result.value.serverVersion).toBe('2.4');
  });

  test('events that declare nothing: any object is delivered, every broken field named', () => {
    const result = delivered(checkIncoming(consultation, 'media_session_live', { consultationId: 12, mediasoupReady: 'yes' }));
    expect(driftPaths(result).sort()).toEqual(['mediasoupReady', 'timestamp']);
    expect(result.value).toEqual({ consultationId: 12 });
  });

  test('the flattened form of a message event is its own way to carry id and content', () => {
    const result = delivered(checkIncoming(chat, 'new_message', { message: 'broken', id: 'm-1', content: 'Hi' }));
    expect(driftPaths(result)).toEqual(['message']);
    expect(result.value).toEqual({ id: 'm-1', content: 'Hi' });
  });
});

describe('a payload that lacks what the SDK depends on is refused', () => {
  const cases: [NamespaceSpec, string, unknown, string][] = [
    [chat, 'new_message', { message: { ...message, content: undefined }, consultationId: 12 }, 'message.content'],
    [chat, 'new_message', { consultationId: 12, timestamp: 1 }, '(payload)'],
    [chat, 'message_history', { messages: [message, { ...message, id: undefined }], consultationId: 12, timestamp: 1 }, 'messages.1.id'],
    [chat, 'message_history', { consultationId: 12, timestamp: 1 }, 'messages'],
    [chat, 'message_deleted', { message: { content: 'x' }, consultationId: 12, timestamp: 1 }, 'message.id'],
    [chat, 'message_read', { messageId: 42, consultationId: 12, readAt: 1 }, 'userId'],
    [consultation, 'consultation_status', { triggeredBy: 8 }, 'status'],
    [consultation, 'consultation_status', { status: 'PAUSED', triggeredBy: 8 }, 'status'],
    [consultation, 'patient_waiting', { patientFirstName: 'Ana', joinTime: 1, language: 'fr' }, 'consultationId'],
    [consultation, 'participants_list', { consultationId: 12, timestamp: 1, participants: [{ userId: 8 }, 'Ana'] }, 'participants.1'],
    [mediasoup, 'newProducer', { userId: 9, kind: 'audio', consultationId: 12 }, 'producerId'],
    [consultation, 'media_session_live', 'ready', '(payload)'],
    [consultation, 'media_session_live', null, '(payload)'],
  ];
  test.each(cases.map(([spec, event, value, path]) => [`${spec.name} ${event} (${path})`, spec, event, value, path] as const))(
    '%s',
    (_, spec, event, value, path) => {
      const result = refused(checkIncoming(spec, event, value));
      expect(result.issues.map((issue) => issue.path)).toContain(path);
      // Refused exactly as checkPayload refuses it.
      expect(checkPayload(spec, event, value)).toEqual(result);
    },
  );

  test('an event the namespace does not have', () => {
    expect(refused(checkIncoming(chat, 'typing', {})).message).toBe('/chat typing: not an event of this namespace');
  });
});

describe('optional fields: null accepted on receive, never sent', () => {
  test('null in optional fields of received payloads is no drift', () => {
    const value = { status: 'ACTIVE', participantCount: null, triggeredBy: null, initiatedBy: null, timestamp: null };
    const result = checkIncoming(consultation, 'consultation_status', value);
    expect(result).toEqual({ ok: true, value });
    const flattened = { id: 1, content: 'x', message: null, senderName: null };
    expect(checkIncoming(chat, 'new_message', flattened)).toEqual({ ok: true, value: flattened });
  });

  test('client→server payloads refuse null where a field is optional', () => {
    expect(checkPayload(chat, 'request_message_history', { consultationId: 12, limit: null }).ok).toBe(false);
    expect(checkPayload(chat, 'send_message', { consultationId: 12, userId: 7, content: 'Hi', clientUuid: null }).ok).toBe(false);
    expect(checkPayload(chat, 'user_typing', { consultationId: 12, userId: 7, isTyping: null }).ok).toBe(false);
    expect(checkPayload(consultation, 'admit_patient', { consultationId: 12, patientId: null }).ok).toBe(false);
  });

  /** Optional object fields anywhere in a schema (through arrays, unions, wrappers), with their paths. */
  function optionalFields(schema: ZodMiniType, path = '', seen = new Set<ZodMiniType>()): { path: string; field: ZodMiniType }[] {
    if (seen.has(schema)) return [];
    seen.add(schema);
    const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def as {
      type: string;
      shape?: Record<string, ZodMiniType>;
      innerType?: ZodMiniType;
      element?: ZodMiniType;
      options?: ZodMiniType[];
    };
    switch (def.type) {
      case 'object':
        return Object.entries(def.shape!).flatMap(([key, field]) => {
          const at = path ? `${path}.${key}` : key;
          const own = (field as unknown as { _zod: { def: { type: string } } })._zod.def.type === 'optional' ? [{ path: at, field }] : [];
          return [...own, ...optionalFields(field, at, seen)];
        });
      case 'optional':
      case 'nullable':
        return optionalFields(def.innerType!, path, seen);
      case 'array':
        return optionalFields(def.element!, `${path}[]`, seen);
      case 'union':
        return def.options!.flatMap((option) => optionalFields(option, path, seen));
      default:
        return [];
    }
  }

  const schemasOf = (accept: (entry: EventSpec) => boolean, withAcks: boolean) =>
    namespaces.flatMap((spec) =>
      Object.entries(spec.events).flatMap(([event, entry]) => [
        ...(accept(entry) ? [{ label: `${spec.name} ${event}`, schema: entry.payload }] : []),
        ...(withAcks && entry.ack ? [{ label: `${spec.name} ${event} (ack)`, schema: entry.ack }] : []),
      ]),
    );

  test('every optional field of every server→client payload and ack accepts null', () => {
    const incoming = schemasOf((entry) => entry.direction === 'receive', true);
    const strict = incoming.flatMap(({ label, schema }) =>
      optionalFields(schema)
        .filter(({ field }) => !field.safeParse(null).success)
        .map(({ path }) => `${label}: ${path}`),
    );
    expect(strict).toEqual([]);
    expect(incoming.length).toBeGreaterThan(200);
  });

  test('no optional field of a payload the client sends accepts null (unless any value goes)', () => {
    const outgoing = schemasOf((entry) => entry.direction !== 'receive', false);
    const liberal = outgoing.flatMap(({ label, schema }) =>
      optionalFields(schema)
        .filter(({ field }) => field.safeParse(null).success && !field.safeParse(Symbol('any')).success)
        .map(({ path }) => `${label}: ${path}`),
    );
    expect(liberal).toEqual([]);
    expect(outgoing.length).toBeGreaterThan(100);
  });
});

describe('requires', () => {
  const all = namespaces.flatMap((spec) =>
    Object.entries(spec.events)
      .filter(([, entry]) => entry.direction !== 'emit' && !entry.reserved)
      .map(([event, entry]) => ({ label: `${spec.name} ${event}`, entry })),
  );

  test('every server event has a schema of what it requires, with a guard, that its sample passes', () => {
    const problems: string[] = [];
    for (const { label, entry } of all) {
      try {
        const core = requiredSchemaOf(entry);
        if (!guardOf(core)) problems.push(`${label}: no guard`);
        else if (!guardOf(core)!(samplePayload(entry.payload))) problems.push(`${label}: sample refused`);
      } catch (error) {
        problems.push(`${label}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('the events the stores read declare what they read (a sample of them)', () => {
    const declared = (spec: NamespaceSpec, event: string) => eventSpec(spec, event)?.requires;
    expect(declared(chat, 'message_history')).toEqual(['messages[].id', 'messages[].content']);
    expect(declared(chat, 'message_deleted')).toEqual(['message.id']);
    expect(declared(chat, 'message_read')).toEqual(['messageId', 'userId']);
    expect(declared(consultation, 'consultation_status')).toEqual(['status']);
    expect(declared(consultation, 'patient_waiting')).toEqual(['consultationId']);
    expect(declared(mediasoup, 'newProducer')).toEqual(['producerId', 'userId', 'paused']);
  });

  describe('paths', () => {
    const item = z.looseObject({ id: z.number(), label: z.string().nullish() });
    const ns = defineNamespace({
      name: '/t',
      handshake: [],
      events: {
        leaf: receive(z.looseObject({ a: z.string(), b: z.number().nullish() }), { requires: ['b'] }),
        nested: receive(z.looseObject({ box: z.looseObject({ id: z.number(), note: z.string() }).nullish(), x: z.string() }), {
          requires: ['box.id'],
        }),
        list: receive(z.looseObject({ items: z.array(item), x: z.string() }), { requires: ['items[]'] }),
        listIds: receive(z.looseObject({ items: z.array(item), x: z.string() }), { requires: ['items[].id'] }),
        either: receive(z.looseObject({ a: z.string().nullish(), b: z.string().nullish(), x: z.string() }), {
          requires: z.union([z.looseObject({ a: z.string() }), z.looseObject({ b: z.string() })]),
        }),
        anything: receive(z.looseObject({ x: z.string() })),
        bad: receive(z.looseObject({ x: z.string() }), { requires: ['x.y'] }),
        missing: receive(z.looseObject({ x: z.string() }), { requires: ['nope'] }),
      },
    });
    const ok = (event: string, value: unknown) => checkIncoming(ns, event, value).ok;

    test('a field: its whole schema, so an optional one may be absent but not wrong', () => {
      expect(ok('leaf', { a: 1 })).toBe(true);
      expect(ok('leaf', { a: 1, b: null })).toBe(true);
      expect(ok('leaf', { a: 1, b: 'two' })).toBe(false);
    });
    test('a nested field: its parent must be there, once the payload breaks the contract', () => {
      expect(ok('nested', { box: { id: 1, note: 2 } })).toBe(true);
      expect(ok('nested', { box: { note: 'n' }, x: 'x' })).toBe(false);
      expect(ok('nested', { box: null, x: 1 })).toBe(false);
      expect(ok('nested', { x: 1 })).toBe(false);
      // A payload the contract accepts is accepted: `box` is optional there.
      expect(checkIncoming(ns, 'nested', { box: null, x: 'x' })).toEqual({ ok: true, value: { box: null, x: 'x' } });
    });
    test("`list[]`: an array of the element type; `list[].id`: each element's id", () => {
      expect(ok('list', { items: [{ id: 'one' }] })).toBe(true);
      expect(ok('list', { items: [{ id: 1 }, 'two'] })).toBe(false);
      expect(ok('list', { items: 'none' })).toBe(false);
      expect(ok('listIds', { items: [{ id: 1, label: 2 }] })).toBe(true);
      expect(ok('listIds', { items: [{ id: 1 }, { label: 'no id' }] })).toBe(false);
    });
    test('a schema, for an either/or', () => {
      expect(ok('either', { b: 'b' })).toBe(true);
      expect(ok('either', { a: 1, b: 2 })).toBe(false);
    });
    test("nothing declared: the payload's type only", () => {
      expect(ok('anything', { x: 1 })).toBe(true);
      expect(ok('anything', [])).toBe(false);
      expect(ok('anything', 'x')).toBe(false);
    });
    test('a path that names no field of the schema throws when the schema is built', () => {
      expect(() => requiredSchemaOf(ns.events.bad)).toThrow(/x is not an object/);
      expect(() => requiredSchemaOf(ns.events.missing)).toThrow(/no field "nope"/);
    });
  });
});
