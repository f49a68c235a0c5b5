/**
 * The audit's fixed server (docs/upstream/related-systems/namespace-mismatch-audit.md) on the
 * generic test server: one root namespace; every event that goes both ways is relayed to the other
 * members of its room, `from` added. Which events, which namespace and which room come from the
 * contract: there is no name here to get wrong.
 *
 * Plus the contract's presence and addressing (see src/contracts/root-prefixed.ts): who is in each
 * consultation room, per user (a user with two sockets joins once and leaves with the last),
 * `webrtc:peers` to a socket that joins, `webrtc:peer_joined`/`webrtc:peer_left` to the others,
 * and a signalling message with `to` relayed to that user's sockets in the room only.
 */
import { clientEventNames, serverEventNames } from '../../../src/contract/index.js';
import { rootPrefixedContract } from '../../../src/contracts/root-prefixed.js';
import { startContractServer, type ContractServer, type HandlerContext, type NamespaceHandlers } from '../server.js';

type Contract = typeof rootPrefixedContract;
type Context = HandlerContext<Contract, 'root'>;
type Handlers = NonNullable<NamespaceHandlers<Contract, 'root'>['events']>;
const spec = rootPrefixedContract.root;

/** The room an event belongs to: `chat:*` in the chat room, `webrtc:*` in the consultation's. */
const roomOf = (event: string) => (event.startsWith('chat:') ? 'chat' : 'consultation');

/** Relays of every event the contract sends both ways. */
const relayed = clientEventNames(spec).filter((event) => serverEventNames(spec).includes(event));

/** socket.io's reason for a socket the client closed itself (`socket.disconnect()`, `client.dispose()`). */
const CLIENT_CLOSED = 'client namespace disconnect';

/** Who is in which consultation room: roomId → user → their socket ids. */
class Presence {
  private readonly rooms = new Map<string, Map<string, Set<string>>>();

  /** Adds a socket; true when it is the user's first in the room. */
  add(roomId: string, user: string, socketId: string): boolean {
    const users = this.rooms.get(roomId) ?? new Map<string, Set<string>>();
    this.rooms.set(roomId, users);
    const sockets = users.get(user) ?? new Set<string>();
    users.set(user, sockets);
    sockets.add(socketId);
    return sockets.size === 1;
  }

  /** Removes a socket; true when it was the user's last in the room. */
  remove(roomId: string, user: string, socketId: string): boolean {
    const sockets = this.rooms.get(roomId)?.get(user);
    if (!sockets?.delete(socketId)) return false;
    if (sockets.size > 0) return false;
    this.rooms.get(roomId)!.delete(user);
    if (this.rooms.get(roomId)!.size === 0) this.rooms.delete(roomId);
    return true;
  }

  users(roomId: string): string[] {
    return [...(this.rooms.get(roomId)?.keys() ?? [])];
  }

  sockets(roomId: string, user: string): string[] {
    return [...(this.rooms.get(roomId)?.get(user) ?? [])];
  }

  /** The consultation rooms a socket is in. */
  roomsOf(socketId: string): { roomId: string; user: string }[] {
    const found: { roomId: string; user: string }[] = [];
    for (const [roomId, users] of this.rooms) {
      for (const [user, sockets] of users) if (sockets.has(socketId)) found.push({ roomId, user });
    }
    return found;
  }
}

function handlers(presence: Presence): NamespaceHandlers<Contract, 'root'> {
  const userOf = (context: Context) => context.user ?? context.socket.id;
  const consultation = (roomId: string) => ({ room: 'consultation' as const, params: { roomId } });
  const leave = (context: Context, roomId: string, reason: 'left' | 'disconnected') => {
    const userId = userOf(context);
    if (presence.remove(roomId, userId, context.socket.id)) {
      context.broadcast('webrtc:peer_left', { roomId, userId, reason }, consultation(roomId));
    }
  };

  const relays = Object.fromEntries(
    relayed.map((event) => [
      event,
      (payload: { roomId: string; to?: string }, context: Context) => {
        const message = { ...payload, from: context.user } as never;
        if (roomOf(event) === 'consultation' && payload.to !== undefined) {
          // Addressed: that user's sockets in the room only (none: nobody gets it, as with an empty room).
          for (const socket of presence.sockets(payload.roomId, payload.to)) context.broadcast(event as never, message, { socket });
          return;
        }
        context.broadcast(event as never, message, { room: roomOf(event), params: { roomId: payload.roomId } } as never);
      },
    ]),
  ) as Handlers;

  return {
    events: {
      ...relays,
      'webrtc:join_room': ({ roomId }, context) => {
        const userId = userOf(context);
        const others = presence.users(roomId).filter((user) => user !== userId);
        const first = presence.add(roomId, userId, context.socket.id);
        context.emit('webrtc:peers', { roomId, peers: others });
        if (first) context.broadcast('webrtc:peer_joined', { roomId, userId }, consultation(roomId));
      },
      'webrtc:leave_room': ({ roomId }, context) => leave(context, roomId, 'left'),
    },
    disconnect(context, reason) {
      // A server going down tells nobody anything (its sockets are all closing).
      if (reason === 'server shutting down') {
        for (const { roomId, user } of presence.roomsOf(context.socket.id)) presence.remove(roomId, user, context.socket.id);
        return;
      }
      for (const { roomId } of presence.roomsOf(context.socket.id))
        leave(context, roomId, reason === CLIENT_CLOSED ? 'left' : 'disconnected');
    },
  };
}

/** Starts it on 127.0.0.1, or on `host`. */
export const startRootPrefixedServer = (options: { host?: string } = {}): Promise<ContractServer<Contract>> =>
  startContractServer(rootPrefixedContract, { handlers: { root: handlers(new Presence()) }, ...options });

/** The events the server relays (both ways in the contract). */
export const relayedEvents = relayed;
