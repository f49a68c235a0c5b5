import type { ConsultationStatus, Role } from '../../src/contract/index.js';
import type { App } from '../app.js';
import type { Consultation } from '../domain/consultations.js';
import { nowIso, type Id } from '../domain/errors.js';
import { closeMediaSession } from './media-session.js';
import { queueChanged } from './queue.js';

/**
 * What a patient sees of their consultation (`consultation_status_patient`). As the reference
 * backend: `canJoin` only while ACTIVE (the patient may enter the consultation room). The reference
 * profile also has its `waitingForDoctor` (WAITING or DRAFT), `doctorName` ('' without a
 * practitioner) and rating object `{ value, color, done }`.
 */
export function patientStatus(app: App, consultation: Consultation) {
  const reference = app.profile.ratingObject;
  const doctorName = consultation.practitionerId ? app.consultations.displayName(consultation.practitionerId, 'PRACTITIONER') : null;
  return {
    status: consultation.status,
    canJoin: consultation.status === 'ACTIVE',
    waitingForDoctor: reference
      ? consultation.status === 'WAITING' || consultation.status === 'DRAFT'
      : consultation.status === 'SCHEDULED' || consultation.status === 'WAITING',
    scheduledDate: consultation.scheduledDate,
    doctorName: reference ? (doctorName ?? '') : doctorName,
    rating: reference ? ratingView(consultation) : (consultation.rating?.rating ?? null),
  };
}

/** The reference backend's rating object. */
function ratingView(consultation: Consultation): { value: number; color: string | null; done: boolean } {
  if (!consultation.rating) return { value: 0, color: null, done: false };
  const value = consultation.rating.rating;
  return { value, color: value >= 4 ? 'green' : 'red', done: true };
}

/** Tells everyone the consultation's status (and the patient their own view of it). */
export function broadcastStatus(app: App, consultation: Consultation, by: Id): void {
  const participantCount = app.consultations.connectedCount(consultation);
  const { status, id: consultationId } = consultation;
  app.hub.toConsultation(consultationId, 'consultation_status', {
    status,
    participantCount,
    triggeredBy: by,
    initiatedBy: by,
    timestamp: nowIso(),
    consultationId,
  });
  app.hub.toConsultation(consultationId, 'consultation_status_update', { status, participantCount, consultationId });
  app.hub.toMember(consultationId, consultation.patientId, 'consultation_status_patient', patientStatus(app, consultation));
}

export interface EndOptions {
  to: Extract<ConsultationStatus, 'COMPLETED' | 'CANCELLED' | 'TERMINATED_OPEN'>;
  action: string;
  by: Id;
  byRole: Role;
  reason?: string;
}

const RETENTION_HOURS = 24;

/** Ends a consultation: status, end notices, waiting room emptied, media closed. */
export async function endConsultation(app: App, consultation: Consultation, options: EndOptions): Promise<void> {
  app.consultations.transition(consultation, options.to);
  const consultationId = consultation.id;
  const at = nowIso();
  app.waitingRoom.leave(consultationId);
  for (const participant of consultation.participants.values()) {
    participant.inWaitingRoom = false;
    participant.inLive = false;
  }
  consultation.endAction = options.action;
  broadcastStatus(app, consultation, options.by);
  const archived = options.action === 'archive';
  app.hub.toConsultation(consultationId, 'consultation_ended', {
    consultationId,
    status: consultation.status,
    action: options.action,
    terminatedBy: options.by,
    deletionScheduledAt: archived ? new Date(Date.now() + RETENTION_HOURS * 3600_000).toISOString() : null,
    retentionHours: archived ? RETENTION_HOURS : null,
  });
  const reason = options.reason ?? `Ended by ${options.byRole.toLowerCase()}`;
  if (options.to === 'TERMINATED_OPEN') app.hub.toConsultation(consultationId, 'consultation_terminated', { consultationId, reason });
  if (options.to === 'CANCELLED') {
    app.hub.toConsultation(consultationId, 'consultation-cancelled', { consultationId, cancelledAt: at, reason });
  } else {
    app.hub.toConsultation(consultationId, 'consultation-ended', {
      consultationId,
      endedAt: at,
      practitionerId: consultation.practitionerId ?? options.by,
    });
  }
  app.hub.toConsultation(consultationId, 'session_ended', {
    consultationId,
    userId: options.by,
    role: options.byRole,
    timestamp: at,
    message: reason,
  });
  await closeMediaSession(app, consultation);
  queueChanged(app, consultation.practitionerId);
}
