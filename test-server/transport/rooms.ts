import { key, type Id } from '../domain/errors.js';

/** Socket.IO room names, the same in every namespace. */
export const rooms = {
  /** Everyone connected for a consultation. */
  consultation: (consultationId: Id) => `consultation:${key(consultationId)}`,
  /** One user, all consultations. */
  user: (userId: Id) => `user:${key(userId)}`,
  /** One user within one consultation. */
  member: (consultationId: Id, userId: Id) => `member:${key(consultationId)}:${key(userId)}`,
  /** One practitioner's dashboard (joined on connect and by `join_practitioner_room`). */
  practitioner: (practitionerId: Id) => `practitioner:${key(practitionerId)}`,
  /** All practitioners: the pool of unassigned consultations. */
  practitioners: 'practitioners',
} as const;

/** The media peer of a socket: transports belong to the socket (namespace + id) that created them. */
export const peerIdOf = (spec: { name: string }, socket: { id: string }) => `${spec.name}#${socket.id}`;
