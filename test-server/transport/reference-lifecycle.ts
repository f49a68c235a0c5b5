import type { Server, Socket } from 'socket.io';
import type { App } from '../app.js';
import { isEnded, type Consultation } from '../domain/consultations.js';
import { key, nowIso, type Id } from '../domain/errors.js';
import { closeMediaSession } from '../handlers/media-session.js';
import { patientStatus } from '../handlers/status.js';
import { dataOf, userOf, type SocketUser } from './context.js';

const CONSULTATION = ['/consultation'] as const;

const staffRoles = new Set(['PRACTITIONER', 'EXPERT']);
const ROLE_LABELS: Record<string, string> = {
  PATIENT: 'Patient',
  PRACTITIONER: 'Practitioner',
  EXPERT: 'Expert',
  GUEST: 'Guest',
  ADMIN: 'Admin',
};
const labelOf = (role: string) => ROLE_LABELS[role] ?? role;

/**
 * The /consultation life cycle of the reference profile, as reference-backend.md measured it:
 *
 * - On connect the room gets `system_message { type: 'user_joined' }`. While WAITING a patient's
 *   connection also gives the room `system_message { type: 'waiting_for_participant' }`; the
 *   practitioner's room gets `patient_waiting { consultationId, patientId, message }`, at most once
 *   per `patientWaitingDebounceMs` per consultation and practitioner; the patient gets
 *   `consultation_status_patient` last. A practitioner connecting after the patient gets nothing
 *   about them; a practitioner or expert connecting while a patient is connected makes the room get
 *   `doctor_joined`.
 * - The real frontend's REST patient-join (which moves SCHEDULED to WAITING) is folded into the
 *   connection: a patient connecting while SCHEDULED moves the consultation to WAITING (no event for
 *   that move; the REST form of `patient_waiting` is not sent).
 * - Any disconnect closes that user's media in the consultation and tells the room
 *   (`system_message { type: 'user_left' }`). A practitioner's or expert's disconnect sets TERMINATED_OPEN
 *   (whatever the status was), closes the router (`media_session_closed`) and emits
 *   `consultation_terminated`; the last patient leaving while WAITING moves it back to SCHEDULED with
 *   `consultation_status { status: 'SCHEDULED', triggeredBy: 'All patients left' }` (no timestamp).
 * - A second PRACTITIONER (or EXPERT: same role, another user) on the same consultation is refused:
 *   `error { message: 'Another practitioner is already connected to this consultation.' }`, disconnect.
 * - Roles: PATIENT, PRACTITIONER, EXPERT, GUEST (anything else: 'Invalid connection parameters.').
 */
export class ReferenceLifecycle {
  /** Last `patient_waiting` per consultation and practitioner (ms). */
  private readonly lastWaitingNotice = new Map<string, number>();

  constructor(private readonly app: App) {}

  /** Why this connection is refused, if it is: another user of the same staff role is connected. */
  refusal(io: Server, socket: Socket, consultation: Consultation, user: SocketUser): string | undefined {
    if (user.role === 'ADMIN') return 'Invalid connection parameters.';
    if (!staffRoles.has(user.role)) return undefined;
    const taken = this.connected(io, consultation.id).some((other) => {
      const them = userOf(other);
      return other.id !== socket.id && them.role === user.role && them.userId !== user.userId;
    });
    return taken ? `Another ${user.role.toLowerCase()} is already connected to this consultation.` : undefined;
  }

  onConnect(io: Server, socket: Socket, consultation: Consultation, user: SocketUser): void {
    const { app } = this;
    const consultationId = consultation.id;
    // The REST patient-join happens before the socket connects in the reference frontend.
    if (user.role === 'PATIENT' && consultation.status === 'SCHEDULED') app.consultations.transition(consultation, 'WAITING');
    const timestamp = nowIso();
    app.hub.toConsultation(
      consultationId,
      'system_message',
      { type: 'user_joined', userId: user.userId, role: user.role, timestamp, message: `${labelOf(user.role)} joined the consultation` },
      { namespaces: CONSULTATION },
    );
    if (user.role === 'PATIENT') return this.patientConnected(socket, consultation, user, timestamp);
    if (!staffRoles.has(user.role)) return;
    const patientHere = this.connected(io, consultationId).some((other) => other.id !== socket.id && userOf(other).role === 'PATIENT');
    if (!patientHere) return;
    app.hub.toConsultation(
      consultationId,
      'doctor_joined',
      { consultationId, practitionerId: user.userId, message: `${labelOf(user.role)} has joined. You may now join the consultation.` },
      { namespaces: CONSULTATION },
    );
  }

  private patientConnected(socket: Socket, consultation: Consultation, user: SocketUser, timestamp: string): void {
    const { app } = this;
    const consultationId = consultation.id;
    if (consultation.status === 'WAITING') {
      // Kept in the domain (admission uses it); no waiting-session event is sent.
      app.waitingRoom.enter(consultation, user.userId);
      const participant = app.consultations.participant(consultation, user.userId);
      if (participant) {
        participant.inWaitingRoom = true;
        participant.journeyState = 'waiting_room';
      }
      app.hub.toConsultation(
        consultationId,
        'system_message',
        {
          type: 'waiting_for_participant',
          userId: user.userId,
          role: user.role,
          timestamp,
          message: 'Patient is waiting for practitioner to join',
        },
        { namespaces: CONSULTATION },
      );
    }
    const practitionerId = consultation.practitionerId;
    if (practitionerId && consultation.status === 'WAITING') {
      const noticeKey = `${key(consultationId)}|${practitionerId}`;
      const now = Date.now();
      const last = this.lastWaitingNotice.get(noticeKey);
      if (last === undefined || now - last >= app.options.patientWaitingDebounceMs) {
        this.lastWaitingNotice.set(noticeKey, now);
        app.hub.broadcast({ rooms: [`practitioner:${practitionerId}`], namespaces: CONSULTATION }, 'patient_waiting', {
          consultationId,
          patientId: user.userId,
          message: 'Patient is waiting in the consultation room.',
        });
      }
    }
    app.hub.send(socket, 'consultation_status_patient', patientStatus(app, consultation));
  }

  async onDisconnect(io: Server, consultation: Consultation, user: SocketUser): Promise<void> {
    const { app } = this;
    const consultationId = consultation.id;
    app.media.closeUserMedia(user.userId, consultationId);
    app.hub.toConsultation(
      consultationId,
      'system_message',
      {
        type: 'user_left',
        userId: user.userId,
        role: user.role,
        timestamp: nowIso(),
        message: `${labelOf(user.role)} left the consultation`,
      },
      { namespaces: CONSULTATION },
    );
    if (staffRoles.has(user.role)) {
      // Whatever the status (an ended consultation included), as the reference's unconditional update.
      if (!isEnded(consultation)) consultation.endedAt = nowIso();
      consultation.status = 'TERMINATED_OPEN';
      this.leaveWaitingRoom(consultation);
      await closeMediaSession(app, consultation);
      app.hub.toConsultation(consultationId, 'consultation_terminated', {
        consultationId,
        reason: `${labelOf(user.role)} disconnected`,
      });
      return;
    }
    if (user.role !== 'PATIENT' || consultation.status !== 'WAITING') return;
    if (this.connected(io, consultationId).some((other) => userOf(other).role === 'PATIENT')) return;
    app.consultations.transition(consultation, 'SCHEDULED');
    this.leaveWaitingRoom(consultation);
    app.hub.toConsultation(consultationId, 'consultation_status', { status: 'SCHEDULED', triggeredBy: 'All patients left' } as never, {
      namespaces: CONSULTATION,
    });
  }

  private leaveWaitingRoom(consultation: Consultation): void {
    this.app.waitingRoom.leave(consultation.id);
    for (const participant of consultation.participants.values()) participant.inWaitingRoom = false;
  }

  /** Open /consultation sockets bound to a consultation (a disconnected socket is no longer listed). */
  private connected(io: Server, consultationId: Id): Socket[] {
    return [...io.of('/consultation').sockets.values()].filter((socket) =>
      (dataOf(socket).consultations ?? []).includes(key(consultationId)),
    );
  }

  clear(): void {
    this.lastWaitingNotice.clear();
  }
}
