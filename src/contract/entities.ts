import * as z from 'zod/mini';
import { id, looseRecord, messageType, role, timestamp } from './fields.js';

// Entities arrive from the server: their optional fields may be absent or `null` (`z.nullish()`).

/**
 * A chat message as the reference backend stores it. The upstream table shows it flattened with
 * `senderId`/`senderName`/`timestamp`; the backend sends `userId`/`createdAt`. Both spellings are
 * accepted; `toChatMessage` gives the SDK one shape. `senderRole` is `null` on every message of the
 * reference backend (a nullable column it never sets).
 */
export const chatMessage = z.looseObject({
  id,
  consultationId: z.nullish(id),
  content: z.string(),
  userId: z.nullish(id),
  senderId: z.nullish(id),
  senderName: z.nullish(z.string()),
  senderRole: z.nullish(role),
  clientUuid: z.nullish(z.string()),
  messageType: z.nullish(messageType),
  createdAt: z.nullish(timestamp),
  timestamp: z.nullish(timestamp),
  editedAt: z.nullish(timestamp),
  deletedAt: z.nullish(timestamp),
  isSystem: z.nullish(z.boolean()),
  isRead: z.nullish(z.boolean()),
  readAt: z.nullish(timestamp),
  mediaUrl: z.nullish(z.string()),
  mediaType: z.nullish(z.string()),
  fileName: z.nullish(z.string()),
  fileSize: z.nullish(z.number()),
  replyToId: z.nullish(id),
  deliveryStatus: z.nullish(z.string()),
  user: z.nullish(looseRecord),
  readReceipts: z.nullish(z.array(looseRecord)),
});
export type ChatMessage = z.output<typeof chatMessage>;

/** A consultation participant as lists and join events carry it. */
export const participant = z.looseObject({
  userId: z.nullish(id),
  id: z.nullish(id),
  role: z.nullish(role),
  firstName: z.nullish(z.string()),
  lastName: z.nullish(z.string()),
  isActive: z.nullish(z.boolean()),
  inWaitingRoom: z.nullish(z.boolean()),
});
export type Participant = z.output<typeof participant>;

/** Typing user entry of `typing_users`. */
export const typingUser = z.looseObject({ userId: id, userName: z.nullish(z.string()) });

/** Mediasoup ICE candidate: 3.12 sends `ip`, newer servers `address`; mediasoup-client reads `address`. */
export const iceCandidate = z.looseObject({
  foundation: z.string(),
  priority: z.number(),
  ip: z.nullish(z.string()),
  address: z.nullish(z.string()),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().check(z.int()),
  type: z.string(),
  tcpType: z.nullish(z.string()),
});
