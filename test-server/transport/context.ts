import type { Socket } from 'socket.io';
import type { NamespaceSpec, Role } from '../../src/contract/index.js';
import type { App } from '../app.js';
import type { Out, ServerEvent } from '../events.js';

/** Who a socket belongs to (from the verified token and the handshake query). */
export interface SocketUser {
  userId: string;
  role: Role;
  /** The consultation of the handshake, when given. */
  consultationId: string | undefined;
}

/** What a handler gets besides the validated payload. */
export interface HandlerContext {
  app: App;
  spec: NamespaceSpec;
  /** Namespace name, e.g. `/chat`. */
  ns: string;
  event: string;
  socket: Socket;
  user: SocketUser;
  /** Sends to this socket (skipped when this namespace does not declare the event). */
  reply<E extends ServerEvent>(event: E, payload: Out<E>): boolean;
  /** Whether this namespace declares a server event. */
  has(event: string): boolean;
}

/** What the server keeps on a socket (`socket.data`, which socket.io types as `any`). */
export interface SocketData {
  user?: SocketUser;
  /** The consultations the socket is bound to (their keys). */
  consultations?: string[];
}

export function dataOf(socket: Socket): SocketData {
  return socket.data as SocketData;
}

export function userOf(socket: Socket): SocketUser {
  return dataOf(socket).user as SocketUser;
}

export function createContext(app: App, spec: NamespaceSpec, socket: Socket, event: string): HandlerContext {
  return {
    app,
    spec,
    ns: spec.name,
    event,
    socket,
    user: userOf(socket),
    reply: (name, payload) => app.hub.send(socket, name, payload),
    has: (name) => app.hub.declares(spec.name, name),
  };
}
