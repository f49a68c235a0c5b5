import * as z from 'zod/mini';
import { emit, receive } from '../define.js';
import { participant } from '../entities.js';
import { consultationStatus, id, outgoing, payload, timestamp } from '../fields.js';

/** Consultation status, assignment, activation, end, termination and rating. */
const consultationEventsDefinitions = {
  consultation_status: receive(payload(['status', 'participantCount?', 'triggeredBy?', 'initiatedBy?', 'timestamp?']), {
    requires: ['status'],
    note: 'The reference backend sends it without `timestamp` on two paths (`{ status, triggeredBy }` when the last patient leaves, `{ status, initiatedBy }` on one admission path): optional.',
  }),
  consultation_status_update: receive(payload(['status', 'participantCount']), { requires: ['status'] }),
  consultation_status_patient: receive(
    payload(['status', 'canJoin', 'waitingForDoctor', 'scheduledDate?', 'doctorName?', 'rating?'], {
      rating: z.nullish(z.union([z.number(), z.looseObject({ value: z.unknown(), color: z.unknown(), done: z.unknown() })])),
      showRating: z.nullish(z.boolean()),
    }),
    {
      requires: ['status'],
      note: 'The reference backend sends `{ status, canJoin, waitingForDoctor, scheduledDate, doctorName, rating }` on connect (`rating` an object `{ value, color, done }`, `doctorName` possibly empty) and `{ status, canJoin, waitingForDoctor, showRating }` after `end_consultation`: `scheduledDate`, `doctorName` and `rating` optional.',
    },
  ),

  assign_practitioner: emit(outgoing(['consultationId', 'practitionerId']), {
    responses: ['practitioner_assigned'],
    errors: ['error'],
    note: 'Self-assignment is `assign_practitioner` with the caller as practitioner; exactly one of racing callers wins.',
  }),
  practitioner_assigned: receive(payload(['consultationId', 'practitionerId', 'message', 'status']), {
    requires: ['practitionerId', 'status'],
  }),
  new_assignment: receive(payload(['consultationId', 'message', 'status'])),
  consultation_self_assigned: receive(payload(['consultationId', 'practitionerId', 'message'])),
  waiting_room_consultation_assigned: receive(payload(['consultationId', 'assignedToPractitionerId', 'message'])),

  activate_consultation: emit(outgoing(['consultationId', 'practitionerId']), {
    responses: ['consultation_activated'],
    errors: ['consultation_activated_response'],
  }),
  consultation_activated: receive(
    payload([
      'consultationId?',
      'practitionerId?',
      'practitionerName?',
      'status?',
      'timestamp?',
      'message?',
      'sessionStatus?',
      'consultationStartTime?',
      'isConnected?',
    ]),
    {
      note: 'Listed as `{ sessionStatus, consultationStartTime, isConnected }` and `{ consultationId, practitionerId, practitionerName, status, ... }`: one schema where each field is optional.',
    },
  ),
  consultation_activated_response: receive(payload(['success', 'error?'])),
  transition_consultation_state: emit(outgoing(['consultationId', 'newStatus', 'initiatorUserId']), {
    responses: ['consultation_status'],
    errors: ['consultation_state_transition_failed'],
  }),
  consultation_state_changed: receive(
    payload(['consultationId?', 'newStatus?'], {
      previousStatus: z.nullish(consultationStatus),
      changedBy: z.nullish(id),
      changedAt: z.nullish(timestamp),
      participants: z.nullish(z.array(participant)),
    }),
    {
      extension:
        'Sent by the reference backend on /consultation, not listed in the upstream table: `{ consultationId, previousStatus, newStatus, changedBy, changedAt, participants }` to the room after `transition_consultation_state`.',
    },
  ),
  consultation_state_transition_failed: receive(payload(['error', 'timestamp'])),
  request_consultation_state: emit(outgoing(['consultationId']), { responses: ['consultation_state_update'] }),
  consultation_state_update: receive(
    payload(['consultationId', 'status', 'messages', 'timestamp'], { participants: z.array(participant) }),
    { requires: ['status', 'participants[]'] },
  ),

  end_consultation: emit(outgoing(['consultationId'], { action: z.union([z.enum(['close', 'terminate', 'archive']), z.string()]) }), {
    responses: ['consultation_ended'],
    errors: ['error'],
  }),
  consultation_ended: receive(payload(['status', 'action', 'terminatedBy', 'deletionScheduledAt?', 'retentionHours?', 'consultationId?']), {
    requires: ['status'],
    note: 'The reference backend may leave out `deletionScheduledAt` and `retentionHours`: optional.',
  }),
  consultation_terminated: receive(payload(['consultationId', 'reason'])),
  rate_consultation: emit(outgoing(['consultationId', 'rating', 'comment?']), {
    responses: ['consultation_rated'],
    errors: ['error'],
  }),
  consultation_rated: receive(payload(['consultationId', 'patientId', 'rating']), { requires: ['rating'] }),

  'consultation-started': receive(payload(['consultationId', 'startedAt', 'practitionerId'])),
  'consultation-ended': receive(payload(['consultationId', 'endedAt', 'practitionerId'])),
  'consultation-cancelled': receive(payload(['consultationId', 'cancelledAt', 'reason'])),
};
type ConsultationEventsDefinitions = typeof consultationEventsDefinitions;
/** Named so that declarations refer to this group instead of spelling every event out again. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ConsultationEvents extends ConsultationEventsDefinitions {}
export const consultationEvents: ConsultationEvents = consultationEventsDefinitions;
