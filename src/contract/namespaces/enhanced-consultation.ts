import { defineNamespace, pick } from '../define.js';
import { chatEvents } from '../events/chat.js';
import { consultationEvents } from '../events/consultation.js';
import { mediaEvents } from '../events/media.js';
import { participantEvents } from '../events/participants.js';
import { sessionEvents } from '../events/session.js';
import { waitingRoomEvents } from '../events/waiting-room.js';

/**
 * `/enhanced-consultation`: smart join, waiting room with positions, live admission, quality guidance.
 * The reference backend has no gateway for it; the test server implements it fully. Its handshake
 * keys mirror `/consultation` (the SDK sends the union of keys over one connection anyway).
 */
export const enhancedConsultationNamespace = defineNamespace({
  name: '/enhanced-consultation',
  optional: true,
  handshake: ['consultationId', 'userId', 'role'],
  events: {
    ...pick(sessionEvents, 'server_features', 'heartbeat', 'ping', 'pong', 'error', 'user_reconnected', 'join_practitioner_room',
      'doctor_joined', 'practitioner-joined', 'practitioner-left', 'system_notification',
      'create_system_notification_enhanced', 'system_notification_created'),
    ...pick(waitingRoomEvents, 'enter_waiting_room', 'waiting_room_entered', 'join_waiting_room_enhanced',
      'waiting_room_joined', 'waiting_room_heartbeat', 'waiting_room_heartbeat_ack', 'waiting-room-update',
      'position-update', 'patient_waiting', 'patient_entered_waiting_room', 'patient_in_waiting_room',
      'get_practitioner_waiting_room', 'practitioner_waiting_room_data', 'get_waiting_room_stats',
      'smart_patient_join', 'smart_patient_join_response', 'smart_patient_join_error', 'patient_join_state_change',
      'check_session_status', 'session_status_response', 'check_patient_admission_status',
      'patient_admission_status_response', 'patient_admission_status_error', 'admit_patient',
      'admit_from_waiting_room_enhanced', 'patient_admitted_from_waiting_room', 'admitted_to_live_consultation',
      'join_live_consultation_enhanced', 'live_consultation_joined', 'participant_joined_live'),
    ...pick(consultationEvents, 'activate_consultation', 'consultation_activated', 'transition_consultation_state',
      'consultation_state_transition_failed', 'request_consultation_state', 'consultation_state_update',
      'consultation-started', 'consultation-ended', 'consultation-cancelled'),
    ...pick(participantEvents, 'add_participant', 'add_participant_enhanced', 'add_participant_success',
      'remove_participant_enhanced', 'removed_from_consultation', 'participant_removed',
      'participant_removed_notification', 'participant_invited', 'update_participant_status',
      'participant_status_changed'),
    ...pick(chatEvents, 'send_message', 'send_enhanced_message', 'new_message', 'enhanced_message_received',
      'typing_indicator', 'typing_indicator_updated', 'update_typing_indicator_enhanced'),
    ...pick(mediaEvents, 'update_media_device_status', 'media_device_status_updated', 'participant_video_toggled',
      'participant_audio_toggled', 'share_screen_request', 'screen_share_started', 'screen_share_denied',
      'request_media_session_status', 'media_session_status_response', 'media_permission_error_enhanced',
      'media_permission_error_occurred', 'media_permission_guidance', 'media-permission-request',
      'update_connection_quality', 'connection_quality_warning', 'poor_connection_detected',
      'connection_guidance', 'participant_connection_quality'),
  },
});
