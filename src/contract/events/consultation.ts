import { z } from 'zod';
import { emit, receive } from '../define.js';
import { participant } from '../entities.js';
import { payload } from '../fields.js';

/** Consultation status, assignment, activation, end, termination and rating. */
export const consultationEvents = {
  consultation_status: receive(payload(['status', 'participantCount?', 'triggeredBy?', 'initiatedBy?', 'timestamp'])),
  consultation_status_update: receive(payload(['status', 'participantCount'])),
  consultation_status_patient: receive(
    payload(['status', 'canJoin', 'waitingForDoctor', 'scheduledDate', 'doctorName', 'rating'], {
      rating: z.union([z.number(), z.looseObject({})]).nullable(),
    }),
  ),

  assign_practitioner: emit(payload(['consultationId', 'practitionerId']), {
    responses: ['practitioner_assigned'],
    errors: ['error'],
    note: 'Self-assignment is `assign_practitioner` with the caller as practitioner; exactly one of racing callers wins.',
  }),
  practitioner_assigned: receive(payload(['consultationId', 'practitionerId', 'message', 'status'])),
  new_assignment: receive(payload(['consultationId', 'message', 'status'])),
  consultation_self_assigned: receive(payload(['consultationId', 'practitionerId', 'message'])),
  waiting_room_consultation_assigned: receive(payload(['consultationId', 'assignedToPractitionerId', 'message'])),

  activate_consultation: emit(payload(['consultationId', 'practitionerId']), {
    responses: ['consultation_activated'],
    errors: ['consultation_activated_response'],
  }),
  consultation_activated: receive(
    payload(['consultationId?', 'practitionerId?', 'practitionerName?', 'status?', 'timestamp?', 'message?', 'sessionStatus?', 'consultationStartTime?', 'isConnected?']),
    {
      note: 'Listed as `{ sessionStatus, consultationStartTime, isConnected }` and `{ consultationId, practitionerId, practitionerName, status, ... }`: one schema where each field is optional.',
    },
  ),
  consultation_activated_response: receive(payload(['success', 'error?'])),
  transition_consultation_state: emit(payload(['consultationId', 'newStatus', 'initiatorUserId']), {
    responses: ['consultation_status'],
    errors: ['consultation_state_transition_failed'],
  }),
  consultation_state_transition_failed: receive(payload(['error', 'timestamp'])),
  request_consultation_state: emit(payload(['consultationId']), { responses: ['consultation_state_update'] }),
  consultation_state_update: receive(
    payload(['consultationId', 'status', 'messages', 'timestamp'], { participants: z.array(participant) }),
  ),

  end_consultation: emit(payload(['consultationId'], { action: z.enum(['close', 'terminate', 'archive']).or(z.string()) }), {
    responses: ['consultation_ended'],
    errors: ['error'],
  }),
  consultation_ended: receive(payload(['status', 'action', 'terminatedBy', 'deletionScheduledAt', 'retentionHours', 'consultationId?'])),
  consultation_terminated: receive(payload(['consultationId', 'reason'])),
  rate_consultation: emit(payload(['consultationId', 'rating', 'comment?']), {
    responses: ['consultation_rated'],
    errors: ['error'],
  }),
  consultation_rated: receive(payload(['consultationId', 'patientId', 'rating'])),

  'consultation-started': receive(payload(['consultationId', 'startedAt', 'practitionerId'])),
  'consultation-ended': receive(payload(['consultationId', 'endedAt', 'practitionerId'])),
  'consultation-cancelled': receive(payload(['consultationId', 'cancelledAt', 'reason'])),
};
