import * as z from 'zod/mini';
import { both, emit, receive } from '../define.js';
import { chatMessage, typingUser } from '../entities.js';
import { outgoing, payload } from '../fields.js';

/** A message event: the table shows the message flattened, the reference backend nests it. */
const messageEnvelope = payload(['consultationId?', 'timestamp?'], {
  message: z.nullish(chatMessage),
  id: z.nullish(chatMessage.shape.id),
  content: z.nullish(z.string()),
  senderId: chatMessage.shape.senderId,
  senderName: chatMessage.shape.senderName,
  clientUuid: chatMessage.shape.clientUuid,
}).check(
  z.refine((event) => event.message != null || (event.id != null && event.content != null), {
    message: 'a message event carries either `message` or a flattened message with `id` and `content`',
  }),
);

/** What the SDK needs of a message event: a message with its id and content, nested or flattened. */
const messageCore = z.union([
  z.looseObject({ message: z.looseObject({ id: chatMessage.shape.id, content: chatMessage.shape.content }) }),
  z.looseObject({ id: chatMessage.shape.id, content: chatMessage.shape.content }),
]);

const sendMessage = outgoing(['consultationId', 'userId', 'content', 'messageType?', 'metadata?', 'role?'], {
  clientUuid: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  content: z.string().check(z.minLength(1), z.maxLength(10_000)),
});

const errorWithTime = payload(['error', 'timestamp']);

/** Chat: messages, history, edits, deletes, read receipts, typing. */
const chatEventsDefinitions = {
  send_message: emit(sendMessage, {
    responses: ['new_message'],
    errors: ['message_error'],
    note: 'The table lists `{ ..., role }` and `{ ..., messageType?, metadata? }`: one schema with all of them optional; `clientUuid` (reference backend) makes retries idempotent.',
  }),
  send_enhanced_message: emit(sendMessage, { responses: ['enhanced_message_received'], errors: ['message_error'] }),
  new_message: receive(messageEnvelope, {
    requires: messageCore,
    note: '/consultation lists `{ id, senderId, senderName, content, ... }` and `{ ...message, ... timestamp }`: one schema for both.',
  }),
  enhanced_message_received: receive(payload(['consultationId', 'senderId'], { message: chatMessage }), {
    requires: ['message.id', 'message.content'],
  }),
  message_error: receive(errorWithTime),

  request_message_history: emit(outgoing(['consultationId', 'limit?', 'offset?']), {
    responses: ['message_history'],
    errors: ['message_history_error'],
  }),
  message_history: receive(
    payload(['consultationId', 'timestamp', 'limit?', 'offset?'], { messages: z.array(chatMessage), hasMore: z.nullish(z.boolean()) }),
    {
      requires: ['messages[].id', 'messages[].content'],
      note: 'The test server echoes `limit`/`offset` (optional extra fields) so an answer to `request_message_history` can be told from the history sent on connect.',
    },
  ),
  message_history_error: receive(errorWithTime),

  edit_message: emit(outgoing(['messageId', 'content', 'consultationId']), {
    responses: ['message_edited'],
    errors: ['edit_message_error'],
  }),
  message_edited: receive(payload(['consultationId', 'timestamp'], { message: chatMessage }), {
    requires: ['message.id', 'message.content'],
  }),
  edit_message_error: receive(payload(['error', 'messageId', 'timestamp'])),
  delete_message: emit(outgoing(['messageId', 'consultationId']), {
    responses: ['message_deleted'],
    errors: ['delete_message_error'],
  }),
  message_deleted: receive(payload(['consultationId', 'timestamp'], { message: chatMessage }), { requires: ['message.id'] }),
  delete_message_error: receive(payload(['error', 'messageId', 'timestamp'])),

  mark_message_read: emit(outgoing(['consultationId', 'messageId', 'userId']), {
    responses: ['message_read'],
    errors: ['read_receipt_error'],
  }),
  message_read: receive(payload(['messageId', 'userId', 'consultationId', 'readAt']), { requires: ['messageId', 'userId'] }),
  read_receipt_error: receive(payload(['error', 'messageId', 'timestamp'])),
  mark_all_read: emit(outgoing(['consultationId']), {
    responses: ['all_messages_read'],
    errors: ['mark_all_read_error'],
  }),
  all_messages_read: receive(payload(['userId', 'consultationId', 'readAt']), { requires: ['userId'] }),
  mark_all_read_error: receive(errorWithTime),
  bulk_mark_read: emit(outgoing(['consultationId', 'messageIds']), {
    responses: ['messages_bulk_read'],
    errors: ['bulk_read_error'],
  }),
  messages_bulk_read: receive(payload(['messageIds', 'userId', 'consultationId', 'readAt']), { requires: ['messageIds', 'userId'] }),
  bulk_read_error: receive(errorWithTime),

  typing: both(outgoing(['consultationId', 'userId', 'userName?', 'isTyping']), { requires: ['userId', 'isTyping'] }),
  user_typing: both(outgoing(['consultationId', 'userId', 'userName?', 'isTyping?']), {
    requires: ['userId'],
    note: '/consultation lists `{ consultationId, userId, userName, isTyping }`, /chat `{ consultationId, userId }`: one schema, the extra fields optional.',
  }),
  typing_indicator: emit(outgoing(['consultationId', 'userId', 'isTyping']), { responses: ['typing_indicator_updated'] }),
  typing_indicator_updated: receive(payload(['userId', 'isTyping', 'consultationId']), { requires: ['userId', 'isTyping'] }),
  update_typing_indicator: emit(outgoing(['consultationId', 'userId', 'isTyping'])),
  update_typing_indicator_enhanced: emit(outgoing(['consultationId', 'userId', 'isTyping'])),
  start_typing: emit(outgoing(['consultationId'])),
  stop_typing: emit(outgoing(['consultationId'])),
  get_typing_users: emit(outgoing(['consultationId']), { responses: ['typing_users'] }),
  typing_users: receive(payload(['consultationId', 'timestamp'], { typingUsers: z.array(typingUser) }), {
    requires: ['typingUsers[].userId'],
  }),

  user_joined_chat: receive(payload(['userId', 'consultationId', 'userRole', 'joinType', 'joinedAt', 'context?']), {
    requires: ['userId'],
  }),
  user_left_chat: receive(payload(['userId', 'consultationId', 'userRole', 'joinType', 'leftAt', 'context?']), {
    requires: ['userId'],
  }),
  system_message: receive(payload(['type', 'userId?', 'role?', 'timestamp', 'message?', 'content?', 'context?']), {
    requires: ['type'],
    note: 'Join/leave/state notices carry different subsets of the listed fields: only `type` and `timestamp` are required. The reference backend sends `{ type, userId, role, timestamp, message }` with `type` `user_joined`, `user_left` or `waiting_for_participant` on /consultation.',
  }),
};
type ChatEventsDefinitions = typeof chatEventsDefinitions;
/** Named so that declarations refer to this group instead of spelling every event out again. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ChatEvents extends ChatEventsDefinitions {}
export const chatEvents: ChatEvents = chatEventsDefinitions;
