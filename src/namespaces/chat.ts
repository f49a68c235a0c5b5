import type { ChatMessage, ChatNamespace, MessageType } from '../contract/index.js';
import type { Channel, RequestOptions } from '../core/channel.js';
import { randomId } from '../core/uuid.js';
import type { ClientIdentity } from './context.js';
import { NamespaceService } from './service.js';

/** Options of {@link ChatService.sendMessage}. */
export interface SendMessageOptions {
  /** Idempotency key; generated when omitted. Reuse it to retry the same message safely. */
  clientUuid?: string;
  messageType?: MessageType;
  metadata?: Record<string, unknown>;
  timeoutMs?: number;
}

/** `/chat`: the generic typed channel plus thin helpers that fill in the consultation and user. */
export class ChatService extends NamespaceService<ChatNamespace> {
  /** The history the server pushed on this connection, when it pushes one (the reference backend does). */
  private pushedHistory: object | undefined;
  private awaitingPush = false;
  /** Pages already taken as the answer of a request: without an echo, one answer per request, oldest request first. */
  private readonly claimedPages = new WeakSet<object>();

  constructor(
    channel: Channel<ChatNamespace>,
    private readonly identity: ClientIdentity,
  ) {
    super(channel);
    // The first history after a connect is the server's push, not an answer: subscribed here, before
    // any request, so it is marked before a request's `match` sees it.
    channel.watchState((state) => {
      if (state.status === 'connected') this.awaitingPush = true;
    });
    channel.listen('message_history', (page) => {
      if (!this.awaitingPush) return;
      this.awaitingPush = false;
      this.pushedHistory = page as object;
    });
  }

  /**
   * Sends a message and resolves with the server's copy (the `new_message` echo carrying the same
   * `clientUuid`), so a retry after a lost connection never posts twice.
   */
  sendMessage(content: string, options: SendMessageOptions = {}): Promise<{ clientUuid: string; message: ChatMessage }> {
    const clientUuid = options.clientUuid ?? randomId();
    const request: RequestOptions<{ message?: ChatMessage | null; clientUuid?: string | null }> = {
      match: (event) => (event.message?.clientUuid ?? event.clientUuid) === clientUuid,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    };
    return this.request('send_message', this.messagePayload(content, clientUuid, options), request).then((event) => ({
      clientUuid,
      message: toChatMessage(event),
    }));
  }

  /** The `send_message` payload of this user for `content`. */
  messagePayload(content: string, clientUuid: string, options: Pick<SendMessageOptions, 'messageType' | 'metadata'> = {}) {
    const { consultationId, userId, role } = this.identity;
    return {
      consultationId,
      userId,
      role,
      content,
      clientUuid,
      ...(options.messageType ? { messageType: options.messageType } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
    };
  }

  /** One page of history, oldest first (`offset` counts from the newest message). */
  loadHistory(limit = 50, offset = 0, timeoutMs?: number) {
    return this.request(
      'request_message_history',
      { consultationId: this.identity.consultationId, limit, offset },
      {
        match: (page) =>
          page.limit === undefined && page.offset === undefined
            ? // The reference backend echoes nothing but answers in order: the oldest waiting request
              // takes the next history that is not the one pushed on connect.
              page !== this.pushedHistory && !this.claimedPages.has(page) && (this.claimedPages.add(page), true)
            : // Servers that echo the page asked for tell the answer from the history pushed on connect.
              page.limit === limit && page.offset === offset,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      },
    );
  }

  /** Marks one message read by this user. */
  markRead(messageId: string | number) {
    const { consultationId, userId } = this.identity;
    return this.request('mark_message_read', { consultationId, messageId, userId });
  }

  /** Marks several messages read in one call. */
  markManyRead(messageIds: (string | number)[]) {
    return this.request('bulk_mark_read', { consultationId: this.identity.consultationId, messageIds });
  }

  /** Marks every message of the consultation read. */
  markAllRead() {
    return this.request('mark_all_read', { consultationId: this.identity.consultationId });
  }

  /** Tells the others this user is (or stopped) typing. */
  setTyping(isTyping: boolean) {
    const consultationId = this.identity.consultationId;
    return this.emit(isTyping ? 'start_typing' : 'stop_typing', { consultationId });
  }
}

/** One message shape from either spelling of a message event (nested `message` or flattened). */
export function toChatMessage(event: {
  message?: ChatMessage | null | undefined;
  id?: string | number | null | undefined;
  content?: string | null | undefined;
  consultationId?: string | number | null | undefined;
  timestamp?: string | number | null | undefined;
  [key: string]: unknown;
}): ChatMessage {
  const base = (event.message ?? event) as ChatMessage;
  const message: ChatMessage = { ...base };
  const fill = <K extends keyof ChatMessage>(key: K, value: ChatMessage[K] | null | undefined) => {
    if ((message[key] === undefined || message[key] === null) && value !== undefined && value !== null) message[key] = value;
  };
  fill('consultationId', event.consultationId);
  fill('senderId', base.userId);
  fill('userId', base.senderId);
  fill('createdAt', base.timestamp ?? event.timestamp);
  return message;
}
