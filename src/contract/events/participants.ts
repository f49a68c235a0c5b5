import { z } from 'zod';
import { emit, receive } from '../define.js';
import { participant } from '../entities.js';
import { id, payload, role } from '../fields.js';

/** Participants: join/leave notices, add/remove, invitations, status. */
export const participantEvents = {
  participant_joined: receive(
    payload(['consultationId?', 'userId?', 'role?', 'joinedAt?', 'type?', 'title?', 'description?', 'severity?', 'data?']),
    {
      note: '/consultation lists a notice `{ type, title, description, severity, data }` and the media form `{ consultationId, userId, role, joinedAt }`: one schema with every field optional.',
    },
  ),
  participant_left: receive(payload(['type', 'title', 'description', 'severity', 'data'])),
  participant_added: receive(payload([], { participant })),
  participant_removed: receive(payload(['participantId?', 'participantUserId?', 'removedBy?', 'consultationId?']).refine(
    (event) => event.participantId !== undefined || event.participantUserId !== undefined,
    { message: 'participant_removed names the participant by participantId or participantUserId' },
  ), {
    note: 'Listed as `{ participantId }` and `{ participantUserId, removedBy, consultationId }`: either id is accepted.',
  }),
  expert_guest_joined_consultation: receive(payload(['consultationId', 'joinTime', 'capabilities'], { participant })),
  participant_ready_for_consultation: receive(payload(['consultationId', 'features', 'timestamp'], { participant })),

  add_participant: emit(payload(['consultationId', 'role', 'email', 'firstName', 'lastName', 'notes?']), {
    responses: ['add_participant_success'],
    errors: ['error'],
  }),
  add_participant_enhanced: emit(payload(['role', 'email', 'firstName', 'lastName', 'notes?']), {
    responses: ['add_participant_success'],
    errors: ['error'],
  }),
  add_participant_success: receive(payload(['success'], { participant })),
  remove_participant: emit(payload(['participantUserId']), { responses: ['participant_removed'], errors: ['error'] }),
  remove_participant_enhanced: emit(payload(['participantUserId']), {
    responses: ['participant_removed'],
    errors: ['error'],
  }),
  removed_from_consultation: receive(payload(['message', 'removedBy', 'consultationId'])),
  participant_removed_notification: receive(payload(['participantId', 'removedBy', 'consultationId', 'timestamp'])),

  invite_participant: emit(payload(['consultationId', 'inviteEmail', 'role', 'name', 'notes?']), {
    responses: ['participant_invitation_sent'],
    errors: ['error'],
  }),
  invite_participant_email: emit(payload(['consultationId', 'inviteEmail', 'role']), {
    responses: ['participant_invited'],
    errors: ['error'],
  }),
  participant_invited: receive(
    payload(['consultationId', 'role', 'inviteEmail?', 'email?', 'name?', 'notes?', 'token?', 'expiresAt?', 'invitationId?', 'addedBy?']),
    {
      note: 'Three shapes in the table (/consultation, /enhanced-consultation, /mediasoup): one schema, the address as `inviteEmail` or `email`.',
    },
  ),
  participant_invitation_sent: receive(payload(['consultationId', 'inviteEmail', 'role', 'name', 'notes?'])),
  join_via_invite: emit(payload(['token', 'userId?']), {
    ack: z.looseObject({ success: z.boolean(), consultationId: id, role }),
    note: 'Listed with `userId` and `userId?`: optional (the token identifies the invitee).',
  }),
  participant_invite_joined: receive(payload(['userId', 'consultationId', 'role', 'joinedAt'])),

  request_participants: emit(payload(['consultationId']), {
    responses: ['participants_list'],
    errors: ['participants_error'],
  }),
  participants_list: receive(payload(['consultationId', 'timestamp'], { participants: z.array(participant) })),
  participants_error: receive(payload(['error', 'timestamp'])),
  update_participant_status: emit(payload(['consultationId', 'userId'], { status: z.string().min(1) }), {
    responses: ['participant_status_changed'],
  }),
  participant_status_changed: receive(payload(['consultationId', 'userId', 'timestamp'], { status: z.string() })),
};
