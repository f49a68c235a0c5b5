import type { Role } from '../../src/contract/index.js';
import type { Consultation } from '../domain/consultations.js';
import { DomainError, key, nowIso } from '../domain/errors.js';
import type { Invitation } from '../domain/invitations.js';
import type { HandlerContext } from '../transport/context.js';
import { consultationOf, isStaff, requireInCharge, requireSelf } from './common.js';
import { openMediaSession } from './media-session.js';
import type { HandlerTable } from './types.js';

interface NewParticipant {
  role: Role;
  email: string;
  firstName: string;
  lastName: string;
  notes?: string | undefined;
}

/** Adds a participant (known by their email as user id) and an invitation they can join with. */
function addParticipant(ctx: HandlerContext, consultation: Consultation, input: NewParticipant): void {
  requireInCharge(ctx, consultation);
  if (input.role === 'PRACTITIONER' || input.role === 'ADMIN') throw new DomainError(`Cannot add a participant with role ${input.role}`);
  const { app } = ctx;
  if (app.consultations.participant(consultation, input.email))
    throw new DomainError(`${input.email} is already a participant`, 'conflict');
  const participant = app.consultations.addParticipant(consultation, input.email, input.role, {
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email,
  });
  const invitation = app.invitations.create({
    consultationId: consultation.id,
    email: input.email,
    role: input.role,
    name: `${input.firstName} ${input.lastName}`,
    ...(input.notes === undefined ? {} : { notes: input.notes }),
    createdBy: ctx.user.userId,
  });
  const view = app.consultations.participantView(participant);
  ctx.reply('add_participant_success', {
    success: true,
    participant: view,
    invitation: { token: invitation.token, expiresAt: invitation.expiresAt },
  });
  app.hub.toConsultation(consultation.id, 'participant_added', { participant: view, consultationId: consultation.id });
  announceInvitation(ctx, invitation);
}

/** `participant_invited`: the token goes to the inviter only, the others learn that someone was invited. */
function announceInvitation(ctx: HandlerContext, invitation: Invitation): void {
  const base = {
    consultationId: invitation.consultationId,
    role: invitation.role,
    email: invitation.email,
    inviteEmail: invitation.email,
    invitationId: invitation.id,
    addedBy: invitation.createdBy,
    expiresAt: invitation.expiresAt,
    ...(invitation.name ? { name: invitation.name } : {}),
    ...(invitation.notes ? { notes: invitation.notes } : {}),
  };
  ctx.app.hub.toConsultation(invitation.consultationId, 'participant_invited', base, { exceptUserId: ctx.user.userId });
  ctx.app.hub.toUser(ctx.user.userId, 'participant_invited', { ...base, token: invitation.token });
}

function removeParticipant(ctx: HandlerContext, participantUserId: string | number): void {
  const consultation = consultationOf(ctx);
  requireInCharge(ctx, consultation);
  const { app } = ctx;
  const userId = key(participantUserId);
  const participant = app.consultations.participant(consultation, userId);
  if (!participant) throw new DomainError(`${userId} is not a participant of consultation ${consultation.id}`, 'not_found');
  if (userId === consultation.practitionerId || userId === consultation.patientId) {
    throw new DomainError('The practitioner and the patient of a consultation cannot be removed', 'forbidden');
  }
  consultation.participants.delete(userId);
  app.waitingRoom.leave(consultation.id, userId);
  const consultationId = consultation.id;
  const removedBy = ctx.user.userId;
  app.hub.toMember(consultationId, userId, 'removed_from_consultation', {
    message: 'You have been removed from the consultation',
    removedBy,
    consultationId,
  });
  app.hub.toConsultation(consultationId, 'participant_removed', {
    participantId: userId,
    participantUserId: userId,
    removedBy,
    consultationId,
  });
  app.hub.toConsultation(consultationId, 'participant_removed_notification', {
    participantId: userId,
    removedBy,
    consultationId,
    timestamp: nowIso(),
  });
  // Their sockets for this consultation leave once the notices are out.
  app.hub.deliver(() => app.disconnectMember(consultationId, userId));
}

/** Participants: add, remove, invite, join by invitation, list, status. */
export const participantHandlers: HandlerTable = {
  add_participant(ctx, { consultationId, ...input }) {
    addParticipant(ctx, consultationOf(ctx, consultationId), input);
  },

  add_participant_enhanced(ctx, input) {
    addParticipant(ctx, consultationOf(ctx), input);
  },

  remove_participant(ctx, { participantUserId }) {
    removeParticipant(ctx, participantUserId);
  },

  remove_participant_enhanced(ctx, { participantUserId }) {
    removeParticipant(ctx, participantUserId);
  },

  invite_participant(ctx, { consultationId, inviteEmail, role, name, notes }) {
    const consultation = consultationOf(ctx, consultationId);
    requireInCharge(ctx, consultation);
    const invitation = ctx.app.invitations.create({
      consultationId: consultation.id,
      email: inviteEmail,
      role,
      name,
      ...(notes === undefined ? {} : { notes }),
      createdBy: ctx.user.userId,
    });
    ctx.reply('participant_invitation_sent', {
      consultationId: consultation.id,
      inviteEmail,
      role,
      name,
      ...(notes === undefined ? {} : { notes }),
      invitationId: invitation.id,
      token: invitation.token,
      expiresAt: invitation.expiresAt,
    });
    announceInvitation(ctx, invitation);
  },

  invite_participant_email(ctx, { consultationId, inviteEmail, role }) {
    const consultation = consultationOf(ctx, consultationId);
    requireInCharge(ctx, consultation);
    const invitation = ctx.app.invitations.create({
      consultationId: consultation.id,
      email: inviteEmail,
      role,
      createdBy: ctx.user.userId,
    });
    announceInvitation(ctx, invitation);
  },

  async join_via_invite(ctx, { token, userId }) {
    if (userId !== undefined) requireSelf(ctx, userId);
    const { app } = ctx;
    const invitation = app.invitations.find(token);
    const consultation = app.consultations.require(invitation.consultationId);
    if (consultation.status === 'COMPLETED' || consultation.status === 'CANCELLED') {
      throw new DomainError(`Consultation ${consultation.id} has ended`, 'conflict');
    }
    app.invitations.claim(token, ctx.user.userId);
    // An invitation added by email becomes the real user's participation.
    const pending = app.consultations.participant(consultation, invitation.email);
    if (pending && pending.connections === 0 && invitation.email !== ctx.user.userId) consultation.participants.delete(invitation.email);
    app.consultations.addParticipant(consultation, ctx.user.userId, invitation.role, {
      email: invitation.email,
      ...(pending ? { firstName: pending.firstName, lastName: pending.lastName } : {}),
    });
    await app.joinConsultationRooms(ctx.socket, consultation.id);
    const joinedAt = nowIso();
    const consultationId = consultation.id;
    const role = invitation.role;
    app.hub.toConsultation(consultationId, 'participant_invite_joined', { userId: ctx.user.userId, consultationId, role, joinedAt });
    app.hub.toConsultation(consultationId, 'participant_joined', { consultationId, userId: ctx.user.userId, role, joinedAt });
    if (consultation.status === 'ACTIVE' || consultation.status === 'TERMINATED_OPEN') await openMediaSession(app, consultation);
    return { success: true, consultationId, role };
  },

  request_participants(ctx, { consultationId }) {
    const consultation = consultationOf(ctx, consultationId);
    ctx.reply('participants_list', {
      consultationId: consultation.id,
      participants: [...consultation.participants.values()].map((p) => ctx.app.consultations.participantView(p)),
      timestamp: nowIso(),
    });
  },

  update_participant_status(ctx, { consultationId, userId, status }) {
    if (!isStaff(ctx.user.role)) requireSelf(ctx, userId);
    const consultation = consultationOf(ctx, consultationId);
    const participant = ctx.app.consultations.participant(consultation, userId);
    if (!participant) throw new DomainError(`${String(userId)} is not a participant of consultation ${consultation.id}`, 'not_found');
    participant.status = status;
    ctx.app.hub.toConsultation(consultation.id, 'participant_status_changed', {
      consultationId: consultation.id,
      userId,
      status,
      timestamp: nowIso(),
    });
  },
};
