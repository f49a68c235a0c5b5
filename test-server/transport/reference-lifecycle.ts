import type { Server, Socket } from 'socket.io';
import type { App } from '../app.js';
import { isEnded, type Consultation } from '../domain/consultations.js';
import { key, nowIso, type Id } from '../domain/errors.js';
import { closeMediaSession } from '../handlers/media-session.js';
import { patientStatus } from '../handlers/status.js';
import { userOf, type SocketUser } from './context.js';

const CONSULTATION = ['/consultation'] as const;

const staffRoles = new Set(['PRACTITIONER', 'EXPERT']);

/**
 * The /consultation life cycle of the reference profile, as reference-backend.md measured it:
 *
 * - On connect the room gets `system_message { type: 'user_joined' }`. A patient gets
 *   `consultation_status_patient`; while WAITING the room also gets `system_message { type:
 *   'waiting_for_participant' }` and the practitioner's room `patient_waiting { consultationId,
 *   patientId, message }`, at most once per `patientWaitingDebounceMs` per consultation and
 *   practitioner. A practitioner connecting after the patient gets nothing about them; one connecting
 *   while a patient is connected makes the room get `doctor_joined`.
 * - The real frontend's REST patient-join (which moves SCHEDULED to WAITING) is folded into the
 *   connection: a patient connecting while SCHEDULED moves the consultation to WAITING (no event for
 *   that move; the REST form of `patient_waiting` is not sent).
 * - Any disconnect closes that user's media in the consultation. A practitioner's or expert's
 *   disconnect sets TERMINATED_OPEN, closes the router (`media_session_closed`) and emits
 *   `consultation_terminated`; the last patient leaving while WAITING moves it back to SCHEDULED with
 *   `consultation_status { status: 'SCHEDULED', triggeredBy: 'All patients left' }` (no timestamp).
 * - A second PRACTITIONER/EXPERT (another user) on the same consultation is refused.
 */
export class ReferenceLifecycle {
  /** Last `patient_waiting` per consultation and practitioner (ms). */
  private readonly lastWaitingNotice = new Map<string, number>();

  constructor(private readonly app: App) {}

  /** Why this connection is refused, if it is: another practitioner or expert is connected. */
  refusal(io: Server, socket: Socket, consultation: Consultation, user: SocketUser): string | undefined {
    if (!staffRoles.has(user.role)) return undefined;
    const taken = this.connected(io, consultation.id).some((other) => {
      const them = userOf(other);
      return other.id !== socket.id && staffRoles.has(them.role) && them.userId !== user.userId;
    });
    return taken ? 'Invalid connection parameters.' : undefined;
  }

  onConnect(io: Server, socket: Socket, consultation: Consultation, user: SocketUser): void {
    const { app } = this;
    const consultationId = consultation.id;
    const name = app.consultations.displayName(user.userId, user.role);
    app.hub.toConsultation(
      consultationId,
      'system_message',
      { type: 'user_joined', userId: user.userId, role: user.role, timestamp: nowIso(), message: `${name} joined the consultation` },
      { namespaces: CONSULTATION },
    );
    if (user.role === 'PATIENT') return this.patientConnected(socket, consultation, user);
    if (user.role !== 'PRACTITIONER') return;
    const patientHere = this.connected(io, consultationId).some((other) => other.id !== socket.id && userOf(other).role === 'PATIENT');
    if (!patientHere) return;
    app.hub.toConsultation(
      consultationId,
      'doctor_joined',
      { consultationId, practitionerId: user.userId, message: `${name} has joined the consultation` },
      { namespaces: CONSULTATION },
    );
  }

  private patientConnected(socket: Socket, consultation: Consultation, user: SocketUser): void {
    const { app } = this;
    const consultationId = consultation.id;
    // The reference frontend's REST patient-join, folded into the connection.
    if (consultation.status === 'SCHEDULED') app.consultations.transition(consultation, 'WAITING');
    if (consultation.status === 'WAITING') {
      app.waitingRoom.enter(consultation, user.userId);
      const participant = app.consultations.participant(consultation, user.userId);
      if (participant) {
        participant.inWaitingRoom = true;
        participant.journeyState = 'waiting_room';
      }
    }
    app.hub.send(socket, 'consultation_status_patient', patientStatus(app, consultation));
    if (consultation.status !== 'WAITING') return;
    const name = app.consultations.displayName(user.userId, user.role);
    app.hub.toConsultation(
      consultationId,
      'system_message',
      { type: 'waiting_for_participant', userId: user.userId, role: user.role, timestamp: nowIso(), message: 'Waiting for the practitioner to join' },
      { namespaces: CONSULTATION },
    );
    const practitionerId = consultation.practitionerId;
    if (!practitionerId) return;
    const noticeKey = `${key(consultationId)}|${practitionerId}`;
    const now = Date.now();
    const last = this.lastWaitingNotice.get(noticeKey);
    if (last !== undefined && now - last < app.options.patientWaitingDebounceMs) return;
    this.lastWaitingNotice.set(noticeKey, now);
    app.hub.broadcast(
      { rooms: [`practitioner:${practitionerId}`], namespaces: CONSULTATION },
      'patient_waiting',
      { consultationId, patientId: user.userId, message: `${name} is waiting` },
    );
  }

  async onDisconnect(io: Server, consultation: Consultation, user: SocketUser): Promise<void> {
    const { app } = this;
    const consultationId = consultation.id;
    app.media.closeUserMedia(user.userId, consultationId);
    if (staffRoles.has(user.role)) {
      if (isEnded(consultation)) return;
      consultation.status = 'TERMINATED_OPEN';
      consultation.endedAt = nowIso();
      this.leaveWaitingRoom(consultation);
      await closeMediaSession(app, consultation);
      app.hub.toConsultation(consultationId, 'consultation_terminated', {
        consultationId,
        reason: `${user.role === 'EXPERT' ? 'Expert' : 'Practitioner'} disconnected`,
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
      ((socket.data.consultations ?? []) as string[]).includes(key(consultationId)),
    );
  }

  clear(): void {
    this.lastWaitingNotice.clear();
  }
}
