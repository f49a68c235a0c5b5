/**
 * The HCW@Home realtime contract: every event of the four Socket.IO namespaces, its direction, its
 * payload schema and how it is answered. The SDK, the test server and the docs are derived from it.
 * Importable on its own (`hcw-realtime-sdk/contract`), by servers too.
 * @packageDocumentation
 * @module hcw-realtime-sdk/contract
 */
import { safeParse, type $ZodError, type $ZodType } from 'zod/v4/core';
import type { EventSpec, HandshakeKey, NamespaceSpec } from './define.js';
import { guardOf } from './guard.js';
import { requiredSchemaOf, withoutPaths } from './incoming.js';
import { parseWithMessages } from './parse.js';
import { chatNamespace } from './namespaces/chat.js';
import { consultationNamespace } from './namespaces/consultation.js';
import { enhancedConsultationNamespace } from './namespaces/enhanced-consultation.js';
import { mediasoupNamespace } from './namespaces/mediasoup.js';

export * from './define.js';
export * from './fields.js';
export * from './entities.js';
export * from './features.js';
export type { ProducerInfo } from './events/mediasoup.js';
export { chatNamespace, consultationNamespace, enhancedConsultationNamespace, mediasoupNamespace };

/** The four namespaces, keyed by the name the SDK client uses for their services. */
export const contract: {
  readonly consultation: typeof consultationNamespace;
  readonly chat: typeof chatNamespace;
  readonly mediasoup: typeof mediasoupNamespace;
  readonly enhanced: typeof enhancedConsultationNamespace;
} = {
  consultation: consultationNamespace,
  chat: chatNamespace,
  mediasoup: mediasoupNamespace,
  enhanced: enhancedConsultationNamespace,
};

export type Contract = typeof contract;
export type ServiceKey = keyof Contract;
export type NamespaceName = Contract[ServiceKey]['name'];
export type ConsultationNamespace = typeof consultationNamespace;
export type ChatNamespace = typeof chatNamespace;
export type MediasoupNamespace = typeof mediasoupNamespace;
export type EnhancedConsultationNamespace = typeof enhancedConsultationNamespace;

/** All namespace specs, in a stable order. */
export const namespaces: readonly NamespaceSpec[] = Object.values(contract);

/** Finds a namespace spec by its path (`/chat`). */
export function namespaceByName(name: string): NamespaceSpec | undefined {
  return namespaces.find((ns) => ns.name === name);
}

/** Identity sent in the handshake; each gateway reads its own keys (see {@link handshakeQuery}). */
export interface HandshakeIdentity {
  consultationId: string | number;
  userId: string | number;
  role: string;
  /** `/chat` only; defaults to `'consultation'`. */
  joinType?: string;
}

/**
 * The handshake query for one connection serving `specs`: the union of the keys each namespace's
 * gateway reads (the query belongs to the Engine.IO connection, so every namespace sees all of it).
 * Derived from the contract so no namespace can be sent keys it does not know (or miss its own).
 */
export function handshakeQuery(identity: HandshakeIdentity, specs: readonly NamespaceSpec[] = namespaces) {
  const values = handshakeValues(identity);
  const query: Partial<Record<HandshakeKey, string>> = {};
  for (const spec of specs) for (const key of spec.handshake) query[key] = String(values[key as keyof typeof values]);
  return query;
}

/** The value of every key the HCW gateways read, for one identity (`role` as `userRole` on /chat). */
export function handshakeValues(identity: HandshakeIdentity) {
  return {
    consultationId: identity.consultationId,
    userId: identity.userId,
    role: identity.role,
    userRole: identity.role,
    joinType: identity.joinType ?? 'consultation',
  };
}

/** One problem found in a payload: where (a dotted path) and what. */
export interface PayloadIssue {
  path: string;
  message: string;
}

/** Outcome of checking a payload against the contract. */
export type PayloadCheck<T = unknown> = { ok: true; value: T } | { ok: false; issues: PayloadIssue[]; message: string };

/**
 * Outcome of checking a received payload ({@link checkIncoming}): accepted as the contract says
 * (`drift` absent), delivered although it breaks the contract outside what the SDK depends on
 * (`drift` names the breaks, `message` sums them up), or refused.
 */
export type IncomingCheck<T = unknown> =
  | { ok: true; value: T; drift?: undefined }
  | { ok: true; value: T; drift: PayloadIssue[]; message: string }
  | { ok: false; issues: PayloadIssue[]; message: string };

const issuesOf = (error: $ZodError): PayloadIssue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(payload)', message: issue.message }));
const describe = (issues: readonly PayloadIssue[]) => issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');

/** `label` is only called on failure: building it per accepted event showed on the receive path. */
function check(schema: $ZodType, value: unknown, label: () => string): PayloadCheck {
  // Well-formed payloads pass the guard as they are; zod decides (and explains) the rest.
  if (guardOf(schema)?.(value)) return { ok: true, value };
  const result = parseWithMessages(schema, value);
  if (result.success) return { ok: true, value: result.data };
  const issues = issuesOf(result.error);
  return { ok: false, issues, message: `${label()}: ${describe(issues)}` };
}

/** Looks up an event of a namespace, or undefined when the contract has no such event there. */
export function eventSpec(spec: NamespaceSpec, event: string): EventSpec | undefined {
  return Object.hasOwn(spec.events, event) ? spec.events[event] : undefined;
}

/**
 * Checks a payload of `event` in `spec`. The message names the namespace, the event and the
 * offending fields, e.g. `/chat send_message: content: Invalid input: expected string, received number`.
 */
export function checkPayload(spec: NamespaceSpec, event: string, value: unknown): PayloadCheck {
  const entry = eventSpec(spec, event);
  if (!entry) {
    const message = `${spec.name} ${event}: not an event of this namespace`;
    return { ok: false, issues: [{ path: '(event)', message }], message };
  }
  return check(entry.payload, value, () => `${spec.name} ${event}`);
}

/**
 * Checks a payload the server sent for `event` in `spec`: liberal in what it accepts, where
 * {@link checkPayload} (what the SDK sends, what the test server sends) is strict. The rule:
 *
 * 1. The guard (`guardOf`): a well-formed payload is accepted as it is, with no copy. On a hot path,
 *    test the guard yourself first (as `Channel.on` does): this function allocates its result.
 * 2. zod's `safeParse` of the event's schema: accepted with zod's output (which equals the input:
 *    the contract has no transforms) — e.g. an own `__proto__` key is dropped.
 * 3. zod refused it. The part the SDK depends on is the event's `requires` (`EventOptions`; when
 *    not declared, the payload's top-level type, e.g. "an object"). If the payload passes that
 *    part's schema, it is **delivered**, with `drift` = every issue zod found (path and message).
 *    The value delivered is the payload without the fields those issues name (removed from copies
 *    of the objects and arrays on their way, the rest shared): every field present has the type the
 *    contract gives it, so code never reads a wrong-typed value; a field named in `drift` is absent
 *    (even one the type calls required, when it is not in `requires`); nothing the SDK can use is
 *    lost. An issue about the payload as a whole (a refinement) removes nothing.
 * 4. Otherwise it is **refused**: `ok: false` with every issue, exactly as {@link checkPayload}.
 *
 * Optional fields of server payloads accept `null` (the reference backend sends `null` for unset
 * columns): that is no drift.
 */
export function checkIncoming(spec: NamespaceSpec, event: string, value: unknown): IncomingCheck {
  const entry = eventSpec(spec, event);
  if (!entry) {
    const message = `${spec.name} ${event}: not an event of this namespace`;
    return { ok: false, issues: [{ path: '(event)', message }], message };
  }
  const schema = entry.payload;
  if (guardOf(schema)?.(value)) return { ok: true, value };
  const result = parseWithMessages(schema, value);
  if (result.success) return { ok: true, value: result.data };
  const issues = issuesOf(result.error);
  const core = requiredSchemaOf(entry);
  if (guardOf(core)?.(value) || safeParse(core, value).success) {
    const delivered = withoutPaths(
      value,
      result.error.issues.map((issue) => issue.path),
    );
    return { ok: true, value: delivered, drift: issues, message: `${spec.name} ${event}: delivered, drift: ${describe(issues)}` };
  }
  return { ok: false, issues, message: `${spec.name} ${event}: ${describe(issues)}` };
}

/** Checks an acknowledgement of `event` in `spec` (ok when the event declares no ack schema). */
export function checkAck(spec: NamespaceSpec, event: string, value: unknown): PayloadCheck {
  const ack = eventSpec(spec, event)?.ack;
  return ack ? check(ack, value, () => `${spec.name} ${event} (ack)`) : { ok: true, value };
}

/** Client→server event names of a namespace (lifecycle names excluded). */
export function clientEventNames(spec: NamespaceSpec): string[] {
  return Object.entries(spec.events)
    .filter(([, e]) => !e.reserved && e.direction !== 'receive')
    .map(([name]) => name);
}

/** Server→client event names of a namespace (lifecycle names excluded). */
export function serverEventNames(spec: NamespaceSpec): string[] {
  return Object.entries(spec.events)
    .filter(([, e]) => !e.reserved && e.direction !== 'emit')
    .map(([name]) => name);
}
export { samplePayload, payloadFields } from './samples.js';
export { guardOf, type Guard } from './guard.js';
export { requiredSchemaOf } from './incoming.js';
