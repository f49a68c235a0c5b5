import { z } from 'zod';
import { id, looseRecord, messageType, role, timestamp } from './fields.js';

/**
 * A chat message as the reference backend stores it. The upstream table shows it flattened with
 * `senderId`/`senderName`/`timestamp`; the backend sends `userId`/`createdAt`. Both spellings are
 * accepted; `normalizeChatMessage` gives the SDK one shape.
 */
export const chatMessage = z.looseObject({
  id,
  consultationId: id.optional(),
  content: z.string(),
  userId: id.optional(),
  senderId: id.optional(),
  senderName: z.string().optional(),
  senderRole: role.optional(),
  clientUuid: z.string().nullish(),
  messageType: messageType.optional(),
  createdAt: timestamp.optional(),
  timestamp: timestamp.optional(),
  editedAt: timestamp.nullish(),
  deletedAt: timestamp.nullish(),
  isSystem: z.boolean().optional(),
  isRead: z.boolean().optional(),
  readAt: timestamp.nullish(),
  mediaUrl: z.string().nullish(),
  mediaType: z.string().nullish(),
  fileName: z.string().nullish(),
  fileSize: z.number().nullish(),
  replyToId: id.nullish(),
  deliveryStatus: z.string().nullish(),
  user: looseRecord.optional(),
  readReceipts: z.array(looseRecord).optional(),
});
export type ChatMessage = z.output<typeof chatMessage>;

/** A consultation participant as lists and join events carry it. */
export const participant = z.looseObject({
  userId: id.optional(),
  id: id.optional(),
  role: role.optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  isActive: z.boolean().optional(),
  inWaitingRoom: z.boolean().optional(),
});
export type Participant = z.output<typeof participant>;

/** Typing user entry of `typing_users`. */
export const typingUser = z.looseObject({ userId: id, userName: z.string().optional() });

/** Mediasoup ICE candidate: 3.12 sends `ip`, newer servers `address`; mediasoup-client reads `address`. */
export const iceCandidate = z.looseObject({
  foundation: z.string(),
  priority: z.number(),
  ip: z.string().optional(),
  address: z.string().optional(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.string(),
  tcpType: z.string().optional(),
});
