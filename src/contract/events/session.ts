import * as z from 'zod/mini';
import { both, emit, lifecycle, receive } from '../define.js';
import { anyPayload, outgoing, payload } from '../fields.js';
import { serverFeatures } from '../features.js';

const EXCEPTION_NOTE = 'Reference backend (NestJS): an exception thrown by a handler reaches the client as this event.';

/** Connection lifecycle, heartbeats, presence and system notifications. */
const sessionEventsDefinitions = {
  // Socket.IO's own lifecycle names, listed by the table; the SDK exposes them as connection state.
  connect: lifecycle(anyPayload),
  disconnect: lifecycle(anyPayload),
  reconnect: lifecycle(anyPayload),
  connect_error: lifecycle(payload(['error?'])),

  heartbeat: both(outgoing(['timestamp'])),
  ping: emit(outgoing(['timestamp']), { responses: ['pong'] }),
  pong: receive(payload(['timestamp'])),
  consultation_keep_alive: emit(outgoing(['consultationId'])),

  server_features: receive(serverFeatures, {
    requires: ['features'],
    extension:
      'The test server announces what it adds to the reference backend, as the first event of each namespace connection; a server that sends nothing is taken as the baseline.',
  }),
  session_sync: receive(payload(['consultationId', 'userId', 'role', 'timestamp', 'message'])),
  session_ended: receive(payload(['consultationId', 'userId', 'role', 'timestamp', 'message'])),
  user_reconnected: receive(payload(['userId', 'timestamp', 'message'])),
  error: receive(payload(['message', 'timestamp?'], { event: z.nullish(z.string()) }), {
    note: '/chat lists `{ message }`, /enhanced-consultation `{ message, timestamp? }`: one schema, timestamp optional. The mediasoup gateway adds `event`.',
  }),
  exception: receive(payload(['message'], { status: z.string(), cause: z.optional(z.unknown()) }), { extension: EXCEPTION_NOTE }),

  practitioner_online: emit(outgoing(['practitionerId'])),
  practitioner_offline: emit(outgoing(['practitionerId'])),
  join_practitioner_room: emit(outgoing(['practitionerId'])),
  dashboard_state_update: receive(payload(['practitionerId', 'dashboardState', 'timestamp'])),
  doctor_joined: receive(payload(['consultationId', 'practitionerId', 'message']), { requires: ['practitionerId'] }),
  'practitioner-joined': receive(payload(['practitionerId', 'consultationId', 'joinedAt']), { requires: ['practitionerId'] }),
  'practitioner-left': receive(payload(['practitionerId', 'consultationId', 'leftAt']), { requires: ['practitionerId'] }),

  system_notification: receive(payload(['type', 'message', 'timestamp', 'priority', 'data?']), { requires: ['type'] }),
  create_system_notification: emit(outgoing(['consultationId', 'notificationType', 'message', 'priority'])),
  create_system_notification_enhanced: emit(outgoing(['consultationId', 'notificationType', 'message', 'priority', 'createdBy'])),
  system_notification_created: receive(payload(['notificationType', 'message', 'priority', 'createdBy', 'consultationId', 'timestamp']), {
    requires: ['notificationType'],
  }),

  file_upload_progress: receive(payload(['percent', 'fileId?'])),
  file_upload_error: receive(payload(['error', 'fileId?'])),
};
type SessionEventsDefinitions = typeof sessionEventsDefinitions;
/** Named so that declarations refer to this group instead of spelling every event out again. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SessionEvents extends SessionEventsDefinitions {}
export const sessionEvents: SessionEvents = sessionEventsDefinitions;
