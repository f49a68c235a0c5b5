import { key, type Id } from './errors.js';

export interface TypingEntry {
  userId: string;
  userName: string;
  since: number;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Who is typing, per consultation. An entry expires after `timeoutMs` without a refresh; `onExpire`
 * lets the caller tell the room.
 */
export class TypingStore {
  private readonly byConsultation = new Map<string, Map<string, TypingEntry>>();

  constructor(
    private readonly timeoutMs: number,
    private readonly onExpire: (consultationId: string, userId: string, userName: string) => void,
  ) {}

  /** Returns true when the state changed (start after not typing, or stop after typing). */
  set(consultationId: Id, userId: Id, userName: string, isTyping: boolean): boolean {
    const cid = key(consultationId);
    const uid = key(userId);
    let users = this.byConsultation.get(cid);
    if (!users) this.byConsultation.set(cid, (users = new Map<string, TypingEntry>()));
    const existing = users.get(uid);
    if (existing) clearTimeout(existing.timer);
    if (!isTyping) {
      users.delete(uid);
      return existing !== undefined;
    }
    const timer = setTimeout(() => {
      users.delete(uid);
      this.onExpire(cid, uid, userName);
    }, this.timeoutMs);
    timer.unref?.();
    users.set(uid, { userId: uid, userName, since: existing?.since ?? Date.now(), timer });
    return existing === undefined;
  }

  isTyping(consultationId: Id, userId: Id): boolean {
    return this.byConsultation.get(key(consultationId))?.has(key(userId)) ?? false;
  }

  users(consultationId: Id): { userId: string; userName: string }[] {
    return [...(this.byConsultation.get(key(consultationId))?.values() ?? [])].map(({ userId, userName }) => ({ userId, userName }));
  }

  clear(): void {
    for (const users of this.byConsultation.values()) for (const entry of users.values()) clearTimeout(entry.timer);
    this.byConsultation.clear();
  }
}
