import * as z from 'zod';
import { id, looseRecord, messageType, role, timestamp } from './fields.js';

// Entities arrive from the server: their optional fields may be absent or `null` (`.nullish()`).

/**
 * A chat message as the reference backend stores it. The upstream table shows it flattened with
 * `senderId`/`senderName`/`timestamp`; the backend sends `userId`/`createdAt`. Both spellings are
 * accepted; `toChatMessage` gives the SDK one shape. `senderRole` is `null` on every message of the
 * reference backend (a nullable column it never sets).
 */
export const chatMessage = z.looseObject({
  id,
  consultationId: id.nullish(),
  content: z.string(),
  userId: id.nullish(),
  senderId: id.nullish(),
  senderName: z.string().nullish(),
  senderRole: role.nullish(),
  clientUuid: z.string().nullish(),
  messageType: messageType.nullish(),
  createdAt: timestamp.nullish(),
  timestamp: timestamp.nullish(),
  editedAt: timestamp.nullish(),
  deletedAt: timestamp.nullish(),
  isSystem: z.boolean().nullish(),
  isRead: z.boolean().nullish(),
  readAt: timestamp.nullish(),
  mediaUrl: z.string().nullish(),
  mediaType: z.string().nullish(),
  fileName: z.string().nullish(),
  fileSize: z.number().nullish(),
  replyToId: id.nullish(),
  deliveryStatus: z.string().nullish(),
  user: looseRecord.nullish(),
  readReceipts: z.array(looseRecord).nullish(),
});
export type ChatMessage = z.output<typeof chatMessage>;

/** A consultation participant as lists and join events carry it. */
export const participant = z.looseObject({
  userId: id.nullish(),
  id: id.nullish(),
  role: role.nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  isActive: z.boolean().nullish(),
  inWaitingRoom: z.boolean().nullish(),
});
export type Participant = z.output<typeof participant>;

/** Typing user entry of `typing_users`. */
export const typingUser = z.looseObject({ userId: id, userName: z.string().nullish() });

/** Mediasoup ICE candidate: 3.12 sends `ip`, newer servers `address`; mediasoup-client reads `address`. */
export const iceCandidate = z.looseObject({
  foundation: z.string(),
  priority: z.number(),
  ip: z.string().nullish(),
  address: z.string().nullish(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.string(),
  tcpType: z.string().nullish(),
});
