import { BehaviorSubject, type Observable } from 'rxjs';
import { systemScheduler, type Scheduler, type TimerHandle } from '../core/scheduler.js';

/** A user typing right now. */
export interface TypingUser {
  readonly userId: string;
  readonly userName?: string;
}

/**
 * Who is typing, with expiry: a user whose "stopped typing" event was lost (disconnect, crash)
 * stops counting after `timeoutMs` without a fresh update.
 */
export class TypingTracker {
  private readonly timers = new Map<string, TimerHandle>();
  private readonly subject = new BehaviorSubject<readonly TypingUser[]>([]);
  readonly users$: Observable<readonly TypingUser[]> = this.subject.asObservable();

  constructor(
    private readonly selfId: string,
    private readonly timeoutMs: number,
    private readonly scheduler: Scheduler = systemScheduler,
  ) {}

  get users(): readonly TypingUser[] {
    return this.subject.value;
  }

  update(userId: string, isTyping: boolean, userName?: string | null): void {
    if (userId === this.selfId) return;
    this.clearTimer(userId);
    const others = this.subject.value.filter((user) => user.userId !== userId);
    if (!isTyping) {
      if (others.length !== this.subject.value.length) this.subject.next(others);
      return;
    }
    const known = this.subject.value.find((user) => user.userId === userId);
    const name = userName ?? known?.userName;
    this.subject.next([...others, name === undefined ? { userId } : { userId, userName: name }]);
    this.timers.set(
      userId,
      this.scheduler.setTimeout(() => this.update(userId, false), this.timeoutMs, { background: true }),
    );
  }

  /** The server's full list (`typing_users`): everyone else stops typing. */
  replace(users: readonly { userId: string | number; userName?: string | null | undefined }[]): void {
    const listed = new Set(users.map((user) => String(user.userId)));
    for (const user of this.subject.value) if (!listed.has(user.userId)) this.update(user.userId, false);
    for (const user of users) this.update(String(user.userId), true, user.userName);
  }

  dispose(): void {
    for (const timer of this.timers.values()) this.scheduler.clear(timer);
    this.timers.clear();
    this.subject.complete();
  }

  private clearTimer(userId: string): void {
    const timer = this.timers.get(userId);
    this.scheduler.clear(timer);
    this.timers.delete(userId);
  }
}
