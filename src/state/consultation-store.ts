import { BehaviorSubject, Subscription, type Observable } from 'rxjs';
import type { ConsultationStatus } from '../contract/index.js';
import type { HcwClient } from '../client.js';
import { refreshAfterResync } from './refresh-after-resync.js';

/** A participant as the consultation store tracks it. */
export interface ParticipantState {
  readonly userId: string;
  readonly role?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** Connected to the consultation room right now. */
  readonly present: boolean;
  readonly inMedia: boolean;
  readonly audioEnabled?: boolean;
  readonly videoEnabled?: boolean;
  readonly device?: Readonly<Record<string, unknown>>;
  /** A `QualityLevel` (`good`, `fair`, `poor`, `lost`) or whatever else the server reports. */
  readonly quality?: string;
  /** Invited, not joined yet. */
  readonly invited?: boolean;
}

export type MediaSessionStatus = 'none' | 'initialized' | 'live' | 'closed';

/** Everything the app shows about the consultation. */
export interface ConsultationSnapshot {
  readonly status: ConsultationStatus | undefined;
  readonly participants: readonly ParticipantState[];
  readonly media: MediaSessionStatus;
  readonly assignedPractitionerId?: string;
  readonly ended?: { readonly action?: string; readonly by?: string };
  readonly terminatedReason?: string;
  readonly rating?: number;
}

const INITIAL: ConsultationSnapshot = { status: undefined, participants: [], media: 'none' };
// eslint-disable-next-line @typescript-eslint/no-base-to-string -- an id field of a loose payload, whatever the server sent
const idOf = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

/**
 * The consultation's status, participants (joined, left, added, removed, invited, media, devices,
 * quality), media session and outcome, from `/consultation` events; re-requested after a
 * reconnection the server could not recover, with what the server has:
 * `request_consultation_state` everywhere, and the participants from `/consultation`
 * `request_participants` where the server announces it (`consultation_participants`), else from
 * `/chat` (the reference backend has it there only).
 */
export class ConsultationStore {
  private readonly subject = new BehaviorSubject<ConsultationSnapshot>(INITIAL);
  private readonly subscriptions = new Subscription();
  readonly state$: Observable<ConsultationSnapshot> = this.subject.asObservable();

  constructor(private readonly client: HcwClient) {
    const svc = client.consultation;
    const add = <T>(source: Observable<T>, handler: (value: T) => void) => this.subscriptions.add(source.subscribe(handler));
    add(svc.on('consultation_status'), (e) => this.patch({ status: e.status }));
    add(svc.on('consultation_status_update'), (e) => this.patch({ status: e.status }));
    add(svc.on('consultation_status_patient'), (e) => this.patch({ status: e.status }));
    add(svc.on('consultation_state_update'), (e) => {
      this.patch({ status: e.status });
      this.replaceParticipants(e.participants);
    });
    add(svc.on('participants_list'), (e) => this.replaceParticipants(e.participants));
    add(svc.on('participant_joined'), (e) => {
      const userId = idOf(e.userId ?? (e.data as { userId?: unknown } | undefined)?.userId);
      if (userId) this.upsert(userId, { present: true, invited: false, ...(e.role ? { role: e.role } : {}) });
    });
    add(svc.on('participant_left'), (e) => {
      const userId = idOf((e.data as { userId?: unknown } | undefined)?.userId);
      if (userId) this.upsert(userId, { present: false, inMedia: false });
    });
    add(svc.on('participant_added'), (e) => {
      const userId = idOf(e.participant.userId ?? e.participant.id);
      if (userId) this.upsert(userId, participantFields(e.participant));
    });
    add(svc.on('participant_removed'), (e) => this.removeParticipant(idOf(e.participantUserId ?? e.participantId)));
    add(svc.on('participant_invited'), (e) => {
      const userId = idOf(e.inviteEmail ?? e.email);
      if (userId) this.upsert(userId, { role: e.role, invited: true, present: false });
    });
    add(svc.on('participant_joined_media'), (e) => {
      const userId = idOf(e.participant.userId ?? e.participant.id);
      if (userId) this.upsert(userId, { inMedia: true, present: true });
    });
    add(svc.on('participant_left_media'), (e) => this.upsert(String(e.userId), { inMedia: false }));
    add(svc.on('participant_audio_toggled'), (e) => this.upsert(String(e.userId), { audioEnabled: e.audioEnabled }));
    add(svc.on('participant_video_toggled'), (e) => this.upsert(String(e.userId), { videoEnabled: e.videoEnabled }));
    add(svc.on('media_device_status_updated'), (e) => this.upsert(String(e.userId), { device: e.deviceStatus }));
    add(svc.on('participant_connection_quality'), (e) => this.upsert(String(e.userId), { quality: qualityOf(e.quality) }));
    add(svc.on('connection_quality_updated'), (e) => this.upsert(String(e.userId), { quality: qualityOf(e.quality) }));
    add(svc.on('practitioner_assigned'), (e) => this.patch({ assignedPractitionerId: String(e.practitionerId), status: e.status }));
    add(svc.on('media_session_initialized'), () => this.patch({ media: 'initialized' }));
    add(svc.on('media_session_live'), () => this.patch({ media: 'live' }));
    add(svc.on('media_session_closed'), () => this.patch({ media: 'closed' }));
    add(svc.on('consultation_ended'), (e) =>
      this.patch({
        status: e.status,
        ended: { ...(e.action ? { action: e.action } : {}), ...(idOf(e.terminatedBy) ? { by: idOf(e.terminatedBy) } : {}) },
      }),
    );
    add(svc.on('consultation_terminated'), (e) => this.patch({ status: 'TERMINATED_OPEN', terminatedReason: e.reason ?? 'terminated' }));
    add(svc.on('consultation_rated'), (e) => this.patch({ rating: e.rating }));
    // The reference backend's room notices: who joined and left.
    add(svc.on('system_message'), (e) => {
      const userId = idOf(e.userId);
      if (!userId) return;
      if (e.type === 'user_joined') this.upsert(userId, { present: true, ...(e.role ? { role: e.role } : {}) });
      if (e.type === 'user_left') this.upsert(userId, { present: false, inMedia: false });
    });
    add(svc.on('doctor_joined'), (e) => this.upsert(String(e.practitionerId), { present: true, role: 'PRACTITIONER' }));
    this.subscriptions.add(refreshAfterResync(svc, () => this.load()));
  }

  get state(): ConsultationSnapshot {
    return this.subject.value;
  }

  /** Asks the server for the consultation's state and participants again. */
  async refresh(): Promise<void> {
    try {
      await this.load();
    } catch {
      // Reported on errors$ when malformed; a refusal or timeout leaves the last known state.
    }
  }

  /** The consultation state, then the participants from wherever the server lists them. */
  private async load(): Promise<void> {
    const { consultation, identity, features } = this.client;
    const consultationId = identity.consultationId;
    const state = await consultation.request('request_consultation_state', { consultationId });
    this.patch({ status: state.status });
    if (features.has('consultation_participants')) {
      await consultation.request('request_participants', { consultationId }); // applied by the participants_list handler
      return;
    }
    const list = await this.client.chat.request('request_participants', { consultationId });
    this.replaceParticipants(list.participants);
  }

  dispose(): void {
    this.subscriptions.unsubscribe();
    this.subject.complete();
  }

  private patch(change: Partial<ConsultationSnapshot>): void {
    this.subject.next({ ...this.subject.value, ...change });
  }

  private upsert(userId: string, change: Partial<ParticipantState>): void {
    const participants = this.subject.value.participants;
    const existing = participants.find((p) => p.userId === userId);
    const next: ParticipantState = { userId, present: false, inMedia: false, ...existing, ...change };
    this.patch({ participants: existing ? participants.map((p) => (p === existing ? next : p)) : [...participants, next] });
  }

  private removeParticipant(userId: string | undefined): void {
    if (userId === undefined) return;
    this.patch({ participants: this.subject.value.participants.filter((p) => p.userId !== userId) });
  }

  private replaceParticipants(list: readonly Record<string, unknown>[]): void {
    const previous = new Map(this.subject.value.participants.map((p) => [p.userId, p]));
    const participants: ParticipantState[] = [];
    for (const raw of list) {
      const userId = idOf(raw.userId ?? raw.id);
      if (!userId) continue;
      participants.push({ present: false, inMedia: false, ...previous.get(userId), userId, ...participantFields(raw) });
    }
    this.patch({ participants });
  }
}

function participantFields(raw: Record<string, unknown>): Partial<ParticipantState> {
  const fields: { -readonly [K in keyof ParticipantState]?: ParticipantState[K] } = {};
  if (typeof raw.role === 'string') fields.role = raw.role;
  if (typeof raw.firstName === 'string') fields.firstName = raw.firstName;
  if (typeof raw.lastName === 'string') fields.lastName = raw.lastName;
  if (typeof raw.isActive === 'boolean') fields.present = raw.isActive;
  if (typeof raw.inMedia === 'boolean') fields.inMedia = raw.inMedia;
  return fields;
}

function qualityOf(quality: unknown): string | undefined {
  if (typeof quality === 'string') return quality;
  const level = (quality as { level?: unknown; quality?: unknown } | null)?.level ?? (quality as { quality?: unknown } | null)?.quality;
  return typeof level === 'string' ? level : undefined;
}
