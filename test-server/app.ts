import type { Socket } from 'socket.io';
import type { Id } from './domain/errors.js';
import type { ConsultationStore } from './domain/consultations.js';
import type { ChatStore } from './domain/chat.js';
import type { InvitationStore } from './domain/invitations.js';
import type { PresenceStore } from './domain/presence.js';
import type { TypingStore } from './domain/typing.js';
import type { WaitingRoomStore } from './domain/waiting-room.js';
import type { MediaRooms } from './media/rooms.js';
import type { ResolvedOptions } from './options.js';
import type { Profile } from './profile.js';
import type { Hub } from './transport/hub.js';

/** Something a client reported that has no reply (`client_error`, `mediaAction`), kept for tests. */
export interface ClientReport {
  event: string;
  userId: string;
  payload: unknown;
  at: string;
}

/** The in-memory domain: survives `restart()` like a database would (media and typing do not). */
export interface Domain {
  consultations: ConsultationStore;
  waitingRoom: WaitingRoomStore;
  chat: ChatStore;
  typing: TypingStore;
  invitations: InvitationStore;
  presence: PresenceStore;
  media: MediaRooms;
  reports: ClientReport[];
}

/** Failures `faults.*` switch on, read by handlers. */
export interface InjectedFaults {
  /** `admit_patient` fails as on the reference backend: `error { message: 'Failed to admit patient' }`, no ack. */
  admissionFails: boolean;
}

/** What handlers and connection hooks work with. */
export interface App extends Domain {
  options: ResolvedOptions;
  /** What this server offers (full or reference profile). */
  profile: Profile;
  /** Behaviour switched by fault hooks at run time. */
  injected: InjectedFaults;
  hub: Hub;
  /** Base URL used in navigation payloads. */
  baseUrl(): string;
  /** Makes a socket a member of a consultation's rooms (after `join_via_invite`). */
  joinConsultationRooms(socket: Socket, consultationId: Id): Promise<void>;
  /** Disconnects a user's sockets of one consultation (removed participant). */
  disconnectMember(consultationId: Id, userId: Id): void;
}
