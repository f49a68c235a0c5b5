import type { App } from '../app.js';
import type { Consultation } from '../domain/consultations.js';
import { nowIso } from '../domain/errors.js';
import type { WaitingSession } from '../domain/waiting-room.js';
import { rooms } from '../transport/rooms.js';
import { broadcastStatus } from './status.js';

/** The queue of a practitioner (null: unassigned consultations), oldest first. */
export function queueOf(app: App, practitionerId: string | null): WaitingSession[] {
  return app.waitingRoom.queueOf(practitionerId, (cid) => app.consultations.get(cid)?.practitionerId ?? null);
}

export function queueOfConsultation(app: App, consultation: Consultation): WaitingSession[] {
  return queueOf(app, consultation.practitionerId);
}

/** A waiting patient as dashboards list them. */
export function waitingPatient(app: App, session: WaitingSession, queue: WaitingSession[]) {
  const person = app.consultations.person(session.patientId, 'PATIENT');
  return {
    ...app.waitingRoom.view(session, queue),
    firstName: person.firstName,
    lastName: person.lastName,
    initials: initials(person.firstName, person.lastName),
  };
}

export function initials(firstName: string, lastName: string): string {
  return `${firstName.charAt(0)}${lastName.charAt(0)}`.toUpperCase();
}

/** After a queue changed: counts to the practitioner, positions to each waiting patient. */
export function queueChanged(app: App, practitionerId: string | null): void {
  const queue = queueOf(app, practitionerId);
  const room = practitionerId ? rooms.practitioner(practitionerId) : rooms.practitioners;
  const timestamp = nowIso();
  app.hub.broadcast({ rooms: [room] }, 'waiting_room_update', { waitingCount: queue.length });
  app.hub.broadcast({ rooms: [room] }, 'waiting-room-update', {
    waitingCount: queue.length,
    patients: queue.map((session) => waitingPatient(app, session, queue)),
    timestamp,
  });
  for (const session of queue) {
    const { position, estimatedWaitTime } = app.waitingRoom.position(session, queue);
    app.hub.toMember(session.consultationId, session.patientId, 'position-update', {
      patientId: session.patientId,
      position,
      estimatedWaitTime,
      timestamp,
      consultationId: session.consultationId,
    });
  }
}

/**
 * Heartbeat monitoring: a waiting patient with no open connection whose last sign of life (heartbeat,
 * connection) is older than `timeoutMs` leaves the queue; the consultation goes back to SCHEDULED
 * when nobody waits any more. Returns the sessions removed.
 */
export function sweepWaitingRoom(app: App, timeoutMs: number, now = Date.now()): WaitingSession[] {
  const removed: WaitingSession[] = [];
  for (const session of app.waitingRoom.all()) {
    const consultation = app.consultations.get(session.consultationId);
    const participant = consultation && app.consultations.participant(consultation, session.patientId);
    if (participant && participant.connections > 0) continue;
    const lastSign = Math.max(Date.parse(session.lastHeartbeatAt), Date.parse(participant?.lastSeenAt ?? session.joinedAt));
    if (now - lastSign < timeoutMs) continue;
    app.waitingRoom.leave(session.consultationId, session.patientId);
    if (participant) participant.inWaitingRoom = false;
    removed.push(session);
  }
  const touched = new Set(removed.map((s) => s.consultationId));
  for (const id of touched) {
    const consultation = app.consultations.get(id);
    if (!consultation) continue;
    if (consultation.status === 'WAITING' && !app.waitingRoom.all().some((s) => s.consultationId === id)) {
      app.consultations.transition(consultation, 'SCHEDULED');
      broadcastStatus(app, consultation, consultation.patientId);
    }
  }
  for (const practitionerId of new Set([...touched].map((id) => app.consultations.get(id)?.practitionerId ?? null))) {
    queueChanged(app, practitionerId);
  }
  return removed;
}
