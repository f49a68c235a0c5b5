import * as z from 'zod/mini';
import { emit, receive } from '../define.js';
import { participant } from '../entities.js';
import { looseRecord, outgoing, payload } from '../fields.js';

const mediaStats = z.looseObject({ type: z.string(), id: z.string(), stats: looseRecord });

/** Media session lifecycle, device status, permissions, quality and stats (non-mediasoup signalling). */
const mediaEventsDefinitions = {
  media_session_ready: receive(
    payload(['consultationId?', 'timestamp?', 'mediasoupReady?', 'routerId?', 'rtpCapabilities?', 'canJoinMedia?', 'mediaInitialized?']),
    {
      note: 'Listed as `{ consultationId, timestamp, mediasoupReady }` and `{ routerId, rtpCapabilities, canJoinMedia, mediaInitialized }`: one schema, every field optional.',
    },
  ),
  media_session_live: receive(payload(['consultationId', 'timestamp', 'mediasoupReady'])),
  media_session_initialized: receive(payload(['consultationId', 'routerId', 'rtpCapabilities', 'sessionInitialized'])),
  media_session_closed: receive(payload(['consultationId', 'mediasoupCleaned'])),
  initialize_media_session: emit(outgoing(['consultationId', 'initiatorUserId', 'initiatorRole']), {
    responses: ['media_session_initialized'],
    errors: ['error', 'media_session_initialization_failed'],
  }),
  media_session_initialization_failed: receive(payload(['error?', 'timestamp?']), {
    extension:
      'Sent by the reference backend on /consultation, not listed in the upstream table: `{ error, timestamp }` to the caller when `initialize_media_session` fails.',
  }),
  join_media_session: emit(outgoing(['consultationId', 'userId', 'userRole']), { responses: ['media_join_response'] }),
  leave_media_session: emit(outgoing(['consultationId', 'userId', 'userRole']), { responses: ['media_leave_response'] }),
  media_join_response: receive(payload(['consultationId', 'success', 'canJoinMedia', 'mediaCapabilities', 'timestamp'])),
  media_leave_response: receive(payload(['consultationId', 'success', 'timestamp'])),
  participant_joined_media: receive(payload(['consultationId', 'capabilities', 'timestamp'], { participant }), {
    requires: ['participant.userId', 'participant.id'],
  }),
  participant_left_media: receive(payload(['consultationId', 'userId', 'role', 'timestamp']), { requires: ['userId'] }),
  participant_media_status: receive(payload(['participantId', 'mediaStatus'])),
  request_participant_media_capabilities: emit(outgoing(['consultationId', 'userId']), {
    responses: ['participant_media_capabilities_response'],
  }),
  participant_media_capabilities_response: receive(
    payload(['consultationId', 'userId', 'capabilities', 'inWaitingRoom', 'isActive', 'timestamp']),
  ),
  update_media_device_status: emit(
    outgoing(['consultationId', 'userId', 'cameraAvailable?', 'cameraEnabled?', 'microphoneAvailable?', 'microphoneEnabled?']),
    { responses: ['media_device_status_updated'] },
  ),
  media_device_status_updated: receive(payload(['userId', 'deviceStatus', 'consultationId']), {
    requires: ['userId', 'deviceStatus'],
  }),
  toggle_video: emit(outgoing(['consultationId', 'userId', 'videoEnabled']), { responses: ['participant_video_toggled'] }),
  participant_video_toggled: receive(payload(['userId', 'videoEnabled', 'consultationId', 'timestamp']), {
    requires: ['userId', 'videoEnabled'],
  }),
  toggle_audio: emit(outgoing(['consultationId', 'userId', 'audioEnabled']), { responses: ['participant_audio_toggled'] }),
  participant_audio_toggled: receive(payload(['userId', 'audioEnabled', 'consultationId', 'timestamp']), {
    requires: ['userId', 'audioEnabled'],
  }),
  share_screen_request: emit(outgoing(['consultationId', 'userId']), {
    responses: ['screen_share_started'],
    errors: ['screen_share_denied'],
  }),
  screen_share_started: receive(payload(['consultationId', 'userId', 'userName', 'timestamp'])),
  screen_share_denied: receive(payload(['reason', 'message'])),
  request_media_session_status: emit(outgoing(['consultationId']), { responses: ['media_session_status_response'] }),
  media_session_status_response: receive(payload(['consultationId', 'participants', 'health', 'timestamp'])),

  media_permission_status: emit(outgoing(['consultationId', 'userId', 'camera', 'microphone']), {
    responses: ['media_permission_status_update'],
  }),
  media_permission_status_update: receive(payload(['userId', 'role', 'camera', 'microphone', 'timestamp'])),
  media_permission_denied: emit(outgoing(['consultationId', 'userId', 'camera', 'microphone']), {
    responses: ['media_permission_denied_notification'],
  }),
  media_permission_denied_notification: receive(payload(['userId', 'role', 'camera', 'microphone', 'timestamp', 'message'])),
  media_permission_error: emit(outgoing(['consultationId', 'userId', 'errorType', 'errorMessage']), {
    responses: ['media_permission_error_occurred'],
  }),
  media_permission_error_enhanced: emit(outgoing(['consultationId', 'userId', 'errorType', 'errorDetails']), {
    responses: ['media_permission_guidance'],
  }),
  media_permission_error_occurred: receive(payload(['userId', 'errorType', 'errorMessage', 'consultationId'])),
  media_permission_guidance: receive(payload(['consultationId', 'userId', 'guidanceType', 'message', 'actions'])),
  'media-permission-request': receive(payload(['consultationId', 'userId', 'permissionType', 'requestedAt'])),

  collect_stats: emit(outgoing(['consultationId'], { stats: mediaStats }), {
    ack: z.looseObject({ success: z.boolean() }),
  }),
  connection_quality_update: receive(payload(['type', 'id', 'stats', 'userId', 'timestamp'], { id: z.string() })),
  update_connection_quality: emit(
    outgoing(['consultationId', 'packetLoss?', 'latency?', 'reconnectAttempts?', 'signalStrength?'], {
      jitter: z.optional(z.number().check(z.nonnegative())),
      quality: z.optional(z.string()),
    }),
    { responses: ['connection_quality_updated'] },
  ),
  connection_quality_updated: receive(payload(['consultationId', 'userId', 'quality', 'timestamp']), { requires: ['userId'] }),
  connection_quality_warning: receive(payload(['consultationId', 'userId', 'qualityLevel', 'message', 'guidance']), {
    requires: ['userId', 'qualityLevel'],
  }),
  poor_connection_detected: receive(payload(['affectedUserId', 'connectionData', 'consultationId', 'message']), {
    requires: ['affectedUserId'],
  }),
  connection_guidance: receive(payload(['qualityLevel', 'message', 'guidance', 'timestamp'])),
  participant_connection_quality: receive(payload(['userId', 'quality', 'stats', 'timestamp']), { requires: ['userId'] }),

  client_error: emit(outgoing(['consultationId', 'userId', 'errorMessage'])),
  client_reconnect: emit(outgoing(['consultationId', 'userId']), { ack: z.looseObject({ success: z.boolean() }) }),
  mediaAction: emit(outgoing(['action', 'data'])),
};
type MediaEventsDefinitions = typeof mediaEventsDefinitions;
/** Named so that declarations refer to this group instead of spelling every event out again. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MediaEvents extends MediaEventsDefinitions {}
export const mediaEvents: MediaEvents = mediaEventsDefinitions;
