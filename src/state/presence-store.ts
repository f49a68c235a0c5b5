import { BehaviorSubject, Subscription, merge, type Observable } from 'rxjs';
import type { HcwClient } from '../client.js';

/** A system notification as the app lists it. */
export interface SystemNotification {
  readonly type: string;
  readonly message: string;
  readonly priority?: string;
  readonly timestamp: string | number;
  readonly data?: unknown;
}

export interface PresenceState {
  /** Practitioners known to be online (ids as strings). */
  readonly practitionersOnline: readonly string[];
  /** Newest last, bounded by `maxNotifications`. */
  readonly notifications: readonly SystemNotification[];
}

const ONLINE = new Set(['practitioner_online', 'practitioner-joined', 'doctor_joined']);
const OFFLINE = new Set(['practitioner_offline', 'practitioner-left']);

/** Practitioner presence and system notifications, from `/consultation` and `/enhanced-consultation`. */
export class PresenceStore {
  private readonly subject = new BehaviorSubject<PresenceState>({ practitionersOnline: [], notifications: [] });
  private readonly subscriptions = new Subscription();
  readonly state$: Observable<PresenceState> = this.subject.asObservable();

  constructor(
    client: HcwClient,
    private readonly maxNotifications = 50,
  ) {
    const { consultation, enhanced } = client;
    const add = <T>(source: Observable<T>, handler: (value: T) => void) => this.subscriptions.add(source.subscribe(handler));
    add(merge(consultation.on('system_notification'), enhanced.on('system_notification')), (e) => {
      const practitionerId = (e.data as { practitionerId?: unknown } | undefined)?.practitionerId;
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an id in free-form `data`, whatever the server sent
      if (practitionerId !== undefined) this.presence(e.type, String(practitionerId));
      this.notify({ type: e.type, message: e.message, priority: e.priority, timestamp: e.timestamp, data: e.data });
    });
    add(merge(consultation.on('system_notification_created'), enhanced.on('system_notification_created')), (e) =>
      this.notify({ type: e.notificationType, message: e.message, priority: e.priority, timestamp: e.timestamp }),
    );
    add(merge(consultation.on('doctor_joined'), enhanced.on('doctor_joined')), (e) =>
      this.presence('doctor_joined', String(e.practitionerId)),
    );
    add(merge(consultation.on('practitioner-joined'), enhanced.on('practitioner-joined')), (e) =>
      this.presence('practitioner-joined', String(e.practitionerId)),
    );
    add(merge(consultation.on('practitioner-left'), enhanced.on('practitioner-left')), (e) =>
      this.presence('practitioner-left', String(e.practitionerId)),
    );
  }

  get state(): PresenceState {
    return this.subject.value;
  }

  isOnline(practitionerId: string | number): boolean {
    return this.state.practitionersOnline.includes(String(practitionerId));
  }

  dispose(): void {
    this.subscriptions.unsubscribe();
    this.subject.complete();
  }

  private presence(type: string, practitionerId: string): void {
    const others = this.state.practitionersOnline.filter((id) => id !== practitionerId);
    if (ONLINE.has(type)) this.subject.next({ ...this.state, practitionersOnline: [...others, practitionerId] });
    else if (OFFLINE.has(type)) this.subject.next({ ...this.state, practitionersOnline: others });
  }

  private notify(notification: SystemNotification): void {
    const notifications = [...this.state.notifications, notification].slice(-this.maxNotifications);
    this.subject.next({ ...this.state, notifications });
  }
}
