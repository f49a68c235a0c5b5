import type { App } from '../app.js';
import { nowIso } from '../domain/errors.js';
import { rooms } from '../transport/rooms.js';
import { consultationOf, requireRole, requireSelf } from './common.js';
import { dashboardUpdate, setPresence } from './presence.js';
import type { HandlerTable } from './types.js';

/** Heartbeats, presence, practitioner rooms and system notifications. */
export const sessionHandlers: HandlerTable = {
  heartbeat(ctx) {
    ctx.reply('heartbeat', { timestamp: nowIso() });
  },

  ping(ctx, { timestamp }) {
    // Echo the client's timestamp (round-trip time); the server's clock rides along.
    ctx.reply('pong', { timestamp, serverTime: nowIso() });
  },

  consultation_keep_alive(ctx, { consultationId }) {
    const consultation = consultationOf(ctx, consultationId);
    const participant = ctx.app.consultations.participant(consultation, ctx.user.userId);
    if (participant) participant.lastSeenAt = nowIso();
  },

  practitioner_online(ctx, { practitionerId }) {
    requireRole(ctx, 'PRACTITIONER', 'ADMIN');
    requireSelf(ctx, practitionerId, 'practitionerId');
    if (!setPresence(ctx.app, practitionerId, true)) dashboardUpdate(ctx.app, practitionerId);
  },

  practitioner_offline(ctx, { practitionerId }) {
    requireRole(ctx, 'PRACTITIONER', 'ADMIN');
    requireSelf(ctx, practitionerId, 'practitionerId');
    if (!setPresence(ctx.app, practitionerId, false)) dashboardUpdate(ctx.app, practitionerId);
  },

  async join_practitioner_room(ctx, { practitionerId }) {
    requireRole(ctx, 'PRACTITIONER', 'ADMIN');
    requireSelf(ctx, practitionerId, 'practitionerId');
    await ctx.socket.join([rooms.practitioner(practitionerId), rooms.practitioners]);
    if (ctx.has('dashboard_state_update')) dashboardUpdate(ctx.app, practitionerId);
  },

  create_system_notification(ctx, { consultationId, notificationType, message, priority }) {
    const consultation = consultationOf(ctx, consultationId);
    notify(ctx.app, consultation.id, notificationType, message, priority, ctx.user.userId);
  },

  create_system_notification_enhanced(ctx, { consultationId, notificationType, message, priority, createdBy }) {
    requireSelf(ctx, createdBy, 'createdBy');
    const consultation = consultationOf(ctx, consultationId);
    notify(ctx.app, consultation.id, notificationType, message, priority, createdBy);
  },
};

function notify(
  app: App,
  consultationId: number,
  notificationType: string,
  message: string,
  priority: string,
  createdBy: string | number,
): void {
  const timestamp = nowIso();
  app.hub.toConsultation(consultationId, 'system_notification', {
    type: notificationType,
    message,
    priority,
    timestamp,
    data: { consultationId, createdBy },
  });
  app.hub.toConsultation(consultationId, 'system_notification_created', {
    notificationType,
    message,
    priority,
    createdBy,
    consultationId,
    timestamp,
  });
}
