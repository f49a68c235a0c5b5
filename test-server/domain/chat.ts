import type { MessageType, Role } from '../../src/contract/index.js';
import type { RateLimit } from '../options.js';
import { DomainError, key, nowIso, type Id } from './errors.js';

export interface ReadReceipt {
  userId: string;
  readAt: string;
}

export interface StoredMessage {
  id: number;
  consultationId: number;
  userId: string;
  senderId: string;
  senderName: string;
  /** Null in the reference profile (the reference backend never sets the column). */
  senderRole: Role | null;
  content: string;
  messageType: MessageType;
  metadata: Record<string, unknown> | null;
  clientUuid: string | null;
  createdAt: string;
  timestamp: string;
  editedAt: string | null;
  deletedAt: string | null;
  isSystem: boolean;
  isRead: boolean;
  readAt: string | null;
  deliveryStatus: string;
  mediaUrl: string | null;
  mediaType: string | null;
  fileName: string | null;
  fileSize: number | null;
  replyToId: null;
  user: { id: string; firstName: string; lastName: string; role: Role };
  readReceipts: ReadReceipt[];
}

export interface NewMessage {
  consultationId: number;
  userId: string;
  role: Role;
  firstName: string;
  lastName: string;
  content: string;
  messageType?: MessageType;
  metadata?: Record<string, unknown>;
  clientUuid?: string;
  file?: { url: string; name: string; size: number; type: string };
}

/** Messages per consultation (shared by /chat and /consultation), idempotent on clientUuid. */
export class ChatStore {
  private readonly messages = new Map<string, StoredMessage[]>();
  private readonly byClientUuid = new Map<string, StoredMessage>();
  private readonly sends = new Map<string, number[]>();
  private nextId = 1;

  constructor(
    private readonly rateLimit: RateLimit,
    private readonly options: { nullSenderRole?: boolean } = {},
  ) {}

  private list(consultationId: Id): StoredMessage[] {
    let list = this.messages.get(key(consultationId));
    if (!list) this.messages.set(key(consultationId), (list = []));
    return list;
  }

  private uuidKey(consultationId: Id, userId: Id, clientUuid: string) {
    return `${key(consultationId)}|${key(userId)}|${clientUuid}`;
  }

  /** The message already stored for this clientUuid, if any (a retry). */
  existing(input: Pick<NewMessage, 'consultationId' | 'userId' | 'clientUuid'>): StoredMessage | undefined {
    return input.clientUuid ? this.byClientUuid.get(this.uuidKey(input.consultationId, input.userId, input.clientUuid)) : undefined;
  }

  /** Throws when the sender exceeded the rate limit; counts this send otherwise. */
  checkRate(consultationId: Id, userId: Id, now = Date.now()): void {
    const rateKey = `${key(consultationId)}|${key(userId)}`;
    const recent = (this.sends.get(rateKey) ?? []).filter((t) => now - t < this.rateLimit.windowMs);
    if (recent.length >= this.rateLimit.max) {
      this.sends.set(rateKey, recent);
      throw new DomainError(
        `Rate limit exceeded: at most ${this.rateLimit.max} messages per ${this.rateLimit.windowMs / 1000} s`,
        'rate_limited',
      );
    }
    recent.push(now);
    this.sends.set(rateKey, recent);
  }

  add(input: NewMessage): StoredMessage {
    if (!input.content.trim() && !input.file) throw new DomainError('Message content is empty');
    const at = nowIso();
    const message: StoredMessage = {
      id: this.nextId++,
      consultationId: input.consultationId,
      userId: input.userId,
      senderId: input.userId,
      senderName: `${input.firstName} ${input.lastName}`.trim(),
      senderRole: this.options.nullSenderRole ? null : input.role,
      content: input.content,
      messageType: input.messageType ?? 'TEXT',
      metadata: input.metadata ?? null,
      clientUuid: input.clientUuid ?? null,
      createdAt: at,
      timestamp: at,
      editedAt: null,
      deletedAt: null,
      isSystem: false,
      isRead: false,
      readAt: null,
      deliveryStatus: 'sent',
      mediaUrl: input.file?.url ?? null,
      mediaType: input.file?.type ?? null,
      fileName: input.file?.name ?? null,
      fileSize: input.file?.size ?? null,
      replyToId: null,
      user: { id: input.userId, firstName: input.firstName, lastName: input.lastName, role: input.role },
      readReceipts: [],
    };
    this.list(input.consultationId).push(message);
    if (input.clientUuid) this.byClientUuid.set(this.uuidKey(input.consultationId, input.userId, input.clientUuid), message);
    return message;
  }

  /** All messages of a consultation (deleted ones included), oldest first. */
  all(consultationId: Id): readonly StoredMessage[] {
    return this.messages.get(key(consultationId)) ?? [];
  }

  /** Visible (not deleted) messages. */
  visible(consultationId: Id): StoredMessage[] {
    return this.all(consultationId).filter((m) => !m.deletedAt);
  }

  /** A page counted from the newest: `offset` newest messages skipped, `limit` taken, returned oldest first. */
  page(consultationId: Id, limit = 50, offset = 0): { messages: StoredMessage[]; hasMore: boolean } {
    const visible = this.visible(consultationId);
    const end = Math.max(0, visible.length - offset);
    const start = Math.max(0, end - limit);
    return { messages: visible.slice(start, end), hasMore: start > 0 };
  }

  require(consultationId: Id, messageId: Id): StoredMessage {
    const message = this.all(consultationId).find((m) => key(m.id) === key(messageId));
    if (!message || message.deletedAt) throw new DomainError(`Message ${String(messageId)} not found`, 'not_found');
    return message;
  }

  edit(consultationId: Id, messageId: Id, userId: Id, content: string): StoredMessage {
    const message = this.require(consultationId, messageId);
    if (message.userId !== key(userId)) throw new DomainError('Only the author can edit a message', 'forbidden');
    if (!content.trim()) throw new DomainError('Message content is empty');
    message.content = content;
    message.editedAt = nowIso();
    return message;
  }

  delete(consultationId: Id, messageId: Id, userId: Id, moderator: boolean): StoredMessage {
    const message = this.require(consultationId, messageId);
    if (message.userId !== key(userId) && !moderator) throw new DomainError('Only the author can delete a message', 'forbidden');
    message.deletedAt = nowIso();
    message.content = '';
    return message;
  }

  /** Adds `userId`'s receipt to each message (idempotent); returns the receipt time. */
  markRead(messages: StoredMessage[], userId: Id): string {
    const readAt = nowIso();
    for (const message of messages) {
      if (message.userId === key(userId)) continue;
      if (message.readReceipts.some((r) => r.userId === key(userId))) continue;
      message.readReceipts.push({ userId: key(userId), readAt });
      message.isRead = true;
      message.readAt ??= readAt;
      message.deliveryStatus = 'read';
    }
    return readAt;
  }

  /** The first receipt time of `userId` on a message, if any. */
  receiptOf(message: StoredMessage, userId: Id): string | undefined {
    return message.readReceipts.find((r) => r.userId === key(userId))?.readAt;
  }
}
