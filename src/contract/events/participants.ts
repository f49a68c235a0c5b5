import * as z from 'zod/mini';
import { emit, receive } from '../define.js';
import { participant } from '../entities.js';
import { id, outgoing, payload, role } from '../fields.js';

/** Participants: join/leave notices, add/remove, invitations, status. */
const participantEventsDefinitions = {
  participant_joined: receive(
    payload(['consultationId?', 'userId?', 'role?', 'joinedAt?', 'type?', 'title?', 'description?', 'severity?', 'data?']),
    {
      requires: ['userId', 'role'],
      note: '/consultation lists a notice `{ type, title, description, severity, data }` and the media form `{ consultationId, userId, role, joinedAt }`: one schema with every field optional.',
    },
  ),
  participant_left: receive(payload(['type', 'title', 'description', 'severity', 'data'])),
  participant_added: receive(payload([], { participant }), { requires: ['participant'] }),
  participant_removed: receive(
    payload(['participantId?', 'participantUserId?', 'removedBy?', 'consultationId?']).check(
      z.refine((event) => event.participantId !== undefined || event.participantUserId !== undefined, {
        message: 'participant_removed names the participant by participantId or participantUserId',
      }),
    ),
    {
      requires: ['participantId', 'participantUserId'],
      note: 'Listed as `{ participantId }` and `{ participantUserId, removedBy, consultationId }`: either id is accepted.',
    },
  ),
  expert_guest_joined_consultation: receive(payload(['consultationId', 'joinTime', 'capabilities'], { participant })),
  participant_ready_for_consultation: receive(payload(['consultationId', 'features', 'timestamp'], { participant })),

  add_participant: emit(outgoing(['consultationId', 'role', 'email', 'firstName', 'lastName', 'notes?']), {
    responses: ['add_participant_success'],
    errors: ['error'],
  }),
  add_participant_enhanced: emit(outgoing(['role', 'email', 'firstName', 'lastName', 'notes?']), {
    responses: ['add_participant_success'],
    errors: ['error'],
  }),
  add_participant_success: receive(payload(['success'], { participant })),
  remove_participant: emit(outgoing(['participantUserId']), { responses: ['participant_removed'], errors: ['error'] }),
  remove_participant_enhanced: emit(outgoing(['participantUserId']), {
    responses: ['participant_removed'],
    errors: ['error'],
  }),
  removed_from_consultation: receive(payload(['message', 'removedBy', 'consultationId'])),
  participant_removed_notification: receive(payload(['participantId', 'removedBy', 'consultationId', 'timestamp'])),

  invite_participant: emit(outgoing(['consultationId', 'inviteEmail', 'role', 'name', 'notes?']), {
    responses: ['participant_invitation_sent'],
    errors: ['error'],
  }),
  invite_participant_email: emit(outgoing(['consultationId', 'inviteEmail', 'role']), {
    responses: ['participant_invited'],
    errors: ['error'],
  }),
  participant_invited: receive(
    payload(['consultationId', 'role', 'inviteEmail?', 'email?', 'name?', 'notes?', 'token?', 'expiresAt?', 'invitationId?', 'addedBy?']),
    {
      requires: ['role', 'inviteEmail', 'email'],
      note: 'Three shapes in the table (/consultation, /enhanced-consultation, /mediasoup): one schema, the address as `inviteEmail` or `email`.',
    },
  ),
  participant_invitation_sent: receive(payload(['consultationId', 'inviteEmail', 'role', 'name', 'notes?'])),
  join_via_invite: emit(outgoing(['token', 'userId?']), {
    ack: z.looseObject({ success: z.boolean(), consultationId: id, role }),
    note: 'Listed with `userId` and `userId?`: optional (the token identifies the invitee).',
  }),
  participant_invite_joined: receive(payload(['userId', 'consultationId', 'role', 'joinedAt'])),

  request_participants: emit(outgoing(['consultationId']), {
    responses: ['participants_list'],
    errors: ['participants_error'],
  }),
  participants_list: receive(payload(['consultationId', 'timestamp'], { participants: z.array(participant) }), {
    requires: ['participants[]'],
  }),
  participants_error: receive(payload(['error', 'timestamp'])),
  update_participant_status: emit(outgoing(['consultationId', 'userId'], { status: z.string().check(z.minLength(1)) }), {
    responses: ['participant_status_changed'],
  }),
  participant_status_changed: receive(payload(['consultationId', 'userId', 'timestamp'], { status: z.string() })),
};
type ParticipantEventsDefinitions = typeof participantEventsDefinitions;
/** Named so that declarations refer to this group instead of spelling every event out again. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ParticipantEvents extends ParticipantEventsDefinitions {}
export const participantEvents: ParticipantEvents = participantEventsDefinitions;
