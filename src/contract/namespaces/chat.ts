import { defineNamespace, events, pick } from '../define.js';
import { chatEvents } from '../events/chat.js';
import { participantEvents } from '../events/participants.js';
import { sessionEvents } from '../events/session.js';
import { waitingRoomEvents } from '../events/waiting-room.js';

/** `/chat`: messages, history, edits, receipts and typing for one consultation. */
export const chatNamespace = defineNamespace({
  name: '/chat',
  handshake: ['consultationId', 'userId', 'userRole', 'joinType'],
  events: events(
    pick(sessionEvents, 'connect', 'disconnect', 'reconnect', 'connect_error', 'exception', 'error', 'server_features'),
    pick(
      chatEvents,
      'send_message',
      'new_message',
      'message_error',
      'request_message_history',
      'message_history',
      'message_history_error',
      'edit_message',
      'message_edited',
      'edit_message_error',
      'delete_message',
      'message_deleted',
      'delete_message_error',
      'mark_message_read',
      'message_read',
      'read_receipt_error',
      'mark_all_read',
      'all_messages_read',
      'mark_all_read_error',
      'bulk_mark_read',
      'messages_bulk_read',
      'bulk_read_error',
      'user_typing',
      'typing_indicator',
      'typing_indicator_updated',
      'start_typing',
      'stop_typing',
      'get_typing_users',
      'typing_users',
      'user_joined_chat',
      'user_left_chat',
      'system_message',
    ),
    pick(participantEvents, 'request_participants', 'participants_list', 'participants_error'),
    pick(waitingRoomEvents, 'patient_state_transition', 'patient_state_changed', 'state_transition_error'),
  ),
});
