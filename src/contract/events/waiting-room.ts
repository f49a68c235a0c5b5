import { z } from 'zod';
import { emit, receive } from '../define.js';
import { id, payload, timestamp } from '../fields.js';

/** A waiting-room session as the enhanced flows carry it. */
const waitingRoomSession = z.looseObject({
  id: id.optional(),
  sessionId: id.optional(),
  consultationId: id.optional(),
  patientId: id.optional(),
  position: z.number().int().nonnegative().optional(),
  estimatedWaitTime: z.number().nonnegative().optional(),
  joinedAt: timestamp.optional(),
});

/** Waiting room, patient join variants, admission and navigation. */
export const waitingRoomEvents = {
  enter_waiting_room: emit(payload(['consultationId', 'userId']), { responses: ['waiting_room_entered'] }),
  waiting_room_entered: receive(payload(['message'], { session: waitingRoomSession })),
  join_waiting_room_enhanced: emit(payload(['consultationId', 'userId']), { responses: ['waiting_room_joined'] }),
  waiting_room_joined: receive(payload(['success', 'message'], { waitingRoomSession })),
  waiting_room_heartbeat: emit(payload(['waitingRoomSessionId', 'patientId']), {
    responses: ['waiting_room_heartbeat_ack'],
  }),
  waiting_room_heartbeat_ack: receive(payload(['sessionId', 'timestamp'])),

  waiting_room_notification: receive(
    payload(['consultationId', 'patientId', 'patientFirstName?', 'patientInitials?']),
  ),
  waiting_room_update: receive(payload(['waitingCount'])),
  'waiting-room-update': receive(payload(['waitingCount', 'patients', 'timestamp'])),
  'position-update': receive(payload(['patientId', 'position', 'timestamp'], {
    estimatedWaitTime: z.number().nonnegative().optional(),
  })),
  patient_waiting: receive(payload(['consultationId', 'patientId', 'message', 'joinTime?', 'session?']), {
    note: '/consultation lists `{ consultationId, patientId, message, joinTime }` and the enhanced `{ patientId, session, consultationId, message }`: one schema, joinTime and session optional.',
  }),
  patient_joined: receive(payload(['consultationId', 'patientId', 'patientFirstName?', 'joinTime', 'message'])),
  patient_entered_waiting_room: receive(payload(['patientId', 'joinedAt'], { waitingRoomSession })),
  patient_in_waiting_room: receive(payload(['consultationId', 'patient', 'estimatedWaitTime'])),
  get_practitioner_waiting_room: emit(payload(['practitionerId']), { responses: ['practitioner_waiting_room_data'] }),
  practitioner_waiting_room_data: receive(payload(['waitingRoomData', 'timestamp'])),
  get_waiting_room_stats: emit(payload(['practitionerId']), {
    ack: payload(['practitionerId', 'waitingCount', 'timestamp'], {
      averageWaitTime: z.number().nonnegative().optional(),
      longestWaitTime: z.number().nonnegative().optional(),
    }),
    note: 'The table gives no answer for this request; the test server answers by ack (as NestJS does with a return value).',
  }),

  smart_patient_join: emit(payload(['consultationId', 'patientId', 'joinType']), {
    responses: ['smart_patient_join_response'],
    errors: ['smart_patient_join_error'],
  }),
  smart_patient_join_response: receive(payload(['success', 'consultationId', 'patientId', 'joinType', 'redirectTo?'])),
  smart_patient_join_error: receive(payload(['error', 'consultationId', 'patientId', 'joinType', 'timestamp'])),
  patient_join_state_change: receive(
    payload(['consultationId', 'patientId', 'joinType', 'newState', 'consultationStatus?', 'timestamp?']),
  ),
  check_session_status: emit(payload(['consultationId', 'patientId']), { responses: ['session_status_response'] }),
  session_status_response: receive(
    payload(['success', 'consultationId', 'patientId', 'consultation?', 'participant?', 'navigation?', 'urls?', 'config?', 'timestamp?'], {
      data: z.unknown().optional(),
      error: z.string().optional(),
    }),
    { note: 'The table writes `data/error`: success carries `data`, failure `error`.' },
  ),
  check_patient_admission_status: emit(payload(['consultationId', 'patientId']), {
    responses: ['patient_admission_status_response'],
    errors: ['patient_admission_status_error'],
  }),
  patient_admission_status_response: receive(
    payload(['consultationId', 'patientId', 'consultationStatus', 'inWaitingRoom', 'isActive?', 'canJoinDirectly?', 'recommendedAction?', 'message?', 'timestamp?']),
  ),
  patient_admission_status_error: receive(payload(['error', 'consultationId', 'patientId', 'timestamp'])),

  admit_patient: emit(payload(['consultationId', 'patientId?', 'welcomeMessage?']), {
    ack: payload(['success', 'consultationId?', 'message?']),
    note: 'Listed as `{ consultationId, patientId }` and `{ consultationId, patientId, welcomeMessage? }`; the reference backend makes patientId optional.',
  }),
  admit_from_waiting_room_enhanced: emit(payload(['consultationId', 'patientId', 'welcomeMessage?']), {
    responses: ['patient_admitted_from_waiting_room'],
  }),
  patient_admitted: receive(payload(['consultationId', 'patient', 'transition', 'navigation', 'urls', 'consultation'])),
  patient_admission_confirmed: receive(
    payload(['consultationId?'], { practitioner: z.looseObject({ message: z.string(), dashboardUrl: z.string().optional() }) }),
  ),
  patient_admitted_from_waiting_room: receive(payload(['patientId', 'consultationId', 'admittedBy', 'success'])),
  admitted_to_live_consultation: receive(payload(['message', 'consultationId', 'admittedBy', 'admittedAt'])),
  navigate_to_consultation_room: receive(payload(['url', 'sessionUrl', 'autoRedirect', 'message', 'timeout'])),
  redirect_to_consultation_room: receive(payload(['consultationId', 'userId', 'redirectUrl', 'autoRedirect', 'timestamp'])),
  transition_to_consultation_room: receive(payload(['consultationId', 'userId', 'fromState', 'toState', 'timestamp'])),
  join_live_consultation_enhanced: emit(payload(['consultationId', 'userId', 'role']), {
    responses: ['live_consultation_joined'],
  }),
  live_consultation_joined: receive(payload(['liveConsultationData', 'message'])),
  participant_joined_live: receive(payload(['userId', 'userRole', 'consultationId', 'joinedAt'])),

  patient_state_transition: emit(payload(['consultationId', 'fromState', 'toState', 'patientId']), {
    responses: ['patient_state_changed'],
    errors: ['state_transition_error'],
  }),
  patient_state_changed: receive(payload(['consultationId', 'patientId', 'fromState', 'toState', 'timestamp', 'triggeredBy'])),
  state_transition_error: receive(payload(['error', 'timestamp'])),
};
