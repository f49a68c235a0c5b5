import * as z from 'zod/mini';
import { emit, receive } from '../define.js';
import { id, outgoing, payload, timestamp } from '../fields.js';

/** A waiting-room session as the enhanced flows carry it. */
const waitingRoomSession = z.looseObject({
  id: z.nullish(id),
  sessionId: z.nullish(id),
  consultationId: z.nullish(id),
  patientId: z.nullish(id),
  position: z.nullish(z.number().check(z.int(), z.nonnegative())),
  estimatedWaitTime: z.nullish(z.number().check(z.nonnegative())),
  joinedAt: z.nullish(timestamp),
});

/** Waiting room, patient join variants, admission and navigation. */
const waitingRoomEventsDefinitions = {
  enter_waiting_room: emit(outgoing(['consultationId', 'userId']), { responses: ['waiting_room_entered'] }),
  waiting_room_entered: receive(payload(['message'], { session: waitingRoomSession })),
  join_waiting_room_enhanced: emit(outgoing(['consultationId', 'userId']), { responses: ['waiting_room_joined'] }),
  waiting_room_joined: receive(payload(['success', 'message'], { waitingRoomSession })),
  waiting_room_heartbeat: emit(outgoing(['waitingRoomSessionId', 'patientId']), {
    responses: ['waiting_room_heartbeat_ack'],
  }),
  waiting_room_heartbeat_ack: receive(payload(['sessionId', 'timestamp'])),

  waiting_room_notification: receive(payload(['consultationId', 'patientId', 'patientFirstName?', 'patientInitials?']), {
    requires: ['consultationId', 'patientId'],
  }),
  waiting_room_update: receive(payload(['waitingCount']), { requires: ['waitingCount'] }),
  'waiting-room-update': receive(payload(['waitingCount', 'patients', 'timestamp']), { requires: ['waitingCount', 'patients[]'] }),
  'position-update': receive(
    payload(['patientId', 'position', 'timestamp'], { estimatedWaitTime: z.nullish(z.number().check(z.nonnegative())) }),
    { requires: ['patientId', 'position'] },
  ),
  patient_waiting: receive(
    payload(['consultationId', 'patientId?', 'message?', 'joinTime?', 'session?', 'patientFirstName?'], {
      language: z.nullish(z.string()),
    }),
    {
      requires: ['consultationId'],
      note: '/consultation lists `{ consultationId, patientId, message, joinTime }` and the enhanced `{ patientId, session, consultationId, message }`; the reference backend sends `{ consultationId, patientId, message }` on connect and `{ consultationId, patientFirstName, joinTime, language }` from its REST patient-join path: one schema, only `consultationId` required.',
    },
  ),
  patient_joined: receive(payload(['consultationId', 'patientId', 'patientFirstName?', 'joinTime', 'message'])),
  patient_entered_waiting_room: receive(payload(['patientId', 'joinedAt'], { waitingRoomSession }), { requires: ['patientId'] }),
  patient_in_waiting_room: receive(payload(['consultationId', 'patient', 'estimatedWaitTime'])),
  get_practitioner_waiting_room: emit(outgoing(['practitionerId']), { responses: ['practitioner_waiting_room_data'] }),
  practitioner_waiting_room_data: receive(payload(['waitingRoomData', 'timestamp']), { requires: ['waitingRoomData'] }),
  get_waiting_room_stats: emit(outgoing(['practitionerId']), {
    ack: payload(['practitionerId', 'waitingCount', 'timestamp'], {
      averageWaitTime: z.nullish(z.number().check(z.nonnegative())),
      longestWaitTime: z.nullish(z.number().check(z.nonnegative())),
    }),
    note: 'The table gives no answer for this request; the test server answers by ack (as NestJS does with a return value).',
  }),

  smart_patient_join: emit(outgoing(['consultationId', 'patientId', 'joinType']), {
    responses: ['smart_patient_join_response'],
    errors: ['smart_patient_join_error'],
  }),
  smart_patient_join_response: receive(payload(['success', 'consultationId', 'patientId', 'joinType', 'redirectTo?'])),
  smart_patient_join_error: receive(payload(['error', 'consultationId', 'patientId', 'joinType', 'timestamp'])),
  patient_join_state_change: receive(payload(['consultationId', 'patientId', 'joinType', 'newState', 'consultationStatus?', 'timestamp?'])),
  check_session_status: emit(outgoing(['consultationId', 'patientId']), { responses: ['session_status_response'] }),
  session_status_response: receive(
    payload(['success', 'consultationId', 'patientId', 'consultation?', 'participant?', 'navigation?', 'urls?', 'config?', 'timestamp?'], {
      data: z.optional(z.unknown()),
      error: z.nullish(z.string()),
    }),
    { note: 'The table writes `data/error`: success carries `data`, failure `error`.' },
  ),
  check_patient_admission_status: emit(outgoing(['consultationId', 'patientId']), {
    responses: ['patient_admission_status_response'],
    errors: ['patient_admission_status_error'],
  }),
  patient_admission_status_response: receive(
    payload([
      'consultationId',
      'patientId',
      'consultationStatus',
      'inWaitingRoom',
      'isActive?',
      'canJoinDirectly?',
      'recommendedAction?',
      'message?',
      'timestamp?',
    ]),
  ),
  patient_admission_status_error: receive(payload(['error', 'consultationId', 'patientId', 'timestamp'])),

  admit_patient: emit(outgoing(['consultationId', 'patientId?', 'welcomeMessage?']), {
    ack: payload(['success', 'consultationId?', 'message?']),
    note: 'Listed as `{ consultationId, patientId }` and `{ consultationId, patientId, welcomeMessage? }`; the reference backend makes patientId optional.',
  }),
  admit_from_waiting_room_enhanced: emit(outgoing(['consultationId', 'patientId', 'welcomeMessage?']), {
    responses: ['patient_admitted_from_waiting_room'],
  }),
  patient_admitted: receive(payload(['consultationId', 'patient', 'transition', 'navigation', 'urls', 'consultation']), {
    requires: ['patient'],
  }),
  patient_admission_confirmed: receive(
    payload(['consultationId?'], { practitioner: z.looseObject({ message: z.string(), dashboardUrl: z.nullish(z.string()) }) }),
  ),
  patient_admitted_to_consultation: receive(
    payload(['consultationId?', 'message?', 'redirectTo?', 'timestamp?'], { capabilities: z.nullish(z.array(z.unknown())) }),
    {
      extension:
        'Sent by the reference backend on /consultation, not listed in the upstream table: `{ consultationId, message, redirectTo, capabilities, timestamp }` to the room when a patient is admitted over REST.',
    },
  ),
  patient_admitted_from_waiting_room: receive(payload(['patientId', 'consultationId', 'admittedBy', 'success']), {
    requires: ['patientId'],
  }),
  admitted_to_live_consultation: receive(payload(['message', 'consultationId', 'admittedBy', 'admittedAt'])),
  navigate_to_consultation_room: receive(payload(['url', 'sessionUrl', 'autoRedirect', 'message', 'timeout'])),
  redirect_to_consultation_room: receive(payload(['consultationId', 'userId', 'redirectUrl', 'autoRedirect', 'timestamp'])),
  transition_to_consultation_room: receive(payload(['consultationId', 'userId', 'fromState', 'toState', 'timestamp'])),
  join_live_consultation_enhanced: emit(outgoing(['consultationId', 'userId', 'role']), {
    responses: ['live_consultation_joined'],
  }),
  live_consultation_joined: receive(payload(['liveConsultationData', 'message'])),
  participant_joined_live: receive(payload(['userId', 'userRole', 'consultationId', 'joinedAt'])),

  patient_state_transition: emit(outgoing(['consultationId', 'fromState', 'toState', 'patientId']), {
    responses: ['patient_state_changed'],
    errors: ['state_transition_error'],
  }),
  patient_state_changed: receive(payload(['consultationId', 'patientId', 'fromState', 'toState', 'timestamp', 'triggeredBy'])),
  state_transition_error: receive(payload(['error', 'timestamp'])),
};
type WaitingRoomEventsDefinitions = typeof waitingRoomEventsDefinitions;
/** Named so that declarations refer to this group instead of spelling every event out again. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WaitingRoomEvents extends WaitingRoomEventsDefinitions {}
export const waitingRoomEvents: WaitingRoomEvents = waitingRoomEventsDefinitions;
