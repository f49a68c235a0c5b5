import type { App } from '../app.js';
import type { Consultation } from '../domain/consultations.js';
import { nowIso } from '../domain/errors.js';
import type { WaitingSession } from '../domain/waiting-room.js';
import { rooms } from '../transport/rooms.js';

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
