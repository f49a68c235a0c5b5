import { defineNamespace, pick } from '../define.js';
import { chatEvents } from '../events/chat.js';
import { consultationEvents } from '../events/consultation.js';
import { mediaEvents } from '../events/media.js';
import { mediasoupEvents } from '../events/mediasoup.js';
import { participantEvents } from '../events/participants.js';
import { sessionEvents } from '../events/session.js';
import { waitingRoomEvents } from '../events/waiting-room.js';

/**
 * `/consultation`: the core room. The upstream table lists here both its first section and its last
 * one ("Consultation Namespace Events"), so this namespace carries most of the enhanced flows too.
 */
export const consultationNamespace = defineNamespace({
  name: '/consultation',
  handshake: ['consultationId', 'userId', 'role'],
  events: {
    ...pick(sessionEvents, 'connect', 'disconnect', 'reconnect', 'connect_error', 'exception', 'server_features', 'heartbeat', 'ping', 'pong',
      'error', 'session_sync', 'session_ended', 'user_reconnected', 'consultation_keep_alive',
      'practitioner_online', 'practitioner_offline', 'join_practitioner_room', 'dashboard_state_update',
      'doctor_joined', 'practitioner-joined', 'practitioner-left', 'system_notification',
      'create_system_notification', 'create_system_notification_enhanced', 'system_notification_created',
      'file_upload_progress', 'file_upload_error'),
    ...pick(consultationEvents, 'consultation_status', 'consultation_status_update', 'consultation_status_patient',
      'assign_practitioner', 'practitioner_assigned', 'new_assignment', 'consultation_self_assigned',
      'waiting_room_consultation_assigned', 'activate_consultation', 'consultation_activated',
      'consultation_activated_response', 'transition_consultation_state', 'consultation_state_transition_failed',
      'request_consultation_state', 'consultation_state_update', 'consultation_state_changed', 'end_consultation', 'consultation_ended',
      'consultation_terminated', 'rate_consultation', 'consultation_rated', 'consultation-started',
      'consultation-ended', 'consultation-cancelled'),
    ...pick(waitingRoomEvents, 'enter_waiting_room', 'waiting_room_entered', 'join_waiting_room_enhanced',
      'waiting_room_joined', 'waiting_room_heartbeat', 'waiting_room_heartbeat_ack', 'waiting_room_notification',
      'waiting_room_update', 'waiting-room-update', 'position-update', 'patient_waiting', 'patient_joined',
      'patient_entered_waiting_room', 'patient_in_waiting_room', 'get_practitioner_waiting_room',
      'practitioner_waiting_room_data', 'get_waiting_room_stats', 'smart_patient_join',
      'smart_patient_join_response', 'smart_patient_join_error', 'patient_join_state_change',
      'check_session_status', 'session_status_response', 'check_patient_admission_status',
      'patient_admission_status_response', 'patient_admission_status_error', 'admit_patient',
      'admit_from_waiting_room_enhanced', 'patient_admitted', 'patient_admission_confirmed',
      'patient_admitted_to_consultation', 'patient_admitted_from_waiting_room', 'admitted_to_live_consultation', 'navigate_to_consultation_room',
      'redirect_to_consultation_room', 'transition_to_consultation_room', 'join_live_consultation_enhanced',
      'live_consultation_joined', 'participant_joined_live', 'patient_state_transition', 'patient_state_changed',
      'state_transition_error'),
    ...pick(participantEvents, 'participant_joined', 'participant_left', 'participant_added', 'participant_removed',
      'expert_guest_joined_consultation', 'participant_ready_for_consultation', 'add_participant',
      'add_participant_enhanced', 'add_participant_success', 'remove_participant', 'remove_participant_enhanced',
      'removed_from_consultation', 'participant_removed_notification', 'invite_participant',
      'invite_participant_email', 'participant_invited', 'participant_invitation_sent', 'join_via_invite',
      'participant_invite_joined', 'request_participants', 'participants_list', 'participants_error',
      'update_participant_status', 'participant_status_changed'),
    ...pick(chatEvents, 'send_message', 'send_enhanced_message', 'new_message', 'enhanced_message_received',
      'message_error', 'request_message_history', 'message_history', 'edit_message', 'message_edited',
      'edit_message_error', 'delete_message', 'message_deleted', 'delete_message_error', 'message_read',
      'read_receipt_error', 'mark_all_read', 'all_messages_read', 'mark_all_read_error', 'bulk_mark_read',
      'messages_bulk_read', 'typing', 'user_typing', 'typing_indicator', 'typing_indicator_updated',
      'update_typing_indicator', 'update_typing_indicator_enhanced', 'start_typing', 'stop_typing',
      'get_typing_users', 'typing_users', 'user_joined_chat', 'user_left_chat', 'system_message'),
    ...pick(mediaEvents, 'media_session_ready', 'media_session_live', 'media_session_initialized', 'media_session_initialization_failed',
      'media_session_closed', 'initialize_media_session', 'join_media_session', 'leave_media_session',
      'media_join_response', 'media_leave_response', 'participant_joined_media', 'participant_left_media',
      'participant_media_status', 'request_participant_media_capabilities',
      'participant_media_capabilities_response', 'update_media_device_status', 'media_device_status_updated',
      'toggle_video', 'participant_video_toggled', 'toggle_audio', 'participant_audio_toggled',
      'share_screen_request', 'screen_share_started', 'screen_share_denied', 'request_media_session_status',
      'media_session_status_response', 'media_permission_status', 'media_permission_status_update',
      'media_permission_denied', 'media_permission_denied_notification', 'media_permission_error',
      'media_permission_error_enhanced', 'media_permission_error_occurred', 'media_permission_guidance',
      'media-permission-request', 'collect_stats', 'connection_quality_update', 'update_connection_quality',
      'connection_quality_updated', 'connection_quality_warning', 'poor_connection_detected',
      'connection_guidance', 'participant_connection_quality', 'client_error', 'client_reconnect', 'mediaAction'),
    ...pick(mediasoupEvents, 'getRouterCapabilities', 'createTransport', 'connectTransport', 'produce', 'consume',
      'closeTransport'),
  },
});
