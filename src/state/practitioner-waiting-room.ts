import { BehaviorSubject, Subscription, merge, type Observable } from 'rxjs';
import type { HcwClient } from '../client.js';
import { isHcwError } from '../core/errors.js';
import { refreshAfterResync } from './refresh-after-resync.js';

/** A patient in the practitioner's waiting list. */
export interface WaitingPatient {
  /** The patient's id; a consultation-only key (`consultation:<id>`) when the server did not say who. */
  readonly patientId: string;
  readonly consultationId?: string;
  readonly firstName?: string;
  readonly joinedAt?: string | number;
  readonly position?: number;
}

/** A patient as the app's own source lists them (its REST call); only one of the ids is needed. */
export interface WaitingPatientInput {
  patientId?: string | number;
  consultationId?: string | number;
  firstName?: string;
  joinedAt?: string | number;
  position?: number;
}

export interface PractitionerWaitingRoomOptions {
  /**
   * The app's own source of the waiting list (its REST call, for example). The reference backend
   * tells a practitioner who connects late nothing about patients already waiting, so this runs on
   * `open()` and after every reconnection the server could not recover, and replaces the list.
   * Without it the list comes from the live events only (and the test server's extensions).
   */
  loadWaitingPatients?: () => Promise<readonly WaitingPatientInput[]>;
}

export interface PractitionerWaitingState {
  readonly patients: readonly WaitingPatient[];
  readonly waitingCount: number;
  readonly stats?: Readonly<Record<string, unknown>>;
}

// eslint-disable-next-line @typescript-eslint/no-base-to-string -- an id field of a loose payload, whatever the server sent
const idOf = (value: unknown) => (value === undefined || value === null ? undefined : String(value));
const isWireId = (value: unknown): value is string | number => typeof value === 'string' || typeof value === 'number';

/**
 * The practitioner's side: the live waiting list, counts, stats and admission (plain or enhanced).
 *
 * From what the reference backend sends: `patient_waiting` (debounced there), `system_message`
 * `waiting_for_participant` / `user_left`, `consultation_status`; plus the app's
 * `loadWaitingPatients` on `open()` and after each resync, because that server tells a
 * practitioner who connects late nothing. The test server's richer events (`/enhanced-consultation`,
 * waiting-room updates) are used when they come.
 */
export class PractitionerWaitingRoom {
  private readonly subject = new BehaviorSubject<PractitionerWaitingState>({ patients: [], waitingCount: 0 });
  private readonly subscriptions = new Subscription();
  private readonly loadWaitingPatients: PractitionerWaitingRoomOptions['loadWaitingPatients'];
  /**
   * Patient ids as the server sent them, by their string form: sent back with the same type
   * (the reference backend compares numeric ids strictly).
   */
  private readonly wireIds = new Map<string, string | number>();
  readonly state$: Observable<PractitionerWaitingState> = this.subject.asObservable();

  constructor(
    private readonly client: HcwClient,
    options: PractitionerWaitingRoomOptions = {},
  ) {
    this.loadWaitingPatients = options.loadWaitingPatients;
    const { consultation, enhanced } = client;
    const here = idOf(client.identity.consultationId);
    const add = <T>(source: Observable<T>, handler: (value: T) => void) => this.subscriptions.add(source.subscribe(handler));
    // The enhanced flows arrive on /consultation and /enhanced-consultation alike.
    add(merge(consultation.on('patient_waiting'), enhanced.on('patient_waiting')), (e) =>
      this.upsert(patientOf(e, isWireId(e.patientId) ? this.keyOf(e.patientId) : undefined)),
    );
    // The consultation's own room: the patient of this consultation waits, leaves, is admitted.
    add(consultation.on('system_message'), (e) => {
      if (e.role !== 'PATIENT' || e.userId === undefined || e.userId === null) return;
      if (e.type === 'waiting_for_participant') this.upsert({ patientId: this.keyOf(e.userId), ...(here ? { consultationId: here } : {}) });
      if (e.type === 'user_left') this.remove(String(e.userId));
    });
    // The reference backend's only word to a practitioner who connects after the patient: `doctor_joined`
    // (a patient is connected). Whether that patient waits, the consultation's state tells.
    add(consultation.on('doctor_joined'), (e) => {
      if (idOf(e.practitionerId) === idOf(client.identity.userId)) void this.checkConsultation().catch(() => undefined);
    });
    add(consultation.on('consultation_status'), (e) => {
      // `SCHEDULED` again: every patient left; `ACTIVE` or over: nobody waits here any more.
      if (e.status !== 'WAITING' && here) this.removeConsultation(here);
    });
    add(merge(consultation.on('patient_entered_waiting_room'), enhanced.on('patient_entered_waiting_room')), (e) =>
      this.upsert({ patientId: this.keyOf(e.patientId), ...sessionFields(e.waitingRoomSession) }),
    );
    add(merge(consultation.on('waiting-room-update'), enhanced.on('waiting-room-update')), (e) => this.replace(e.patients, e.waitingCount));
    add(merge(consultation.on('patient_admitted_from_waiting_room'), enhanced.on('patient_admitted_from_waiting_room')), (e) =>
      this.remove(String(e.patientId)),
    );
    add(merge(consultation.on('practitioner_waiting_room_data'), enhanced.on('practitioner_waiting_room_data')), (e) => {
      const patients = e.waitingRoomData.patients ?? e.waitingRoomData.waitingPatients;
      if (Array.isArray(patients)) this.replace(patients as Record<string, unknown>[]);
    });
    add(consultation.on('waiting_room_notification'), (e) =>
      this.upsert({
        patientId: this.keyOf(e.patientId),
        consultationId: String(e.consultationId),
        ...(e.patientFirstName ? { firstName: e.patientFirstName } : {}),
      }),
    );
    add(consultation.on('waiting_room_update'), (e) => this.patch({ waitingCount: e.waitingCount }));
    add(consultation.on('patient_admitted'), (e) => {
      const patientId = idOf(e.patient.id ?? e.patient.userId);
      if (patientId) this.remove(patientId);
    });
    this.subscriptions.add(refreshAfterResync(consultation, () => this.refresh()));
  }

  get state(): PractitionerWaitingState {
    return this.subject.value;
  }

  /**
   * Loads the current waiting list: from `loadWaitingPatients` when given, else from
   * `/enhanced-consultation` where the server has it (a server without it leaves the list to the
   * live events).
   */
  async open(): Promise<PractitionerWaitingState> {
    await this.refresh();
    return this.state;
  }

  private async refresh(): Promise<void> {
    if (this.loadWaitingPatients) {
      this.replace((await this.loadWaitingPatients()) as readonly Record<string, unknown>[]);
      return;
    }
    const practitionerId = this.client.identity.userId;
    try {
      await this.client.enhanced.emit('join_practitioner_room', { practitionerId });
      await this.client.enhanced.request('get_practitioner_waiting_room', { practitionerId });
    } catch (error) {
      if (!isHcwError(error, 'unavailable')) throw error;
    }
  }

  /** Waiting-room statistics (answered by ack). */
  async refreshStats() {
    const stats = await this.client.enhanced.request('get_waiting_room_stats', { practitionerId: this.client.identity.userId });
    this.patch({ stats, waitingCount: stats.waitingCount });
    return stats;
  }

  /**
   * Admits a patient (`patientId` as the list shows it, or as the server gives it): `plain` =
   * `admit_patient` (ack), `enhanced` = `admit_from_waiting_room_enhanced`. The id goes out with the
   * type the server sent it with.
   */
  async admit(patientId: string | number, variant: 'plain' | 'enhanced' = 'plain'): Promise<void> {
    const consultationId = this.client.identity.consultationId;
    const wireId = this.wireIds.get(String(patientId)) ?? patientId;
    if (variant === 'plain') await this.client.consultation.admitPatient(wireId);
    else await this.client.enhanced.request('admit_from_waiting_room_enhanced', { consultationId, patientId: wireId });
    this.remove(String(patientId));
  }

  dispose(): void {
    this.subscriptions.unsubscribe();
    this.subject.complete();
  }

  private patch(change: Partial<PractitionerWaitingState>): void {
    this.subject.next({ ...this.subject.value, ...change });
  }

  /** Adds or updates a patient; an entry known only by its consultation merges with the patient's. */
  private upsert(patient: WaitingPatient): void {
    const same = (p: WaitingPatient) =>
      p.patientId === patient.patientId ||
      (p.consultationId !== undefined &&
        p.consultationId === patient.consultationId &&
        (isConsultationKey(p.patientId) || isConsultationKey(patient.patientId)));
    const existing = this.state.patients.filter(same);
    const merged = existing.reduce<WaitingPatient>((all, p) => ({ ...p, ...all }), patient);
    const patientId = isConsultationKey(patient.patientId)
      ? (existing.find((p) => !isConsultationKey(p.patientId))?.patientId ?? patient.patientId)
      : patient.patientId;
    const next = [...this.state.patients.filter((p) => !same(p)), { ...merged, patientId }];
    this.patch({ patients: next, waitingCount: next.length });
  }

  /** The consultation of this client waits: its connected patient is listed. */
  private async checkConsultation(): Promise<void> {
    const here = this.client.identity.consultationId;
    const state = await this.client.consultation.request('request_consultation_state', { consultationId: here });
    if (state.status !== 'WAITING') return;
    const patient = state.participants.find((p) => p.role === 'PATIENT' && p.isActive !== false);
    const id = patient?.userId ?? patient?.id;
    this.upsert({ patientId: isWireId(id) ? this.keyOf(id) : consultationKey(String(here)), consultationId: String(here) });
  }

  /** A patient id as the list shows it; remembers the server's own form for {@link admit}. */
  private keyOf(id: string | number): string {
    const key = String(id);
    this.wireIds.set(key, id);
    return key;
  }

  private removeConsultation(consultationId: string): void {
    const patients = this.state.patients.filter((p) => p.consultationId !== consultationId);
    if (patients.length !== this.state.patients.length) this.patch({ patients, waitingCount: patients.length });
  }

  private remove(patientId: string): void {
    const patients = this.state.patients.filter((p) => p.patientId !== patientId);
    this.patch({ patients, waitingCount: patients.length });
  }

  private replace(list: readonly Record<string, unknown>[], count?: number): void {
    const patients: WaitingPatient[] = [];
    for (const raw of list) {
      const consultationId = idOf(raw.consultationId);
      const rawId = raw.patientId ?? raw.userId ?? raw.id;
      const patientId = isWireId(rawId) ? this.keyOf(rawId) : consultationId && consultationKey(consultationId);
      if (patientId) patients.push({ patientId, ...sessionFields(raw) });
    }
    this.patch({ patients, waitingCount: count ?? patients.length });
  }
}

const consultationKey = (consultationId: string) => `consultation:${consultationId}`;
const isConsultationKey = (patientId: string) => patientId.startsWith('consultation:');

/** `patient_waiting`: `{ consultationId, patientId, message }`, or from the REST join path `{ consultationId, patientFirstName, joinTime }`. */
function patientOf(event: Record<string, unknown>, key: string | undefined): WaitingPatient {
  const consultationId = idOf(event.consultationId);
  const patientId = key ?? consultationKey(consultationId ?? 'unknown');
  const fields = sessionFields(event);
  if (
    event.joinTime !== undefined &&
    fields.joinedAt === undefined &&
    (typeof event.joinTime === 'string' || typeof event.joinTime === 'number')
  ) {
    return { patientId, ...fields, joinedAt: event.joinTime };
  }
  return { patientId, ...fields };
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
