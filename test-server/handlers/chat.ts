import type { ChatMessage } from '../../src/contract/index.js';
import type { App } from '../app.js';
import type { StoredMessage } from '../domain/chat.js';
import { DomainError, nowIso, type Id } from '../domain/errors.js';
import type { In } from '../events.js';
import type { HandlerContext } from '../transport/context.js';
import { DUPLICATE_CLIENT_UUID } from '../profile.js';
import { consultationOf, isStaff, requireSelf } from './common.js';
import type { HandlerTable } from './types.js';

/** A stored message as the contract's `chatMessage` (interfaces lack the index signature). */
export const wire = (message: StoredMessage) => message as unknown as ChatMessage;

/** `new_message`: the reference's nested message plus the table's flattened fields. */
function newMessagePayload(message: StoredMessage) {
  return {
    message: wire(message),
    consultationId: message.consultationId,
    timestamp: message.createdAt,
    id: message.id,
    content: message.content,
    senderId: message.senderId,
    senderName: message.senderName,
    clientUuid: message.clientUuid,
  };
}

/**
 * Stores and announces a message, once per clientUuid: a retry gets the stored message back (to the
 * sender only) and neither stores it again nor counts against the rate limit.
 */
function sendMessage(ctx: HandlerContext, input: In<'send_message'>, enhanced: boolean): void {
  requireSelf(ctx, input.userId);
  const { app } = ctx;
  const consultation = consultationOf(ctx, input.consultationId);
  const base = { consultationId: consultation.id, userId: ctx.user.userId, ...(input.clientUuid ? { clientUuid: input.clientUuid } : {}) };
  const existing = app.chat.existing(base);
  if (existing) {
    // Reference: the second insert hits the database's unique key (the first one did succeed).
    if (!app.profile.features.has('idempotent_send')) throw new DomainError(DUPLICATE_CLIENT_UUID, 'conflict');
    ctx.reply('new_message', newMessagePayload(existing));
    if (enhanced)
      ctx.reply('enhanced_message_received', { message: wire(existing), consultationId: consultation.id, senderId: existing.senderId });
    return;
  }
  app.chat.checkRate(consultation.id, ctx.user.userId);
  const person = app.consultations.person(ctx.user.userId, ctx.user.role);
  const message = app.chat.add({
    ...base,
    role: ctx.user.role,
    firstName: person.firstName,
    lastName: person.lastName,
    content: input.content,
    ...(input.messageType ? { messageType: input.messageType } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
  });
  app.hub.toConsultation(consultation.id, 'new_message', newMessagePayload(message));
  if (enhanced) {
    app.hub.toConsultation(consultation.id, 'enhanced_message_received', {
      message: wire(message),
      consultationId: consultation.id,
      senderId: message.senderId,
    });
  }
  setTyping(app, consultation.id, ctx.user.userId, person.firstName, false);
}

/** Updates who is typing and tells the others (and `typing_indicator_updated` to everyone). */
export function setTyping(app: App, consultationId: Id, userId: Id, userName: string, isTyping: boolean, force = false): void {
  const changed = app.typing.set(consultationId, userId, userName, isTyping);
  if (!changed && !force) return;
  announceTyping(app, consultationId, userId, userName, isTyping);
}

export function announceTyping(app: App, consultationId: Id, userId: Id, userName: string, isTyping: boolean): void {
  const event = { consultationId, userId, userName, isTyping };
  app.hub.toConsultation(consultationId, 'user_typing', event, { exceptUserId: userId });
  app.hub.toConsultation(consultationId, 'typing', event, { exceptUserId: userId });
  app.hub.toConsultation(consultationId, 'typing_indicator_updated', { userId, isTyping, consultationId });
}

function typingHandler(
  ctx: HandlerContext,
  input: { consultationId: Id; userId?: Id; userName?: string; isTyping?: boolean },
  fallback: boolean,
): void {
  if (input.userId !== undefined) requireSelf(ctx, input.userId);
  const consultation = consultationOf(ctx, input.consultationId);
  const name = input.userName ?? ctx.app.consultations.person(ctx.user.userId, ctx.user.role).firstName;
  // An explicit request always answers (typing_indicator_updated), even when nothing changed.
  setTyping(ctx.app, consultation.id, ctx.user.userId, name, input.isTyping ?? fallback, true);
}

function messageOf(ctx: HandlerContext, consultationId: Id, messageId: Id) {
  const consultation = consultationOf(ctx, consultationId);
  return { consultation, message: ctx.app.chat.require(consultation.id, messageId) };
}

/** Chat: messages, history, edits, deletes, read receipts, typing. */
export const chatHandlers: HandlerTable = {
  send_message(ctx, input) {
    sendMessage(ctx, input, false);
  },

  send_enhanced_message(ctx, input) {
    sendMessage(ctx, input, true);
  },

  request_message_history(ctx, { consultationId, limit, offset }) {
    const consultation = consultationOf(ctx, consultationId);
    const page = ctx.app.chat.page(consultation.id, limit ?? 50, offset ?? 0);
    // `limit`/`offset` echo the page asked for (history_echo), so a client can tell it from the history sent on connect.
    ctx.reply('message_history', {
      messages: page.messages.map(wire),
      consultationId: consultation.id,
      hasMore: page.hasMore,
      ...(ctx.app.profile.features.has('history_echo') ? { limit: limit ?? 50, offset: offset ?? 0 } : {}),
      timestamp: nowIso(),
    });
  },

  edit_message(ctx, { messageId, content, consultationId }) {
    const consultation = consultationOf(ctx, consultationId);
    const message = ctx.app.chat.edit(consultation.id, messageId, ctx.user.userId, content);
    ctx.app.hub.toConsultation(consultation.id, 'message_edited', {
      message: wire(message),
      consultationId: consultation.id,
      timestamp: nowIso(),
    });
  },

  delete_message(ctx, { messageId, consultationId }) {
    const consultation = consultationOf(ctx, consultationId);
    const message = ctx.app.chat.delete(consultation.id, messageId, ctx.user.userId, isStaff(ctx.user.role));
    ctx.app.hub.toConsultation(consultation.id, 'message_deleted', {
      message: wire(message),
      consultationId: consultation.id,
      timestamp: nowIso(),
    });
  },

  mark_message_read(ctx, { consultationId, messageId, userId }) {
    requireSelf(ctx, userId);
    const { consultation, message } = messageOf(ctx, consultationId, messageId);
    ctx.app.chat.markRead([message], ctx.user.userId);
    const readAt = ctx.app.chat.receiptOf(message, ctx.user.userId) ?? nowIso();
    ctx.app.hub.toConsultation(consultation.id, 'message_read', {
      messageId: message.id,
      userId: ctx.user.userId,
      consultationId: consultation.id,
      readAt,
    });
  },

  mark_all_read(ctx, { consultationId }) {
    const consultation = consultationOf(ctx, consultationId);
    const readAt = ctx.app.chat.markRead(ctx.app.chat.visible(consultation.id), ctx.user.userId);
    ctx.app.hub.toConsultation(consultation.id, 'all_messages_read', { userId: ctx.user.userId, consultationId: consultation.id, readAt });
  },

  bulk_mark_read(ctx, { consultationId, messageIds }) {
    const consultation = consultationOf(ctx, consultationId);
    if (messageIds.length === 0) throw new DomainError('messageIds is empty');
    // All ids are checked before any receipt is written: one unknown id changes nothing.
    const messages = messageIds.map((id) => ctx.app.chat.require(consultation.id, id));
    const readAt = ctx.app.chat.markRead(messages, ctx.user.userId);
    ctx.app.hub.toConsultation(consultation.id, 'messages_bulk_read', {
      messageIds: messages.map((m) => m.id),
      userId: ctx.user.userId,
      consultationId: consultation.id,
      readAt,
    });
  },

  typing(ctx, input) {
    typingHandler(ctx, input, true);
  },
  user_typing(ctx, input) {
    typingHandler(ctx, input, true);
  },
  typing_indicator(ctx, input) {
    typingHandler(ctx, input, true);
  },
  update_typing_indicator(ctx, input) {
    typingHandler(ctx, input, true);
  },
  update_typing_indicator_enhanced(ctx, input) {
    typingHandler(ctx, input, true);
  },
  start_typing(ctx, { consultationId }) {
    typingHandler(ctx, { consultationId }, true);
  },
  stop_typing(ctx, { consultationId }) {
    typingHandler(ctx, { consultationId }, false);
  },

  get_typing_users(ctx, { consultationId }) {
    const consultation = consultationOf(ctx, consultationId);
    ctx.reply('typing_users', { consultationId: consultation.id, typingUsers: ctx.app.typing.users(consultation.id), timestamp: nowIso() });
  },
};
