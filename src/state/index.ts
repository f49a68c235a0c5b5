/**
 * State stores fed by the namespace services (chat, consultation, waiting room, presence), as
 * their own entry point `hcw-realtime-sdk/state`: apps that only need the services do not load them.
 * @packageDocumentation
 * @module hcw-realtime-sdk/state
 */
export { ChatStore, type ChatEntry, type ChatEntryStatus, type ChatStoreOptions } from './chat-store.js';
export { ConsultationStore, type ConsultationSnapshot, type MediaSessionStatus, type ParticipantState } from './consultation-store.js';
export {
  PatientWaitingRoom,
  type PatientWaitingRoomOptions,
  type PatientWaitingState,
  type WaitingPhase,
  type WaitingRoomVariant,
} from './patient-waiting-room.js';
export {
  PractitionerWaitingRoom,
  type PractitionerWaitingRoomOptions,
  type PractitionerWaitingState,
  type WaitingPatient,
  type WaitingPatientInput,
} from './practitioner-waiting-room.js';
export { PresenceStore, type PresenceState, type SystemNotification } from './presence-store.js';
export { TypingTracker, type TypingUser } from './typing-tracker.js';
