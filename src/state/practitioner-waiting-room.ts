import { BehaviorSubject, Subscription, merge, type Observable } from 'rxjs';
import type { HcwClient } from '../client.js';
import { refreshAfterResync } from './refresh-after-resync.js';

/** A patient in the practitioner's waiting list. */
export interface WaitingPatient {
  readonly patientId: string;
  readonly consultationId?: string;
  readonly firstName?: string;
  readonly joinedAt?: string | number;
  readonly position?: number;
}

export interface PractitionerWaitingState {
  readonly patients: readonly WaitingPatient[];
  readonly waitingCount: number;
  readonly stats?: Readonly<Record<string, unknown>>;
}

const idOf = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

/**
 * The practitioner's side: the live waiting list (notifications, enhanced updates), counts, stats
 * and admission (plain or enhanced). Re-reads the list after a reconnection.
 */
export class PractitionerWaitingRoom {
  private readonly subject = new BehaviorSubject<PractitionerWaitingState>({ patients: [], waitingCount: 0 });
  private readonly subscriptions = new Subscription();
  readonly state$: Observable<PractitionerWaitingState> = this.subject.asObservable();

  constructor(private readonly client: HcwClient) {
    const { consultation, enhanced } = client;
    const add = <T>(source: Observable<T>, handler: (value: T) => void) => this.subscriptions.add(source.subscribe(handler));
    // The enhanced flows arrive on /consultation and /enhanced-consultation alike.
    add(merge(consultation.on('patient_waiting'), enhanced.on('patient_waiting')), (e) =>
      this.upsert({ patientId: String(e.patientId), consultationId: String(e.consultationId) }),
    );
    add(merge(consultation.on('patient_entered_waiting_room'), enhanced.on('patient_entered_waiting_room')), (e) =>
      this.upsert({ patientId: String(e.patientId), ...sessionFields(e.waitingRoomSession) }),
    );
    add(merge(consultation.on('waiting-room-update'), enhanced.on('waiting-room-update')), (e) =>
      this.replace(e.patients, e.waitingCount),
    );
    add(merge(consultation.on('patient_admitted_from_waiting_room'), enhanced.on('patient_admitted_from_waiting_room')), (e) =>
      this.remove(String(e.patientId)),
    );
    add(merge(consultation.on('practitioner_waiting_room_data'), enhanced.on('practitioner_waiting_room_data')), (e) => {
      const patients = e.waitingRoomData.patients ?? e.waitingRoomData.waitingPatients;
      if (Array.isArray(patients)) this.replace(patients as Record<string, unknown>[]);
    });
    add(consultation.on('waiting_room_notification'), (e) =>
      this.upsert({
        patientId: String(e.patientId),
        consultationId: String(e.consultationId),
        ...(e.patientFirstName ? { firstName: e.patientFirstName } : {}),
      }),
    );
    add(consultation.on('waiting_room_update'), (e) => this.patch({ waitingCount: e.waitingCount }));
    add(consultation.on('patient_admitted'), (e) => {
      const patientId = idOf(e.patient.id ?? e.patient.userId);
      if (patientId) this.remove(patientId);
    });
    this.subscriptions.add(refreshAfterResync(enhanced, () => this.open()));
  }

  get state(): PractitionerWaitingState {
    return this.subject.value;
  }

  /** Joins the practitioner room and loads the current waiting list. */
  async open(): Promise<PractitionerWaitingState> {
    const practitionerId = this.client.identity.userId;
    await this.client.enhanced.emit('join_practitioner_room', { practitionerId });
    await this.client.enhanced.request('get_practitioner_waiting_room', { practitionerId });
    return this.state;
  }

  /** Waiting-room statistics (answered by ack). */
  async refreshStats() {
    const stats = await this.client.enhanced.request('get_waiting_room_stats', { practitionerId: this.client.identity.userId });
    this.patch({ stats, waitingCount: stats.waitingCount });
    return stats;
  }

  /** Admits a patient: `plain` = `admit_patient` (ack), `enhanced` = `admit_from_waiting_room_enhanced`. */
  async admit(patientId: string, variant: 'plain' | 'enhanced' = 'plain'): Promise<void> {
    const consultationId = this.client.identity.consultationId;
    if (variant === 'plain') await this.client.consultation.admitPatient(patientId);
    else await this.client.enhanced.request('admit_from_waiting_room_enhanced', { consultationId, patientId });
    this.remove(patientId);
  }

  dispose(): void {
    this.subscriptions.unsubscribe();
    this.subject.complete();
  }

  private patch(change: Partial<PractitionerWaitingState>): void {
    this.subject.next({ ...this.subject.value, ...change });
  }

  private upsert(patient: WaitingPatient): void {
    const patients = this.state.patients.filter((p) => p.patientId !== patient.patientId);
    const existing = this.state.patients.find((p) => p.patientId === patient.patientId);
    const next = [...patients, { ...existing, ...patient }];
    this.patch({ patients: next, waitingCount: next.length });
  }

  private remove(patientId: string): void {
    const patients = this.state.patients.filter((p) => p.patientId !== patientId);
    this.patch({ patients, waitingCount: patients.length });
  }

  private replace(list: readonly Record<string, unknown>[], count?: number): void {
    const patients: WaitingPatient[] = [];
    for (const raw of list) {
      const patientId = idOf(raw.patientId ?? raw.userId ?? raw.id);
      if (patientId) patients.push({ patientId, ...sessionFields(raw) });
    }
    this.patch({ patients, waitingCount: count ?? patients.length });
  }
}

function sessionFields(raw: Record<string, unknown>): Omit<WaitingPatient, 'patientId'> {
  const fields: { -readonly [K in keyof WaitingPatient]?: WaitingPatient[K] } = {};
  const consultationId = idOf(raw.consultationId);
  if (consultationId) fields.consultationId = consultationId;
  if (typeof raw.firstName === 'string') fields.firstName = raw.firstName;
  if (typeof raw.patientFirstName === 'string') fields.firstName = raw.patientFirstName;
  if (typeof raw.joinedAt === 'string' || typeof raw.joinedAt === 'number') fields.joinedAt = raw.joinedAt;
  if (typeof raw.position === 'number') fields.position = raw.position;
  return fields;
}
