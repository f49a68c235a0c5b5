import type { Role } from '../../src/contract/index.js';
import type { App } from '../app.js';
import { isEnded, type Consultation } from '../domain/consultations.js';
import { DomainError, key, nowIso, type Id } from '../domain/errors.js';
import type { WaitingSession } from '../domain/waiting-room.js';
import { consultationUrls } from './common.js';
import { openMediaSession } from './media-session.js';
import { initials, queueChanged, queueOfConsultation } from './queue.js';
import { broadcastStatus, patientStatus } from './status.js';

/**
 * A patient enters the waiting room: a session (idempotent), status WAITING, the practitioner in
 * charge (or every practitioner while unassigned) notified, positions updated.
 */
export function enterWaitingRoom(app: App, consultation: Consultation, patientId: Id): { session: WaitingSession; created: boolean } {
  if (isEnded(consultation)) throw new DomainError(`Consultation ${consultation.id} has ended (${consultation.status})`, 'conflict');
  if (consultation.status === 'DRAFT') throw new DomainError(`Consultation ${consultation.id} is not open yet`, 'conflict');
  if (consultation.status === 'ACTIVE') {
    throw new DomainError(`Consultation ${consultation.id} is already active: join it directly`, 'conflict');
  }
  const participant = app.consultations.participant(consultation, patientId);
  if (!participant) throw new DomainError(`User ${String(patientId)} is not a participant of consultation ${consultation.id}`, 'forbidden');
  const result = app.waitingRoom.enter(consultation, patientId);
  participant.inWaitingRoom = true;
  participant.journeyState = 'waiting_room';
  if (consultation.status === 'SCHEDULED') {
    app.consultations.transition(consultation, 'WAITING');
    broadcastStatus(app, consultation, patientId);
  }
  if (result.created) {
    notifyWaiting(app, consultation, result.session);
    queueChanged(app, consultation.practitionerId);
  }
  return result;
}

/** The notices a practitioner gets about a waiting patient. */
export function notifyWaiting(
  app: App,
  consultation: Consultation,
  session: WaitingSession,
  only?: (event: string, payload: object) => void,
): void {
  const person = app.consultations.person(session.patientId, 'PATIENT');
  const queue = queueOfConsultation(app, consultation);
  const view = app.waitingRoom.view(session, queue);
  const consultationId = consultation.id;
  const patientId = session.patientId;
  const message = `${person.firstName} ${person.lastName} is waiting`;
  const notices = {
    waiting_room_notification: {
      consultationId,
      patientId,
      patientFirstName: person.firstName,
      patientInitials: initials(person.firstName, person.lastName),
    },
    patient_joined: { consultationId, patientId, patientFirstName: person.firstName, joinTime: session.joinedAt, message },
    patient_waiting: { consultationId, patientId, message, joinTime: session.joinedAt, session: view },
    patient_entered_waiting_room: { patientId, joinedAt: session.joinedAt, waitingRoomSession: view, consultationId },
    patient_in_waiting_room: {
      consultationId,
      patient: { id: patientId, firstName: person.firstName, lastName: person.lastName },
      estimatedWaitTime: view.estimatedWaitTime,
    },
  } as const;
  for (const [event, payload] of Object.entries(notices)) {
    if (only) only(event, payload);
    else app.hub.toPractitioners(consultation, event as keyof typeof notices, payload);
  }
}

export interface AdmitResult {
  consultationId: number;
  patientId: string;
  alreadyActive: boolean;
}

/**
 * Admission (`admit_patient`, `admit_from_waiting_room_enhanced`): status ACTIVE, the patient leaves
 * the waiting room and is navigated to the consultation room, the practitioner gets a confirmation,
 * the media router opens (`media_session_live`). Admitting an already admitted patient is a no-op.
 */
export async function admit(
  app: App,
  consultation: Consultation,
  by: { userId: string; role: Role },
  patientId?: Id,
  welcomeMessage?: string,
): Promise<AdmitResult> {
  if (isEnded(consultation)) throw new DomainError(`Consultation ${consultation.id} has ended (${consultation.status})`, 'conflict');
  if (consultation.status === 'DRAFT') throw new DomainError(`Consultation ${consultation.id} is not open yet`, 'conflict');
  const patient = key(patientId ?? consultation.patientId);
  const participant = app.consultations.participant(consultation, patient);
  if (!participant) throw new DomainError(`Patient ${patient} is not a participant of consultation ${consultation.id}`, 'not_found');
  const consultationId = consultation.id;
  const waiting = app.waitingRoom.find(consultationId, patient);
  if (consultation.status === 'ACTIVE' && !waiting) return { consultationId, patientId: patient, alreadyActive: true };

  if (!consultation.practitionerId && by.role === 'PRACTITIONER') {
    consultation.practitionerId = by.userId;
    app.consultations.addParticipant(consultation, by.userId, 'PRACTITIONER');
  }
  const from = consultation.status;
  if (from !== 'ACTIVE') app.consultations.transition(consultation, 'ACTIVE');
  app.waitingRoom.leave(consultationId, patient);
  participant.inWaitingRoom = false;
  participant.journeyState = 'consultation_room';
  const at = nowIso();
  const urls = consultationUrls(app, consultation);
  const person = app.consultations.person(patient, 'PATIENT');
  const message = welcomeMessage ?? 'The practitioner is ready for you';

  if (from !== 'ACTIVE') broadcastStatus(app, consultation, by.userId);
  const transition = { from: 'waiting_room', to: 'consultation_room', fromStatus: from, toStatus: 'ACTIVE', at };
  const navigation = { target: 'consultation_room', url: urls.consultationRoom, autoRedirect: true };
  app.hub.toConsultation(consultationId, 'patient_admitted', {
    consultationId,
    patient: { id: patient, firstName: person.firstName, lastName: person.lastName },
    transition,
    navigation,
    urls,
    consultation: app.consultations.summary(consultation),
    admittedBy: by.userId,
    welcomeMessage: message,
  });
  app.hub.toMember(consultationId, patient, 'navigate_to_consultation_room', {
    url: urls.consultationRoom,
    sessionUrl: urls.consultationRoom,
    autoRedirect: true,
    message,
    timeout: 3000,
  });
  app.hub.toMember(consultationId, patient, 'redirect_to_consultation_room', {
    consultationId,
    userId: patient,
    redirectUrl: urls.consultationRoom,
    autoRedirect: true,
    timestamp: at,
  });
  app.hub.toMember(consultationId, patient, 'transition_to_consultation_room', {
    consultationId,
    userId: patient,
    fromState: 'waiting_room',
    toState: 'consultation_room',
    timestamp: at,
  });
  app.hub.toMember(consultationId, patient, 'admitted_to_live_consultation', {
    message,
    consultationId,
    admittedBy: by.userId,
    admittedAt: at,
  });
  app.hub.toMember(consultationId, patient, 'consultation_status_patient', patientStatus(app, consultation));
  app.hub.toMember(consultationId, patient, 'media-permission-request', {
    consultationId,
    userId: patient,
    permissionType: 'camera_microphone',
    requestedAt: at,
  });
  app.hub.toUser(by.userId, 'patient_admission_confirmed', {
    consultationId,
    patientId: patient,
    transition,
    practitioner: { message: `${person.firstName} ${person.lastName} has been admitted`, dashboardUrl: urls.dashboard },
  });
  app.hub.toUser(by.userId, 'patient_admitted_from_waiting_room', {
    patientId: patient,
    consultationId,
    admittedBy: by.userId,
    success: true,
  });
  if (from !== 'ACTIVE') {
    app.hub.toConsultation(consultationId, 'consultation-started', {
      consultationId,
      startedAt: consultation.startedAt ?? at,
      practitionerId: consultation.practitionerId ?? by.userId,
    });
  }
  queueChanged(app, consultation.practitionerId);
  await openMediaSession(app, consultation);
  return { consultationId, patientId: patient, alreadyActive: false };
}
