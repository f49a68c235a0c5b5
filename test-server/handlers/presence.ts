import type { App } from '../app.js';
import { isEnded } from '../domain/consultations.js';
import { nowIso, type Id } from '../domain/errors.js';
import { rooms } from '../transport/rooms.js';
import { queueOf } from './queue.js';

/**
 * Practitioner presence: on a change, each patient of the practitioner's open consultations gets
 * `system_notification { type: 'practitioner_online' | 'practitioner_offline', data: { practitionerId } }`
 * and the practitioner's dashboard a `dashboard_state_update`.
 */
export function setPresence(app: App, practitionerId: Id, online: boolean): boolean {
  if (!app.presence.set(practitionerId, online)) return false;
  const name = app.consultations.displayName(practitionerId, 'PRACTITIONER');
  const type = online ? 'practitioner_online' : 'practitioner_offline';
  for (const consultation of app.consultations.list()) {
    if (consultation.practitionerId !== String(practitionerId) || isEnded(consultation)) continue;
    app.hub.toMember(consultation.id, consultation.patientId, 'system_notification', {
      type,
      message: online ? `${name} is online` : `${name} is offline`,
      timestamp: nowIso(),
      priority: 'normal',
      data: { practitionerId: String(practitionerId), consultationId: consultation.id },
    });
  }
  dashboardUpdate(app, practitionerId);
  return true;
}

export function dashboardUpdate(app: App, practitionerId: Id): void {
  const waiting = queueOf(app, String(practitionerId));
  app.hub.broadcast({ rooms: [rooms.practitioner(practitionerId)] }, 'dashboard_state_update', {
    practitionerId,
    dashboardState: {
      online: app.presence.isOnline(practitionerId),
      waitingCount: waiting.length,
      unassignedCount: queueOf(app, null).length,
      activeConsultations: app.consultations
        .list()
        .filter((c) => c.practitionerId === String(practitionerId) && c.status === 'ACTIVE')
        .map((c) => c.id),
    },
    timestamp: nowIso(),
  });
}
