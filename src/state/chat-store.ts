import { BehaviorSubject, Observable, Subscription, distinctUntilChanged, filter, firstValueFrom, map, race } from 'rxjs';
import { checkPayload, type ChatMessage, type ChatNamespace, type OutgoingPayload } from '../contract/index.js';
import { HcwError } from '../core/errors.js';
import { systemScheduler, type Scheduler } from '../core/scheduler.js';
import { toChatMessage, type ChatService, type SendMessageOptions } from '../namespaces/chat.js';
import type { ClientIdentity } from '../namespaces/context.js';
import { refreshAfterResync } from './refresh-after-resync.js';
import { TypingTracker, type TypingUser } from './typing-tracker.js';

/** Delivery status of a message in the store. */
export type ChatEntryStatus = 'pending' | 'sent' | 'failed';

/** One message as the app renders it. */
export interface ChatEntry {
  /** Server id once known; the `clientUuid` while pending. */
  readonly key: string;
  readonly message: ChatMessage;
  readonly status: ChatEntryStatus;
  /** Users (ids as strings) who read this message, the author excluded. */
  readonly readBy: readonly string[];
  /** Why sending failed (`failed` only). */
  readonly error?: HcwError;
}

export interface ChatStoreOptions {
  /** Messages kept in memory; older ones are dropped and `hasMore` turns true. Default 500. */
  maxMessages?: number;
  /** Page size of `loadOlder()` and of the resync after a reconnection. Default 50. */
  pageSize?: number;
  /** A typing user with no update for this long is no longer typing. Default 6000 ms. */
  typingTimeoutMs?: number;
  /** Sends of one message before it is marked `failed`. Default 5. */
  sendAttempts?: number;
  /** Wait for the server's copy before sending again. Default 10 000 ms. */
  echoTimeoutMs?: number;
  /** Timers and clock (default: the host's; pass the client's, `client.connection.options.scheduler`, to drive time in tests). */
  scheduler?: Scheduler;
}

const idOf = (value: string | number | null | undefined) => (value === null || value === undefined ? undefined : String(value));
const timeOf = (message: ChatMessage): number => {
  const value = message.createdAt ?? message.timestamp;
  if (typeof value === 'number') return value;
  const parsed = value === undefined || value === null ? NaN : Date.parse(value);
  return Number.isNaN(parsed) ? Number.MAX_SAFE_INTEGER : parsed;
};

/** Server time, then id (numerically when both are numbers: ids are sequences on most backends). */
function byServerOrder(a: ChatEntry, b: ChatEntry): number {
  const byTime = timeOf(a.message) - timeOf(b.message);
  if (byTime !== 0) return byTime;
  const [x, y] = [Number(a.key), Number(b.key)];
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : a.key.localeCompare(b.key);
}

/**
 * The chat of one consultation: messages ordered by server time and deduplicated by id and
 * clientUuid, optimistic sends, edits, deletes, read receipts, typing users and history paging,
 * kept exact across reconnections (the gap is refilled from history).
 */
export class ChatStore {
  private readonly entries = new BehaviorSubject<readonly ChatEntry[]>([]);
  private readonly more = new BehaviorSubject<boolean>(false);
  private readonly typing: TypingTracker;
  private readonly subscriptions = new Subscription();
  private readonly options: Required<ChatStoreOptions>;
  private readonly me: string;
  /** Unconfirmed sends, oldest first; `written` = sent on the current connection, `writes` = sends in all. */
  private readonly outbox = new Map<
    string,
    { payload: OutgoingPayload<ChatNamespace, 'send_message'>; written: boolean; writes: number }
  >();
  /**
   * The `clientUuid` of every `send_message` written on this connection and not answered yet, in
   * order. The server answers a socket's sends in order (the echo or `message_error`), so the oldest
   * unanswered write is the one a `message_error` is about.
   */
  private unanswered: string[] = [];
  private disposed = false;
  /** Connected on the last state seen. */
  private online = false;

  /** Messages, oldest first. */
  readonly messages$: Observable<readonly ChatEntry[]> = this.entries.asObservable();
  /** Messages from others this user has not read. */
  readonly unreadCount$: Observable<number>;
  /** Whether older messages exist on the server (call `loadOlder()`). */
  readonly hasMore$: Observable<boolean> = this.more.asObservable();
  /** Users typing right now (this user excluded). */
  readonly typingUsers$: Observable<readonly TypingUser[]>;

  constructor(
    private readonly chat: ChatService,
    private readonly identity: ClientIdentity,
    options: ChatStoreOptions = {},
  ) {
    this.options = {
      maxMessages: 500,
      pageSize: 50,
      typingTimeoutMs: 6000,
      sendAttempts: 5,
      echoTimeoutMs: 10_000,
      scheduler: systemScheduler,
      ...options,
    };
    this.me = String(identity.userId);
    this.typing = new TypingTracker(this.me, this.options.typingTimeoutMs, this.options.scheduler);
    this.typingUsers$ = this.typing.users$;
    this.unreadCount$ = this.entries.pipe(
      map(() => this.unreadCount),
      distinctUntilChanged(),
    );

    const add = <T>(source: Observable<T>, handler: (value: T) => void) => this.subscriptions.add(source.subscribe(handler));
    add(chat.on('new_message'), (event) => this.upsert(toChatMessage(event), 'sent'));
    add(chat.on('message_history'), (event) => this.mergeHistory(event.messages, event.hasMore));
    add(chat.on('message_edited'), (event) => this.upsert(toChatMessage(event), 'sent'));
    add(chat.on('message_deleted'), (event) => this.remove(idOf(event.message.id)));
    add(chat.on('message_read'), (event) => this.markRead([idOf(event.messageId)], idOf(event.userId)));
    add(chat.on('messages_bulk_read'), (event) => this.markRead(event.messageIds.map(idOf), idOf(event.userId)));
    add(chat.on('all_messages_read'), (event) => this.markRead(undefined, idOf(event.userId)));
    add(chat.on('user_typing'), (event) => this.typing.update(String(event.userId), event.isTyping ?? true, event.userName));
    add(chat.on('typing_indicator_updated'), (event) => this.typing.update(String(event.userId), event.isTyping));
    add(chat.on('typing_users'), (event) => this.typing.replace(event.typingUsers));
    // Fields outside an event's `requires` may be missing (delivered despite drift): read them defensively.
    add(chat.on('message_error'), (event) => this.onSendError(event.error ?? 'message refused'));
    add(chat.state$, (state) => this.onState(state.status === 'connected'));
    this.subscriptions.add(refreshAfterResync(chat, () => this.refill()));
  }

  /** Current messages, oldest first. */
  get messages(): readonly ChatEntry[] {
    return this.entries.value;
  }

  get hasMore(): boolean {
    return this.more.value;
  }

  get typingUsers(): readonly TypingUser[] {
    return this.typing.users;
  }

  get unreadCount(): number {
    return this.entries.value.filter(
      (entry) => entry.status === 'sent' && this.authorOf(entry) !== this.me && !entry.readBy.includes(this.me),
    ).length;
  }

  /**
   * Sends a message optimistically: it appears at once as `pending`, becomes `sent` with the
   * server's copy, or `failed` (then `retry(key)`). Resolves with the final entry.
   */
  async send(content: string, options: Omit<SendMessageOptions, 'clientUuid'> = {}): Promise<ChatEntry> {
    const clientUuid = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
    return this.deliver(clientUuid, content, options);
  }

  /** Sends a `failed` message again with the same idempotency key (never posted twice). */
  retry(key: string): Promise<ChatEntry> {
    const entry = this.entries.value.find((candidate) => candidate.key === key && candidate.status === 'failed');
    if (!entry?.message.clientUuid) return Promise.reject(new Error(`no failed message ${key}`));
    return this.deliver(entry.message.clientUuid, entry.message.content, {});
  }

  /**
   * Loads the page of history just before the oldest message held (`request_message_history`,
   * offset = messages held, counted from the newest: the store always holds the newest ones).
   */
  async loadOlder(): Promise<void> {
    const held = this.entries.value.filter((entry) => entry.status === 'sent').length;
    const page = await this.chat.loadHistory(this.options.pageSize, held);
    this.mergeHistory(page.messages, page.hasMore, true);
  }

  /** Marks everything read (server-side too). */
  async markAllRead(): Promise<void> {
    await this.chat.markAllRead();
  }

  /** Drops messages beyond the newest `keep` (memory bound for long chats). */
  dropOlder(keep: number): void {
    const entries = this.entries.value;
    if (entries.length <= keep) return;
    this.entries.next(entries.slice(entries.length - keep));
    this.more.next(true);
  }

  dispose(): void {
    this.disposed = true;
    this.outbox.clear();
    this.subscriptions.unsubscribe();
    this.typing.dispose();
    this.entries.complete();
    this.more.complete();
  }

  // ---- Internals -----------------------------------------------------------------------------------

  /**
   * Sends until the server's copy arrives. Unconfirmed messages wait in an ordered outbox and are
   * written only while connected; every new connection re-sends them all, oldest first, with their
   * `clientUuid` (the server deduplicates). So a packet lost with a dropped transport is never lost
   * for good, never posted twice, and each sender's messages keep their order.
   */
  private async deliver(clientUuid: string, content: string, options: Omit<SendMessageOptions, 'clientUuid'>) {
    const draft: ChatMessage = {
      id: clientUuid,
      clientUuid,
      content,
      userId: this.me,
      senderId: this.me,
      createdAt: this.options.scheduler.now(),
      ...(options.messageType ? { messageType: options.messageType } : {}),
    };
    const payload = this.chat.messagePayload(content, clientUuid, options);
    const check = checkPayload(this.chat.spec, 'send_message', payload);
    if (!check.ok)
      throw new HcwError('invalid_payload', check.message, { namespace: '/chat', event: 'send_message', issues: check.issues });
    this.put({ key: clientUuid, message: draft, status: 'pending', readBy: [] });
    this.outbox.set(clientUuid, { payload, written: false, writes: 0 });
    this.flushOutbox();

    const settled = this.entries.pipe(
      map((entries) => entries.find((entry) => entry.message.clientUuid === clientUuid)),
      filter((entry): entry is ChatEntry => entry !== undefined && entry.status !== 'pending'),
    );
    const timeoutMs = options.timeoutMs ?? this.options.echoTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      const outcome = await firstValueFrom(race(settled, this.delay(timeoutMs)));
      if (outcome) return outcome;
      if (attempt >= this.options.sendAttempts || this.disposed) break;
      // No echo in time on a live connection: write it again.
      const queued = this.outbox.get(clientUuid);
      if (queued) queued.written = false;
      this.flushOutbox();
    }
    this.outbox.delete(clientUuid);
    const current = this.find(clientUuid, clientUuid);
    if (current && current.status !== 'pending') return current;
    const error = new HcwError('timeout', `/chat send_message: no echo for ${clientUuid}`, { namespace: '/chat', event: 'send_message' });
    const failed: ChatEntry = { key: clientUuid, message: draft, status: 'failed', readBy: [], error };
    this.put(failed, current);
    return failed;
  }

  /** Emits `undefined` once after `ms`, on the store's scheduler. */
  private delay(ms: number): Observable<undefined> {
    return new Observable<undefined>((subscriber) => {
      const handle = this.options.scheduler.setTimeout(() => {
        subscriber.next(undefined);
        subscriber.complete();
      }, ms);
      return () => this.options.scheduler.clear(handle);
    });
  }

  /** Writes the unconfirmed messages not yet written on this connection, oldest first. */
  private flushOutbox(): void {
    if (!this.chat.connected) return;
    for (const [clientUuid, entry] of this.outbox) {
      if (entry.written) continue;
      entry.written = true;
      entry.writes++;
      this.unanswered.push(clientUuid);
      this.chat.emit('send_message', entry.payload).catch((error: unknown) => {
        this.outbox.delete(clientUuid);
        const pending = this.find(clientUuid, clientUuid);
        if (pending?.status === 'pending') this.put({ ...pending, status: 'failed', error: error as HcwError }, pending);
      });
    }
  }

  /**
   * Connection lost: the answers to this connection's writes are lost with it. Connected again:
   * nothing in the outbox has reached this server session yet, so it is sent again (the server
   * deduplicates by clientUuid, or refuses the duplicate: see {@link onSendError}).
   */
  private onState(connected: boolean): void {
    if (connected === this.online) return;
    this.online = connected;
    this.unanswered = [];
    if (!connected) return;
    for (const entry of this.outbox.values()) entry.written = false;
    this.flushOutbox();
  }

  /**
   * `message_error` answers the oldest unanswered write. A refusal never fails a message that was
   * delivered: ignored when the message already has its echo or another write of it is still
   * unanswered; when an earlier write of it may have been stored (a slow echo, a lost one, a server
   * that refuses duplicate `clientUuid`s), the history decides.
   */
  private onSendError(reason: string): void {
    const clientUuid = this.unanswered.shift();
    if (clientUuid === undefined) return; // not about a send of this store
    const entry = this.find(undefined, clientUuid);
    if (!entry || entry.status !== 'pending' || this.unanswered.includes(clientUuid)) return;
    const error = new HcwError('server_error', `/chat send_message: ${reason}`, { namespace: '/chat', event: 'send_message' });
    if ((this.outbox.get(clientUuid)?.writes ?? 1) <= 1) return this.fail(clientUuid, error);
    void this.chat.loadHistory(this.options.pageSize, 0).then(
      (page) => {
        const stored = page.messages.find((message) => message.clientUuid === clientUuid);
        if (stored) this.upsert(toChatMessage({ message: stored }), 'sent');
        else this.fail(clientUuid, error);
      },
      () => this.fail(clientUuid, error),
    );
  }

  private fail(clientUuid: string, error: HcwError): void {
    const pending = this.find(undefined, clientUuid);
    if (pending?.status !== 'pending') return;
    this.outbox.delete(clientUuid);
    this.put({ ...pending, status: 'failed', error }, pending);
  }

  private authorOf(entry: ChatEntry): string | undefined {
    return idOf(entry.message.userId ?? entry.message.senderId);
  }

  private find(id: string | undefined, clientUuid: string | undefined): ChatEntry | undefined {
    return this.entries.value.find(
      (entry) =>
        (id !== undefined && (entry.key === id || idOf(entry.message.id) === id)) ||
        (clientUuid !== undefined && entry.message.clientUuid === clientUuid),
    );
  }

  /** Inserts or replaces the server's copy of a message, reconciling an optimistic entry. */
  private upsert(message: ChatMessage, status: ChatEntryStatus, receiptsComplete = false): ChatEntry {
    if (message.clientUuid) {
      this.outbox.delete(message.clientUuid);
      const answered = this.unanswered.indexOf(message.clientUuid);
      if (answered >= 0) this.unanswered.splice(answered, 1);
    }
    const id = idOf(message.id)!;
    const existing = this.find(id, message.clientUuid ?? undefined);
    // A history page's receipts are the whole truth for that message (receipts made while away).
    const readBy = new Set(receiptsComplete && message.readReceipts ? [] : (existing?.readBy ?? []));
    for (const receipt of message.readReceipts ?? []) {
      const reader = idOf((receipt as { userId?: string | number }).userId);
      if (reader) readBy.add(reader);
    }
    const entry: ChatEntry = { key: id, message: { ...existing?.message, ...message }, status, readBy: [...readBy] };
    this.put(entry, existing);
    return entry;
  }

  private put(entry: ChatEntry, replacing?: ChatEntry): void {
    const others = this.entries.value.filter((candidate) => candidate !== replacing && candidate.key !== entry.key);
    const next = [...others, entry].sort(byServerOrder);
    const overflow = next.length - this.options.maxMessages;
    if (overflow > 0) {
      this.more.next(true);
      this.entries.next(next.slice(overflow));
    } else {
      this.entries.next(next);
    }
  }

  private mergeHistory(messages: readonly ChatMessage[], hasMore: boolean | null | undefined, older = false): void {
    const wasEmpty = this.entries.value.length === 0;
    for (const message of messages) this.upsert(toChatMessage({ message }), 'sent');
    // A page tells whether older messages exist only when it reached past what the store held.
    if ((older || wasEmpty) && typeof hasMore === 'boolean') this.more.next(hasMore);
  }

  private remove(id: string | undefined): void {
    if (id === undefined) return;
    this.entries.next(this.entries.value.filter((entry) => entry.key !== id && idOf(entry.message.id) !== id));
  }

  private markRead(messageIds: (string | undefined)[] | undefined, reader: string | undefined): void {
    if (!reader) return;
    const targets = messageIds && new Set(messageIds);
    this.entries.next(
      this.entries.value.map((entry) => {
        const hit = targets ? targets.has(entry.key) : this.authorOf(entry) !== reader;
        if (!hit || entry.readBy.includes(reader) || this.authorOf(entry) === reader) return entry;
        return { ...entry, readBy: [...entry.readBy, reader] };
      }),
    );
  }

  /**
   * After a reconnection the server could not recover (see {@link refreshAfterResync}, which runs
   * it again until it completes): re-reads the history from the newest message back to the oldest
   * one the store holds (or to the end of the history, or `maxMessages`), page after page, and
   * makes the store equal to it: messages sent while away are added, edits and read receipts
   * applied, held messages the history no longer returns (deleted while away) removed.
   * Cost: about `held / pageSize + 1` requests. Consecutive pages overlap by one message, so a
   * history that changes while it is read leaves a hole that is never taken for deletions.
   * Unconfirmed sends are kept.
   */
  private async refill(): Promise<void> {
    const sent = this.entries.value.filter((entry) => entry.status === 'sent');
    const oldestHeld = sent[0];
    const covered: { oldest: ChatEntry; newest: ChatEntry }[] = [];
    const seen = new Set<string>();
    const returned: ChatMessage[] = [];
    let historyEnded = false;
    for (let offset = 0; ;) {
      const page = await this.chat.loadHistory(this.options.pageSize, offset);
      const entries = page.messages
        .map((message) => toChatMessage({ message }))
        .filter((message) => !message.deletedAt)
        .map((message): ChatEntry => ({ key: idOf(message.id)!, message, status: 'sent', readBy: [] }))
        .sort(byServerOrder);
      for (const entry of entries) {
        if (!seen.has(entry.key)) returned.push(entry.message);
        seen.add(entry.key);
      }
      if (entries.length > 0) covered.push({ oldest: entries[0]!, newest: entries.at(-1)! });
      historyEnded = page.hasMore === false || entries.length === 0;
      const reachedHeld = oldestHeld !== undefined && entries.length > 0 && byServerOrder(entries[0]!, oldestHeld) <= 0;
      if (historyEnded || reachedHeld || offset + entries.length >= this.options.maxMessages) break;
      offset += Math.max(1, entries.length - 1); // one message of overlap with the next page
    }
    const last = covered.at(-1);
    const inWindow = (entry: ChatEntry) =>
      covered.some(
        (range) => byServerOrder(entry, range.newest) <= 0 && (byServerOrder(entry, range.oldest) >= 0 || (historyEnded && range === last)),
      ) ||
      (historyEnded && covered.length === 0);
    const gone = new Set(sent.filter((entry) => !seen.has(entry.key) && inWindow(entry)));
    if (gone.size > 0) this.entries.next(this.entries.value.filter((entry) => !gone.has(entry)));
    for (const message of returned) this.upsert(message, 'sent', true);
    if (historyEnded) this.more.next(false);
  }
}
