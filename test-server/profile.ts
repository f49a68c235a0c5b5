import { SERVER_FEATURES, type ServerFeature } from '../src/contract/index.js';

/**
 * What the test server offers, in one place. Two profiles:
 *
 * - `full` (default): the whole contract, with every extension of the test server, announced by
 *   `server_features` as the first event of each namespace connection.
 * - `reference`: behaves like the real HCW@Home backend as measured in `docs/upstream/reference-backend.md`
 *   (the SDK's baseline): only `/consultation`, `/chat`, `/mediasoup`; no connection state recovery;
 *   no extensions and no announcement; numeric ids, compared strictly; failures answered by events
 *   only (never by ack); events without a handler there get no answer at all.
 *
 * Connections, the dispatcher, the hub and the handlers consult the profile's fields below; no other
 * file compares profile names.
 */
export type ProfileName = 'full' | 'reference';

/** What one extension consists of: the handlers it adds and the events only it sends. */
interface FeatureParts {
  /** Client events (any namespace) that only exist with the feature. */
  handlers: readonly string[];
  /** Server events that only exist with the feature. */
  events: readonly string[];
}

/** The parts of each feature of `src/contract/features.ts` the dispatcher and the hub can switch off by name. */
const FEATURE_PARTS: Record<ServerFeature, FeatureParts> = {
  waiting_room_sessions: {
    handlers: ['enter_waiting_room', 'waiting_room_heartbeat', 'get_practitioner_waiting_room'],
    events: ['waiting_room_entered', 'waiting_room_heartbeat_ack', 'position-update', 'waiting-room-update', 'waiting_room_update'],
  },
  // Only on /consultation: the baseline has request_participants on /chat (see `handles`).
  consultation_participants: { handlers: [], events: [] },
  // Connection behaviour (Connections.sendWaiting).
  waiting_list_on_connect: { handlers: [], events: [] },
  producer_discovery: { handlers: ['getProducers'], events: ['newProducer', 'producerClosed'] },
  media_controls: { handlers: ['pauseProducer', 'resumeProducer', 'closeProducer', 'restartIce'], events: ['producerPaused'] },
  // Chat handler behaviour (ChatStore retry, message_history echo).
  idempotent_send: { handlers: [], events: [] },
  history_echo: { handlers: [], events: [] },
};

/** A payload field the reference backend sends differently from the contract (tolerated by the hub's check). */
export interface Deviation {
  /** Event name, or `*` for any event. */
  event: string;
  /** Issue path (dotted, array indices as numbers) the deviation produces. */
  path: RegExp;
  why: string;
}

export interface Profile {
  readonly name: ProfileName;
  /** Namespaces the Socket.IO server creates (connecting to another one: `connect_error` "Invalid namespace"). */
  readonly namespaces: readonly string[];
  /** Extensions this server has. */
  readonly features: ReadonlySet<ServerFeature>;
  /** Emit `server_features { features }` as the first event of every namespace connection. */
  readonly announceFeatures: boolean;
  /** Default of the `connectionStateRecovery` option. */
  readonly recovery: boolean;
  /** The periodic `heartbeat { timestamp }` on /consultation and /enhanced-consultation. */
  readonly heartbeat: boolean;
  /**
   * The /consultation life cycle on connect and disconnect: `full` (session_sync, participant
   * notices, waiting-room sessions, a newer practitioner connection replaces the older) or
   * `reference` (the events of reference-backend.md "On connect"/"Connection", see reference-lifecycle.ts).
   */
  readonly lifecycle: 'full' | 'reference';
  /**
   * Numeric users and ids: the handshake's `consultationId`/`userId` must parse as positive numbers;
   * payload `consultationId`/`userId`/`patientId`/`practitionerId` must be numbers (and the first two
   * those of the handshake on /consultation and /chat); ids leave the server as numbers.
   */
  readonly numericIds: boolean;
  /** Namespaces whose handshake needs a valid token (the others take the identity from the query). */
  readonly tokenNamespaces: readonly string[];
  /**
   * How failures are answered: `ack` (an ack `{ error, code }` when the client asked for one, else
   * the event's error event or `error { event, message, timestamp, code }`), or `events` (the
   * reference: never an ack; /mediasoup `error { event, message }` + `exception { status, message }`,
   * elsewhere the event's error event or `error { message }`).
   */
  readonly failures: 'ack' | 'events';
  /** Media requests open the consultation's router on first use while it is ACTIVE (else only admission etc. open it). */
  readonly lazyRouter: boolean;
  /** Chat messages carry `senderRole: null` (the reference never sets the column). */
  readonly nullSenderRole: boolean;
  /** `consultation_status_patient.rating` is the reference's `{ value, color, done }` (else a number or null). */
  readonly ratingObject: boolean;
  /** Payload differences of this profile the contract check lets through (documented in reference-backend.md). */
  readonly deviations: readonly Deviation[];
  /** Whether a client event has a handler in this namespace (without one: no answer at all, as NestJS). */
  handles(namespace: string, event: string): boolean;
  /** Whether the server ever sends this event. */
  sends(event: string): boolean;
  /** Whether an outgoing payload issue at `path` of `event` is a documented deviation. */
  tolerates(event: string, path: string): boolean;
}

function makeProfile(spec: {
  name: ProfileName;
  namespaces: readonly string[];
  features: readonly ServerFeature[];
  announceFeatures: boolean;
  recovery: boolean;
  heartbeat: boolean;
  lifecycle: 'full' | 'reference';
  numericIds: boolean;
  tokenNamespaces: readonly string[];
  failures: 'ack' | 'events';
  lazyRouter: boolean;
  nullSenderRole: boolean;
  ratingObject: boolean;
  deviations?: readonly Deviation[];
  /** `namespace event` (or `* event`) pairs without a handler, besides the missing features'. */
  missingHandlers?: readonly string[];
  /** Server events never sent, besides the missing features'. */
  silent?: readonly string[];
}): Profile {
  const features = new Set(spec.features);
  const missing = new Set(spec.missingHandlers ?? []);
  const silent = new Set(spec.silent ?? []);
  for (const feature of SERVER_FEATURES) {
    if (features.has(feature)) continue;
    // A feature the contract added since (no parts listed here yet) switches nothing off.
    const parts: FeatureParts | undefined = FEATURE_PARTS[feature];
    for (const event of parts?.handlers ?? []) missing.add(`* ${event}`);
    for (const event of parts?.events ?? []) silent.add(event);
  }
  if (!features.has('consultation_participants')) missing.add('/consultation request_participants');
  const deviations = spec.deviations ?? [];
  return {
    name: spec.name,
    namespaces: spec.namespaces,
    features,
    announceFeatures: spec.announceFeatures,
    recovery: spec.recovery,
    heartbeat: spec.heartbeat,
    lifecycle: spec.lifecycle,
    numericIds: spec.numericIds,
    tokenNamespaces: spec.tokenNamespaces,
    failures: spec.failures,
    lazyRouter: spec.lazyRouter,
    nullSenderRole: spec.nullSenderRole,
    ratingObject: spec.ratingObject,
    deviations,
    handles: (namespace, event) =>
      spec.namespaces.includes(namespace) && !missing.has(`* ${event}`) && !missing.has(`${namespace} ${event}`),
    sends: (event) => !silent.has(event),
    tolerates: (event, path) => deviations.some((d) => (d.event === '*' || d.event === event) && d.path.test(path)),
  };
}

const ALL_NAMESPACES = ['/consultation', '/chat', '/mediasoup', '/enhanced-consultation'] as const;

export const PROFILES: Record<ProfileName, Profile> = {
  full: makeProfile({
    name: 'full',
    namespaces: ALL_NAMESPACES,
    features: SERVER_FEATURES,
    announceFeatures: true,
    recovery: true,
    heartbeat: true,
    lifecycle: 'full',
    numericIds: false,
    tokenNamespaces: ALL_NAMESPACES,
    failures: 'ack',
    lazyRouter: true,
    nullSenderRole: false,
    ratingObject: false,
  }),
  reference: makeProfile({
    name: 'reference',
    namespaces: ['/consultation', '/chat', '/mediasoup'],
    features: [],
    announceFeatures: false,
    recovery: false,
    heartbeat: false,
    lifecycle: 'reference',
    numericIds: true,
    // "/consultation and /chat check no token at all"; /mediasoup verifies the JWT.
    tokenNamespaces: ['/mediasoup'],
    failures: 'events',
    lazyRouter: false,
    nullSenderRole: true,
    ratingObject: true,
    missingHandlers: ['* join_practitioner_room'],
    silent: [
      // Extensions of the full profile's connection life cycle.
      'server_features',
      'session_sync',
      'heartbeat',
      'user_reconnected',
      'waiting_room_notification',
      'patient_joined',
      'patient_entered_waiting_room',
      'patient_in_waiting_room',
      // Admission: the reference sends consultation_status, patient_admitted, patient_admission_confirmed
      // and media_session_live; navigate_to_consultation_room goes to a room `patient:{id}` nobody joins.
      'navigate_to_consultation_room',
      'redirect_to_consultation_room',
      'transition_to_consultation_room',
      'admitted_to_live_consultation',
      'patient_admitted_from_waiting_room',
      'media-permission-request',
      'consultation-started',
    ],
    deviations: [
      { event: '*', path: /(^|\.)senderRole$/, why: 'senderRole is null on every chat message' },
      { event: 'consultation_status', path: /^timestamp$/, why: '{ status, triggeredBy } when the last patient leaves' },
    ],
  }),
};

export function profileOf(name: ProfileName | undefined): Profile {
  const profile = PROFILES[name ?? 'full'];
  if (!profile) throw new Error(`Unknown test server profile "${String(name)}" (full or reference)`);
  return profile;
}

/** The announced list, in the contract's order. */
export function announcedFeatures(profile: Profile): ServerFeature[] {
  return SERVER_FEATURES.filter((feature) => profile.features.has(feature));
}

// ---- Numeric ids (reference) ---------------------------------------------------------------------

/** Payload keys that carry a user id (or, `id`, an entity id) and leave the reference server as numbers. */
const ID_KEYS = new Set([
  'id',
  'userId',
  'patientId',
  'practitionerId',
  'senderId',
  'createdBy',
  'admittedBy',
  'terminatedBy',
  'removedBy',
  'addedBy',
  'participantId',
  'participantUserId',
  'assignedToPractitionerId',
  'affectedUserId',
  'initiatedBy',
  'triggeredBy',
]);

const CANONICAL_INT = /^[1-9]\d{0,14}$/;

/** A copy of `value` where id fields holding a canonical positive integer string are numbers. */
export function numericIds(value: unknown, seen = new WeakMap<object, unknown>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(numericIds(item, seen));
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [name, field] of Object.entries(value)) {
    out[name] = ID_KEYS.has(name) && typeof field === 'string' && CANONICAL_INT.test(field) ? Number(field) : numericIds(field, seen);
  }
  return out;
}

/** A handshake id the reference accepts: `Number(value)` is a positive integer. */
export function isNumericId(value: string | undefined): boolean {
  if (value === undefined) return false;
  const n = Number(value);
  return Number.isInteger(n) && n > 0;
}

/** Payload fields the reference compares with `!==` against numbers. */
export const STRICT_ID_FIELDS = ['consultationId', 'userId', 'patientId', 'practitionerId'] as const;

// ---- Error payloads --------------------------------------------------------------------------------

/** The `error` event of a failure as this profile sends it in `namespace`. */
export function errorEventPayload(
  profile: Profile,
  namespace: string,
  failure: { event?: string; message: string; code: string },
): { message: string; event?: string; timestamp?: string; code?: string } {
  if (profile.failures === 'events') {
    // Reference gateways: `{ message }`; the mediasoup gateway adds the event.
    return namespace === '/mediasoup' && failure.event ? { event: failure.event, message: failure.message } : { message: failure.message };
  }
  return {
    ...(failure.event ? { event: failure.event } : {}),
    message: failure.message,
    timestamp: new Date().toISOString(),
    code: failure.code,
  };
}

/** The text the reference's database gives for a second insert of a known clientUuid. */
export const DUPLICATE_CLIENT_UUID =
  '\nInvalid `prisma.message.create()` invocation:\n\n\nUnique constraint failed on the fields: (`clientUuid`)';
