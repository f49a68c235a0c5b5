import { z } from 'zod';
import { emit, receive } from '../define.js';
import { participant } from '../entities.js';
import { looseRecord, payload } from '../fields.js';

const mediaStats = z.looseObject({ type: z.string(), id: z.string(), stats: looseRecord });

/** Media session lifecycle, device status, permissions, quality and stats (non-mediasoup signalling). */
export const mediaEvents = {
  media_session_ready: receive(
    payload(['consultationId?', 'timestamp?', 'mediasoupReady?', 'routerId?', 'rtpCapabilities?', 'canJoinMedia?', 'mediaInitialized?']),
    {
      note: 'Listed as `{ consultationId, timestamp, mediasoupReady }` and `{ routerId, rtpCapabilities, canJoinMedia, mediaInitialized }`: one schema, every field optional.',
    },
  ),
  media_session_live: receive(payload(['consultationId', 'timestamp', 'mediasoupReady'])),
  media_session_initialized: receive(payload(['consultationId', 'routerId', 'rtpCapabilities', 'sessionInitialized'])),
  media_session_closed: receive(payload(['consultationId', 'mediasoupCleaned'])),
  initialize_media_session: emit(payload(['consultationId', 'initiatorUserId', 'initiatorRole']), {
    responses: ['media_session_initialized'],
    errors: ['error'],
  }),
  join_media_session: emit(payload(['consultationId', 'userId', 'userRole']), { responses: ['media_join_response'] }),
  leave_media_session: emit(payload(['consultationId', 'userId', 'userRole']), { responses: ['media_leave_response'] }),
  media_join_response: receive(payload(['consultationId', 'success', 'canJoinMedia', 'mediaCapabilities', 'timestamp'])),
  media_leave_response: receive(payload(['consultationId', 'success', 'timestamp'])),
  participant_joined_media: receive(payload(['consultationId', 'capabilities', 'timestamp'], { participant })),
  participant_left_media: receive(payload(['consultationId', 'userId', 'role', 'timestamp'])),
  participant_media_status: receive(payload(['participantId', 'mediaStatus'])),
  request_participant_media_capabilities: emit(payload(['consultationId', 'userId']), {
    responses: ['participant_media_capabilities_response'],
  }),
  participant_media_capabilities_response: receive(
    payload(['consultationId', 'userId', 'capabilities', 'inWaitingRoom', 'isActive', 'timestamp']),
  ),
  update_media_device_status: emit(
    payload(['consultationId', 'userId', 'cameraAvailable?', 'cameraEnabled?', 'microphoneAvailable?', 'microphoneEnabled?']),
    { responses: ['media_device_status_updated'] },
  ),
  media_device_status_updated: receive(payload(['userId', 'deviceStatus', 'consultationId'])),
  toggle_video: emit(payload(['consultationId', 'userId', 'videoEnabled']), { responses: ['participant_video_toggled'] }),
  participant_video_toggled: receive(payload(['userId', 'videoEnabled', 'consultationId', 'timestamp'])),
  toggle_audio: emit(payload(['consultationId', 'userId', 'audioEnabled']), { responses: ['participant_audio_toggled'] }),
  participant_audio_toggled: receive(payload(['userId', 'audioEnabled', 'consultationId', 'timestamp'])),
  share_screen_request: emit(payload(['consultationId', 'userId']), {
    responses: ['screen_share_started'],
    errors: ['screen_share_denied'],
  }),
  screen_share_started: receive(payload(['consultationId', 'userId', 'userName', 'timestamp'])),
  screen_share_denied: receive(payload(['reason', 'message'])),
  request_media_session_status: emit(payload(['consultationId']), { responses: ['media_session_status_response'] }),
  media_session_status_response: receive(payload(['consultationId', 'participants', 'health', 'timestamp'])),

  media_permission_status: emit(payload(['consultationId', 'userId', 'camera', 'microphone']), {
    responses: ['media_permission_status_update'],
  }),
  media_permission_status_update: receive(payload(['userId', 'role', 'camera', 'microphone', 'timestamp'])),
  media_permission_denied: emit(payload(['consultationId', 'userId', 'camera', 'microphone']), {
    responses: ['media_permission_denied_notification'],
  }),
  media_permission_denied_notification: receive(payload(['userId', 'role', 'camera', 'microphone', 'timestamp', 'message'])),
  media_permission_error: emit(payload(['consultationId', 'userId', 'errorType', 'errorMessage']), {
    responses: ['media_permission_error_occurred'],
  }),
  media_permission_error_enhanced: emit(payload(['consultationId', 'userId', 'errorType', 'errorDetails']), {
    responses: ['media_permission_guidance'],
  }),
  media_permission_error_occurred: receive(payload(['userId', 'errorType', 'errorMessage', 'consultationId'])),
  media_permission_guidance: receive(payload(['consultationId', 'userId', 'guidanceType', 'message', 'actions'])),
  'media-permission-request': receive(payload(['consultationId', 'userId', 'permissionType', 'requestedAt'])),

  collect_stats: emit(payload(['consultationId'], { stats: mediaStats }), {
    ack: z.looseObject({ success: z.boolean() }),
  }),
  connection_quality_update: receive(payload(['type', 'id', 'stats', 'userId', 'timestamp'], { id: z.string() })),
  update_connection_quality: emit(
    payload(['consultationId', 'packetLoss?', 'latency?', 'reconnectAttempts?', 'signalStrength?'], {
      jitter: z.number().nonnegative().optional(),
      quality: z.string().optional(),
    }),
    { responses: ['connection_quality_updated'] },
  ),
  connection_quality_updated: receive(payload(['consultationId', 'userId', 'quality', 'timestamp'])),
  connection_quality_warning: receive(payload(['consultationId', 'userId', 'qualityLevel', 'message', 'guidance'])),
  poor_connection_detected: receive(payload(['affectedUserId', 'connectionData', 'consultationId', 'message'])),
  connection_guidance: receive(payload(['qualityLevel', 'message', 'guidance', 'timestamp'])),
  participant_connection_quality: receive(payload(['userId', 'quality', 'stats', 'timestamp'])),

  client_error: emit(payload(['consultationId', 'userId', 'errorMessage'])),
  client_reconnect: emit(payload(['consultationId', 'userId']), { ack: z.looseObject({ success: z.boolean() }) }),
  mediaAction: emit(payload(['action', 'data'])),
};
