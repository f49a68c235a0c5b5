import type { ConsultationStatus, Role } from '../../src/contract/index.js';
import { DomainError, key, nowIso, type Id } from './errors.js';

/** Someone the server knows by id: names come from the seed, an invitation or a default. */
export interface Person {
  userId: string;
  firstName: string;
  lastName: string;
  email?: string;
}

export interface Participant extends Person {
  role: Role;
  addedAt: string;
  /** Open sockets of this user for this consultation, all namespaces. */
  connections: number;
  lastSeenAt: string | null;
  inWaitingRoom: boolean;
  /** Free status set by `update_participant_status`. */
  status: string;
  /** Patient journey state set by `patient_state_transition`. */
  journeyState: string | null;
  inLive: boolean;
  inMedia: boolean;
  deviceStatus: Record<string, unknown>;
  mediaStatus: { audioEnabled?: boolean; videoEnabled?: boolean };
  permissions: { camera?: boolean | string; microphone?: boolean | string } | null;
  quality: { level: string; stats: Record<string, unknown>; at: string } | null;
}

export interface Consultation {
  id: number;
  status: ConsultationStatus;
  practitionerId: string | null;
  patientId: string;
  createdAt: string;
  scheduledDate: string | null;
  startedAt: string | null;
  endedAt: string | null;
  endAction: string | null;
  rating: { rating: number; comment: string | null } | null;
  participants: Map<string, Participant>;
  screenSharer: string | null;
}

const ENDED: readonly ConsultationStatus[] = ['COMPLETED', 'CANCELLED', 'TERMINATED_OPEN'];

/** Allowed status transitions (`transition_consultation_state`); end and admission use them too. */
export const TRANSITIONS: Record<ConsultationStatus, readonly ConsultationStatus[]> = {
  DRAFT: ['SCHEDULED', 'CANCELLED'],
  SCHEDULED: ['WAITING', 'ACTIVE', 'CANCELLED'],
  WAITING: ['ACTIVE', 'SCHEDULED', 'CANCELLED'],
  ACTIVE: ['COMPLETED', 'TERMINATED_OPEN', 'CANCELLED'],
  TERMINATED_OPEN: ['ACTIVE', 'COMPLETED'],
  COMPLETED: [],
  CANCELLED: [],
};

export const isEnded = (c: Consultation) => ENDED.includes(c.status);

/** Consultations, their participants and the people the server knows. */
export class ConsultationStore {
  private readonly byId = new Map<string, Consultation>();
  private readonly people = new Map<string, Person>();
  private nextId = 1;

  create(input: { practitionerId?: Id | null; patientId: Id; status?: ConsultationStatus; scheduledDate?: string }): Consultation {
    const consultation: Consultation = {
      id: this.nextId++,
      status: input.status ?? 'SCHEDULED',
      practitionerId: input.practitionerId == null ? null : key(input.practitionerId),
      patientId: key(input.patientId),
      createdAt: nowIso(),
      scheduledDate: input.scheduledDate ?? nowIso(),
      startedAt: input.status === 'ACTIVE' ? nowIso() : null,
      endedAt: null,
      endAction: null,
      rating: null,
      participants: new Map(),
      screenSharer: null,
    };
    this.addParticipant(consultation, consultation.patientId, 'PATIENT');
    if (consultation.practitionerId) this.addParticipant(consultation, consultation.practitionerId, 'PRACTITIONER');
    this.byId.set(key(consultation.id), consultation);
    return consultation;
  }

  get(id: Id | undefined | null): Consultation | undefined {
    return id == null ? undefined : this.byId.get(key(id));
  }

  require(id: Id | undefined | null): Consultation {
    const consultation = this.get(id);
    if (!consultation) throw new DomainError(`Consultation ${String(id)} not found`, 'not_found');
    return consultation;
  }

  list(): Consultation[] {
    return [...this.byId.values()];
  }

  /** Names for a user id: registered ones, else a readable default. */
  person(userId: Id, role?: Role): Person {
    const id = key(userId);
    const known = this.people.get(id);
    if (known) return known;
    const firstName = role === 'PRACTITIONER' ? 'Dr' : role === 'PATIENT' ? 'Patient' : 'User';
    return { userId: id, firstName, lastName: id };
  }

  registerPerson(person: Person): void {
    this.people.set(person.userId, person);
  }

  displayName(userId: Id, role?: Role): string {
    const person = this.person(userId, role);
    return `${person.firstName} ${person.lastName}`.trim();
  }

  addParticipant(consultation: Consultation, userId: Id, role: Role, details: Partial<Person> = {}): Participant {
    const id = key(userId);
    const existing = consultation.participants.get(id);
    if (existing) {
      existing.role = role;
      return existing;
    }
    if (details.firstName || details.lastName || details.email) {
      this.registerPerson({ ...this.person(id, role), ...details, userId: id });
    }
    const participant: Participant = {
      ...this.person(id, role),
      role,
      addedAt: nowIso(),
      connections: 0,
      lastSeenAt: null,
      inWaitingRoom: false,
      status: 'invited',
      journeyState: null,
      inLive: false,
      inMedia: false,
      deviceStatus: {},
      mediaStatus: {},
      permissions: null,
      quality: null,
    };
    consultation.participants.set(id, participant);
    return participant;
  }

  participant(consultation: Consultation, userId: Id): Participant | undefined {
    return consultation.participants.get(key(userId));
  }

  /** Who may open or act on a consultation: admins and practitioners (dashboard, self-assignment), else participants. */
  canAccess(consultation: Consultation, userId: Id, role: Role): boolean {
    if (role === 'ADMIN' || role === 'PRACTITIONER') return true;
    return consultation.participants.has(key(userId));
  }

  requireAccess(id: Id | undefined | null, userId: Id, role: Role): Consultation {
    const consultation = this.require(id);
    if (!this.canAccess(consultation, userId, role)) {
      throw new DomainError(`User ${String(userId)} is not a participant of consultation ${consultation.id}`, 'forbidden');
    }
    return consultation;
  }

  /** Changes the status if the transition is allowed; returns the previous status. */
  transition(consultation: Consultation, to: ConsultationStatus): ConsultationStatus {
    const from = consultation.status;
    if (from === to) throw new DomainError(`Consultation ${consultation.id} is already ${to}`, 'conflict');
    if (!TRANSITIONS[from].includes(to)) {
      throw new DomainError(`Cannot move consultation ${consultation.id} from ${from} to ${to}`, 'conflict');
    }
    consultation.status = to;
    if (to === 'ACTIVE') consultation.startedAt ??= nowIso();
    if (ENDED.includes(to)) consultation.endedAt = nowIso();
    return from;
  }

  /** Participants as lists and snapshots carry them. */
  participantView(participant: Participant) {
    return {
      id: participant.userId,
      userId: participant.userId,
      role: participant.role,
      firstName: participant.firstName,
      lastName: participant.lastName,
      ...(participant.email ? { email: participant.email } : {}),
      isActive: participant.connections > 0,
      inWaitingRoom: participant.inWaitingRoom,
      status: participant.status,
      inMedia: participant.inMedia,
      mediaStatus: participant.mediaStatus,
      deviceStatus: participant.deviceStatus,
    };
  }

  summary(consultation: Consultation) {
    return {
      id: consultation.id,
      status: consultation.status,
      practitionerId: consultation.practitionerId,
      patientId: consultation.patientId,
      scheduledDate: consultation.scheduledDate,
      startedAt: consultation.startedAt,
      endedAt: consultation.endedAt,
      participantCount: this.connectedCount(consultation),
    };
  }

  connectedCount(consultation: Consultation): number {
    let count = 0;
    for (const participant of consultation.participants.values()) if (participant.connections > 0) count++;
    return count;
  }
}
