import { z } from 'zod';
import { both, emit, lifecycle, receive } from '../define.js';
import { anyPayload, payload } from '../fields.js';
import { serverFeatures } from '../features.js';

const EXCEPTION_NOTE =
  'Reference backend (NestJS): an exception thrown by a handler reaches the client as this event.';

/** Connection lifecycle, heartbeats, presence and system notifications. */
export const sessionEvents = {
  // Socket.IO's own lifecycle names, listed by the table; the SDK exposes them as connection state.
  connect: lifecycle(anyPayload),
  disconnect: lifecycle(anyPayload),
  reconnect: lifecycle(anyPayload),
  connect_error: lifecycle(payload(['error?'])),

  heartbeat: both(payload(['timestamp'])),
  ping: emit(payload(['timestamp']), { responses: ['pong'] }),
  pong: receive(payload(['timestamp'])),
  consultation_keep_alive: emit(payload(['consultationId'])),

  server_features: receive(serverFeatures, {
    extension:
      'The test server announces what it adds to the reference backend, as the first event of each namespace connection; a server that sends nothing is taken as the baseline.',
  }),
  session_sync: receive(payload(['consultationId', 'userId', 'role', 'timestamp', 'message'])),
  session_ended: receive(payload(['consultationId', 'userId', 'role', 'timestamp', 'message'])),
  user_reconnected: receive(payload(['userId', 'timestamp', 'message'])),
  error: receive(payload(['message', 'timestamp?'], { event: z.string().optional() }), {
    note: '/chat lists `{ message }`, /enhanced-consultation `{ message, timestamp? }`: one schema, timestamp optional. The mediasoup gateway adds `event`.',
  }),
  exception: receive(
    payload(['message'], { status: z.string(), cause: z.unknown().optional() }),
    { extension: EXCEPTION_NOTE },
  ),

  practitioner_online: emit(payload(['practitionerId'])),
  practitioner_offline: emit(payload(['practitionerId'])),
  join_practitioner_room: emit(payload(['practitionerId'])),
  dashboard_state_update: receive(payload(['practitionerId', 'dashboardState', 'timestamp'])),
  doctor_joined: receive(payload(['consultationId', 'practitionerId', 'message'])),
  'practitioner-joined': receive(payload(['practitionerId', 'consultationId', 'joinedAt'])),
  'practitioner-left': receive(payload(['practitionerId', 'consultationId', 'leftAt'])),

  system_notification: receive(payload(['type', 'message', 'timestamp', 'priority', 'data?'])),
  create_system_notification: emit(payload(['consultationId', 'notificationType', 'message', 'priority'])),
  create_system_notification_enhanced: emit(
    payload(['consultationId', 'notificationType', 'message', 'priority', 'createdBy']),
  ),
  system_notification_created: receive(
    payload(['notificationType', 'message', 'priority', 'createdBy', 'consultationId', 'timestamp']),
  ),

  file_upload_progress: receive(payload(['percent', 'fileId?'])),
  file_upload_error: receive(payload(['error', 'fileId?'])),
};
