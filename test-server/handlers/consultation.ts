import type { ConsultationStatus } from '../../src/contract/index.js';
import { isEnded, type Consultation } from '../domain/consultations.js';
import { DomainError, key, nowIso } from '../domain/errors.js';
import type { HandlerContext } from '../transport/context.js';
import { rooms } from '../transport/rooms.js';
import { consultationOf, nameOf, requireInCharge, requireRole, requireSelf } from './common.js';
import { openMediaSession } from './media-session.js';
import { queueChanged } from './queue.js';
import { broadcastStatus, endConsultation } from './status.js';
import type { HandlerTable } from './types.js';

const END_ACTIONS: Record<string, 'COMPLETED' | 'TERMINATED_OPEN'> = {
  close: 'COMPLETED',
  archive: 'COMPLETED',
  terminate: 'TERMINATED_OPEN',
};

/** `consultation_state_update`: a snapshot with participants and the latest messages. */
export function stateSnapshot(ctx: HandlerContext, consultation: Consultation) {
  const { app } = ctx;
  return {
    consultationId: consultation.id,
    status: consultation.status,
    participants: [...consultation.participants.values()].map((p) => app.consultations.participantView(p)),
    messages: app.chat.page(consultation.id, 50, 0).messages as unknown as Record<string, unknown>[],
    timestamp: nowIso(),
  };
}

/** Makes the caller (or the named practitioner) the one in charge: first come, first served. */
function assign(ctx: HandlerContext, consultation: Consultation, practitionerId: string): void {
  const { app } = ctx;
  // Check-and-set in one synchronous step: of racing requests exactly one finds it unassigned.
  if (consultation.practitionerId && consultation.practitionerId !== practitionerId) {
    throw new DomainError(`Consultation ${consultation.id} is already assigned to another practitioner`, 'conflict');
  }
  if (isEnded(consultation)) throw new DomainError(`Consultation ${consultation.id} has ended`, 'conflict');
  const previous = consultation.practitionerId;
  consultation.practitionerId = practitionerId;
  app.consultations.addParticipant(consultation, practitionerId, 'PRACTITIONER');
  const consultationId = consultation.id;
  const message = `Consultation ${consultationId} assigned to ${nameOf(app, practitionerId, 'PRACTITIONER')}`;
  app.hub.toConsultation(consultationId, 'practitioner_assigned', { consultationId, practitionerId, message, status: consultation.status });
  app.hub.broadcast({ rooms: [rooms.practitioner(practitionerId)] }, 'new_assignment', {
    consultationId,
    message,
    status: consultation.status,
  });
  if (practitionerId === ctx.user.userId) {
    app.hub.broadcast({ rooms: [rooms.practitioners] }, 'consultation_self_assigned', { consultationId, practitionerId, message });
  }
  app.hub.broadcast({ rooms: [rooms.practitioners] }, 'waiting_room_consultation_assigned', {
    consultationId,
    assignedToPractitionerId: practitionerId,
    message,
  });
  if (previous !== practitionerId) {
    queueChanged(app, null);
    queueChanged(app, practitionerId);
  }
}

/** Consultation life cycle: assignment, activation, transitions, end, rating. */
export const consultationHandlers: HandlerTable = {
  assign_practitioner(ctx, { consultationId, practitionerId }) {
    requireRole(ctx, 'PRACTITIONER', 'ADMIN');
    requireSelf(ctx, practitionerId, 'practitionerId');
    assign(ctx, consultationOf(ctx, consultationId), key(practitionerId));
  },

  async activate_consultation(ctx, { consultationId, practitionerId }) {
    requireRole(ctx, 'PRACTITIONER', 'ADMIN');
    requireSelf(ctx, practitionerId, 'practitionerId');
    const consultation = consultationOf(ctx, consultationId);
    if (!consultation.practitionerId) assign(ctx, consultation, key(practitionerId));
    requireInCharge(ctx, consultation);
    if (consultation.status !== 'ACTIVE') ctx.app.consultations.transition(consultation, 'ACTIVE');
    const { hub } = ctx.app;
    broadcastStatus(ctx.app, consultation, ctx.user.userId);
    hub.toConsultation(consultation.id, 'consultation_activated', {
      consultationId: consultation.id,
      practitionerId,
      practitionerName: nameOf(ctx.app, practitionerId, 'PRACTITIONER'),
      status: consultation.status,
      timestamp: nowIso(),
      message: 'Consultation activated',
      sessionStatus: 'active',
      consultationStartTime: consultation.startedAt ?? nowIso(),
      isConnected: true,
    });
    await openMediaSession(ctx.app, consultation);
  },

  async transition_consultation_state(ctx, { consultationId, newStatus, initiatorUserId }) {
    requireSelf(ctx, initiatorUserId, 'initiatorUserId');
    const consultation = consultationOf(ctx, consultationId);
    requireInCharge(ctx, consultation);
    const to: ConsultationStatus = newStatus;
    if (to === 'COMPLETED' || to === 'CANCELLED' || to === 'TERMINATED_OPEN') {
      await endConsultation(ctx.app, consultation, { to, action: 'transition', by: ctx.user.userId, byRole: ctx.user.role });
    } else {
      ctx.app.consultations.transition(consultation, to);
      broadcastStatus(ctx.app, consultation, ctx.user.userId);
      if (to === 'ACTIVE') await openMediaSession(ctx.app, consultation);
    }
    // /enhanced-consultation has no consultation_status: answer with the state snapshot there.
    if (!ctx.has('consultation_status')) ctx.reply('consultation_state_update', stateSnapshot(ctx, consultation));
  },

  request_consultation_state(ctx, { consultationId }) {
    ctx.reply('consultation_state_update', stateSnapshot(ctx, consultationOf(ctx, consultationId)));
  },

  async end_consultation(ctx, { consultationId, action }) {
    const consultation = consultationOf(ctx, consultationId);
    requireInCharge(ctx, consultation);
    const to = END_ACTIONS[action];
    if (!to) throw new DomainError(`Unknown end action "${action}" (close, terminate or archive)`);
    if (isEnded(consultation)) throw new DomainError(`Consultation ${consultation.id} has already ended`, 'conflict');
    await endConsultation(ctx.app, consultation, { to, action, by: ctx.user.userId, byRole: ctx.user.role });
  },

  rate_consultation(ctx, { consultationId, rating, comment }) {
    requireRole(ctx, 'PATIENT');
    const consultation = consultationOf(ctx, consultationId);
    if (consultation.patientId !== ctx.user.userId) throw new DomainError('Only the patient of this consultation may rate it', 'forbidden');
    if (!isEnded(consultation)) throw new DomainError('A consultation can be rated once it has ended', 'conflict');
    if (consultation.rating) throw new DomainError('This consultation has already been rated', 'conflict');
    consultation.rating = { rating, comment: comment ?? null };
    ctx.app.hub.toConsultation(consultation.id, 'consultation_rated', {
      consultationId: consultation.id,
      patientId: consultation.patientId,
      rating,
      ...(comment === undefined ? {} : { comment }),
    });
  },
};
