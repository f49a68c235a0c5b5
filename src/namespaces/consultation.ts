import type { Observable } from 'rxjs';
import type { ConsultationNamespace, IncomingPayload } from '../contract/index.js';
import type { Channel } from '../core/channel.js';
import type { ClientIdentity } from './context.js';
import { NamespaceService } from './service.js';

/** `/consultation`: the generic typed channel plus thin helpers for the main flows. */
export class ConsultationService extends NamespaceService<ConsultationNamespace> {
  /** The server's `heartbeat { timestamp }` (every 30 s on the reference backend). */
  readonly heartbeat$: Observable<IncomingPayload<ConsultationNamespace, 'heartbeat'>>;

  constructor(
    channel: Channel<ConsultationNamespace>,
    private readonly identity: ClientIdentity,
  ) {
    super(channel);
    this.heartbeat$ = this.on('heartbeat');
  }

  /** Practitioner: admit the patient waiting in this consultation (answered by ack). */
  admitPatient(patientId?: string | number) {
    return this.request('admit_patient', {
      consultationId: this.identity.consultationId,
      ...(patientId === undefined ? {} : { patientId }),
    });
  }

  /** Practitioner: take the consultation (self-assignment; one of racing practitioners wins). */
  selfAssign() {
    const { consultationId, userId } = this.identity;
    // The room hears every assignment: only the one naming this practitioner answers the request.
    return this.request(
      'assign_practitioner',
      { consultationId, practitionerId: userId },
      { match: (assigned) => String(assigned.practitionerId) === String(userId) },
    );
  }

  /** The participants of the consultation. */
  requestParticipants() {
    return this.request('request_participants', { consultationId: this.identity.consultationId });
  }

  /** Practitioner: adds an expert or guest (they get an invitation). */
  addParticipant(participant: {
    role: 'EXPERT' | 'GUEST' | 'PATIENT';
    email: string;
    firstName: string;
    lastName: string;
    notes?: string;
  }) {
    return this.request('add_participant', { consultationId: this.identity.consultationId, ...participant });
  }

  /** Practitioner: removes a participant (not the patient or the practitioner in charge). */
  removeParticipant(participantUserId: string | number) {
    return this.request('remove_participant', { participantUserId });
  }

  /** Practitioner: invites someone by e-mail (answered with the invitation). */
  inviteParticipant(inviteEmail: string, role: 'EXPERT' | 'GUEST' | 'PATIENT', name: string, notes?: string) {
    return this.request('invite_participant', {
      consultationId: this.identity.consultationId,
      inviteEmail,
      role,
      name,
      ...(notes === undefined ? {} : { notes }),
    });
  }

  /** Ends the consultation (`close`, `terminate`, ...). */
  endConsultation(action: string = 'close') {
    return this.request('end_consultation', { consultationId: this.identity.consultationId, action });
  }

  /** Patient: rate the consultation after it ended. */
  rate(rating: number, comment?: string) {
    return this.request('rate_consultation', {
      consultationId: this.identity.consultationId,
      rating,
      ...(comment === undefined ? {} : { comment }),
    });
  }

  /** Practitioner presence. */
  setOnline(online: boolean) {
    return this.emit(online ? 'practitioner_online' : 'practitioner_offline', { practitionerId: this.identity.userId });
  }
}
