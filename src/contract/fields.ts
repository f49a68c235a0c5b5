import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';

// ---- Primitives --------------------------------------------------------------------------------

/** Identifiers: the reference backend uses integer ids (Prisma), other deployments use strings. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- named: declarations say `IdSchema`, not the union
export interface IdSchema extends z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniNumber<number>]> {}
export const id: IdSchema = z.union([z.string().check(z.minLength(1)), z.number().check(z.int())]);
/** ISO string or epoch milliseconds (a `Date` crosses the wire as an ISO string). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- named, as IdSchema
export interface TimestampSchema extends z.ZodMiniUnion<readonly [z.ZodMiniString<string>, z.ZodMiniNumber<number>]> {}
export const timestamp: TimestampSchema = z.union([z.string(), z.number()]);
/**
 * Objects the table leaves open: known to be objects, contents free. An object schema with no
 * known keys (not `z.record`): same type, a third of the cost on the receive path (no per-key checks).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- named, as IdSchema
export interface LooseRecordSchema extends z.ZodMiniObject<{}, core.$loose> {}
export const looseRecord: LooseRecordSchema = z.looseObject({});

// ---- Enumerations (reference-backend.md) ---------------------------------------------------------

export const consultationStatus = z.enum(['DRAFT', 'SCHEDULED', 'WAITING', 'ACTIVE', 'COMPLETED', 'CANCELLED', 'TERMINATED_OPEN']);
export type ConsultationStatus = z.infer<typeof consultationStatus>;

export const role = z.enum(['PATIENT', 'PRACTITIONER', 'ADMIN', 'EXPERT', 'GUEST']);
export type Role = z.infer<typeof role>;

export const messageType = z.enum(['TEXT', 'IMAGE', 'FILE', 'SYSTEM']);
export type MessageType = z.infer<typeof messageType>;

/** Connection quality levels used by the SDK and the test server. */
export const qualityLevel = z.enum(['good', 'fair', 'poor', 'lost']);
export type QualityLevel = z.infer<typeof qualityLevel>;

/** Camera/microphone permission: a boolean, or a Permissions API state such as `granted`. */
export const permissionState = z.union([z.boolean(), z.string()]);

// ---- The field dictionary ------------------------------------------------------------------------

/**
 * Every field name the upstream table uses, with the one type it has wherever it appears.
 * Event payloads are declared as lists of these names (see {@link payload}), so the contract reads
 * like the table and a field's type is decided in exactly one place. Where one name means different
 * things in different events (`message`, `status`), the event overrides it explicitly.
 */
export const FIELDS = {
  action: z.string(),
  actions: z.array(z.unknown()),
  addedBy: id,
  admittedAt: timestamp,
  admittedBy: id,
  affectedUserId: id,
  appData: looseRecord,
  assignedToPractitionerId: id,
  audioEnabled: z.boolean(),
  autoRedirect: z.boolean(),
  camera: permissionState,
  cameraAvailable: z.boolean(),
  cameraEnabled: z.boolean(),
  canJoin: z.boolean(),
  canJoinDirectly: z.boolean(),
  canJoinMedia: z.boolean(),
  cancelledAt: timestamp,
  capabilities: looseRecord,
  clientUuid: z.string().check(z.minLength(1)),
  comment: z.string(),
  config: looseRecord,
  connectionData: looseRecord,
  consultation: looseRecord,
  consultationId: id,
  consultationStartTime: timestamp,
  consultationStatus,
  content: z.string(),
  context: z.unknown(),
  createdBy: id,
  dashboardState: looseRecord,
  data: z.unknown(),
  deletionScheduledAt: z.nullable(timestamp),
  description: z.string(),
  deviceStatus: looseRecord,
  doctorName: z.nullable(z.string()),
  dtlsParameters: looseRecord,
  email: z.email(),
  endedAt: timestamp,
  error: z.string(),
  errorDetails: z.unknown(),
  errorMessage: z.string(),
  errorType: z.string(),
  estimatedWaitTime: z.number().check(z.nonnegative()),
  expiresAt: timestamp,
  features: looseRecord,
  fileId: z.string(),
  firstName: z.string(),
  fromState: z.string(),
  guidance: z.unknown(),
  guidanceType: z.string(),
  health: z.unknown(),
  id,
  inWaitingRoom: z.boolean(),
  initiatedBy: id,
  initiatorRole: role,
  initiatorUserId: id,
  invitationId: id,
  inviteEmail: z.email(),
  isActive: z.boolean(),
  isConnected: z.boolean(),
  isTyping: z.boolean(),
  joinTime: timestamp,
  joinType: z.string(),
  joinedAt: timestamp,
  kind: z.enum(['audio', 'video']),
  lastName: z.string(),
  latency: z.number().check(z.nonnegative()),
  leftAt: timestamp,
  limit: z.number().check(z.int(), z.positive(), z.lte(500)),
  liveConsultationData: looseRecord,
  mediaCapabilities: looseRecord,
  mediaInitialized: z.boolean(),
  mediaStatus: looseRecord,
  mediasoupCleaned: z.boolean(),
  mediasoupReady: z.boolean(),
  message: z.string(),
  messageId: id,
  messageIds: z.array(id),
  messageType,
  messages: z.array(looseRecord),
  metadata: looseRecord,
  microphone: permissionState,
  microphoneAvailable: z.boolean(),
  microphoneEnabled: z.boolean(),
  name: z.string(),
  navigation: looseRecord,
  newState: z.string(),
  newStatus: consultationStatus,
  notes: z.string(),
  notificationType: z.string(),
  offset: z.number().check(z.int(), z.nonnegative()),
  /** Percent of packets lost (0–100), as the reference frontends report it. */
  packetLoss: z.number().check(z.gte(0), z.lte(100)),
  participant: looseRecord,
  participantCount: z.number().check(z.int(), z.nonnegative()),
  participantId: id,
  participantUserId: id,
  participants: z.array(looseRecord),
  patient: looseRecord,
  patientFirstName: z.string(),
  patientId: id,
  patientInitials: z.string(),
  patients: z.array(looseRecord),
  percent: z.number().check(z.gte(0), z.lte(100)),
  permissionType: z.string(),
  position: z.number().check(z.int(), z.nonnegative()),
  practitionerId: id,
  practitionerName: z.string(),
  priority: z.string(),
  producerId: z.string(),
  quality: z.union([qualityLevel, z.string(), looseRecord]),
  qualityLevel: z.string(),
  rating: z.number().check(z.gte(0), z.lte(5)),
  readAt: timestamp,
  reason: z.string(),
  recommendedAction: z.string(),
  reconnectAttempts: z.number().check(z.int(), z.nonnegative()),
  redirectTo: z.string(),
  redirectUrl: z.string(),
  removedBy: id,
  requestedAt: timestamp,
  retentionHours: z.nullable(z.number()),
  role,
  routerId: z.string(),
  rtpCapabilities: looseRecord,
  rtpParameters: looseRecord,
  scheduledDate: z.nullable(timestamp),
  senderId: id,
  senderName: z.string(),
  session: looseRecord,
  sessionId: id,
  sessionInitialized: z.boolean(),
  sessionStatus: z.string(),
  sessionUrl: z.string(),
  severity: z.string(),
  signalStrength: z.number(),
  startedAt: timestamp,
  stats: looseRecord,
  status: consultationStatus,
  success: z.boolean(),
  terminatedBy: id,
  timeout: z.number().check(z.nonnegative()),
  timestamp,
  title: z.string(),
  toState: z.string(),
  token: z.string().check(z.minLength(1)),
  transition: looseRecord,
  transportId: z.string(),
  triggeredBy: id,
  type: z.string(),
  typingUsers: z.array(looseRecord),
  url: z.string(),
  urls: looseRecord,
  userId: id,
  userName: z.string(),
  userRole: role,
  videoEnabled: z.boolean(),
  waitingCount: z.number().check(z.int(), z.nonnegative()),
  waitingForDoctor: z.boolean(),
  waitingRoomData: looseRecord,
  waitingRoomSession: looseRecord,
  waitingRoomSessionId: id,
  welcomeMessage: z.string(),
} as const;

export type FieldName = keyof typeof FIELDS;
/** A field as the table writes it: `name`, or `name?` when optional. */
export type FieldKey = FieldName | `${FieldName}?`;

/**
 * An optional field of a server→client payload: absent, `undefined` or `null`. Schemas that already
 * accept `null` (`.nullable()`, `unknown`) are only made optional, so no type reads `T | null | null`.
 */
export type Nullish<S extends core.$ZodType> = S extends core.$ZodNullable | core.$ZodUnknown
  ? z.ZodMiniOptional<S>
  : z.ZodMiniOptional<z.ZodMiniNullable<S>>;

/** Runtime twin of {@link Nullish}. */
export function nullish<S extends core.$ZodType>(schema: S): Nullish<S> {
  const type = (schema as unknown as { _zod: { def: { type: string } } })._zod.def.type;
  return (type === 'nullable' || type === 'unknown' ? z.optional(schema) : z.nullish(schema)) as Nullish<S>;
}

type FieldShape<K extends FieldKey, Optional extends 'nullish' | 'optional'> = {
  [P in K as P extends `${infer N}?` ? N : P]: P extends `${infer N extends FieldName}?`
    ? Optional extends 'nullish'
      ? Nullish<(typeof FIELDS)[N]>
      : z.ZodMiniOptional<(typeof FIELDS)[N]>
    : P extends FieldName
      ? (typeof FIELDS)[P]
      : never;
};

function shapeOf(keys: readonly FieldKey[], optional: (schema: core.$ZodType) => core.$ZodType): Record<string, core.$ZodType> {
  const shape: Record<string, core.$ZodType> = {};
  for (const key of keys) {
    const isOptional = key.endsWith('?');
    const name = (isOptional ? key.slice(0, -1) : key) as FieldName;
    shape[name] = isOptional ? optional(FIELDS[name]) : FIELDS[name];
  }
  return shape;
}

/**
 * Builds a **server→client** payload schema (a `receive` event, an ack) from the table's field list,
 * e.g. `payload(['status', 'timestamp?'])`. Liberal, as what the SDK accepts should be: an optional
 * field (`name?`) may be absent or `null` (the reference backend sends `null` for unset nullable
 * columns). Overrides of optional fields in incoming payloads use `z.nullish()` for the same reason
 * (a contract test checks every incoming schema for it).
 * `overrides` gives fields whose meaning differs in this event (or that the table leaves out).
 * Unknown extra fields are kept (servers evolve; the table's `...`), wrong types in known fields fail.
 * Client→server payloads use {@link outgoing}.
 */
export function payload<const K extends FieldKey, O extends core.$ZodShape = Record<never, never>>(keys: readonly K[], overrides?: O) {
  return z.looseObject({ ...shapeOf(keys, nullish), ...overrides } as Omit<FieldShape<K, 'nullish'>, keyof O> & O);
}

/**
 * Builds a **client→server** payload schema (`emit`, and `emit/recv` events, which the SDK sends):
 * strict, as what the SDK sends should be. An optional field (`name?`) may be absent, never `null`
 * (the SDK leaves out what it has no value for). Otherwise as {@link payload}.
 */
export function outgoing<const K extends FieldKey, O extends core.$ZodShape = Record<never, never>>(keys: readonly K[], overrides?: O) {
  return z.looseObject({ ...shapeOf(keys, (schema) => z.optional(schema)), ...overrides } as Omit<FieldShape<K, 'optional'>, keyof O> & O);
}

/** A payload the table shows as `-` or that carries nothing the SDK reads. */
export const anyPayload = z.unknown();
