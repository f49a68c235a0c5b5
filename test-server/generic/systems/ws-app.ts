/**
 * A `/ws/app` server (docs/upstream/related-systems/ws-app-notifications-presence.md) on the generic
 * test server: the personal room `user:<id>` and `notifications:ready` on connect, presence
 * snapshots on connect, heartbeat and disconnect, conversation membership checked on join, the
 * 5 KB packet cap. Everything else (validation, rooms, tokens, faults) is the generic server's.
 */
import { wsAppContract, type PresenceSnapshot } from '../../../src/contracts/ws-app.js';
import { startContractServer, type ContractServer, type ContractServerOptions } from '../server.js';

export interface WsAppServerOptions extends Pick<ContractServerOptions<typeof wsAppContract>, 'recovery'> {
  /** Participants of each conversation (user ids). */
  conversations?: Record<string, string[]>;
  secret?: string;
}

export type MessageKind = 'new' | 'updated' | 'deleted';

export interface WsAppServer extends ContractServer<typeof wsAppContract> {
  /** A notification to one user's room. */
  notify(userId: string, eventKey: string, notification: Record<string, unknown>): void;
  /** A message event to the conversation's room and every participant's room, as the server fans them out. */
  message(kind: MessageKind, conversationId: string, message: Record<string, unknown>, senderId: string): void;
  presence(userId: string): PresenceSnapshot;
}

export async function startWsAppServer({
  conversations = {},
  secret = 'ws-app-secret',
  ...options
}: WsAppServerOptions = {}): Promise<WsAppServer> {
  const presence = new Map<string, PresenceSnapshot>();
  const snapshotOf = (userId: string): PresenceSnapshot => {
    let snapshot = presence.get(userId);
    if (!snapshot) presence.set(userId, (snapshot = { userId, isOnline: false, lastSeen: null, sockets: [] }));
    return snapshot;
  };
  const server = await startContractServer(wsAppContract, {
    ...options,
    auth: { secret },
    maxHttpBufferSize: 5 * 1024, // SOCKET_MAX_PAYLOAD_BYTES
    handlers: {
      app: {
        roomNames: { conversation: ({ conversationId }) => `conversation:${conversationId}` },
        connection({ socket, user, emit, server }) {
          const userId = user!;
          void socket.join(`user:${userId}`);
          emit('notifications:ready', { message: 'Connected to realtime notifications', userId });
          const snapshot = snapshotOf(userId);
          const now = Date.now();
          snapshot.sockets.push({
            socketId: socket.id,
            connectedAt: now,
            lastSeen: now,
            userAgent: socket.handshake.headers['user-agent'] ?? null,
            ip: socket.handshake.address || null,
          });
          Object.assign(snapshot, { isOnline: true, lastSeen: now });
          server.emit('app', 'presence:update', snapshot);
        },
        disconnect({ socket, user, server }) {
          const snapshot = snapshotOf(user!);
          snapshot.sockets = snapshot.sockets.filter((entry) => entry.socketId !== socket.id);
          Object.assign(snapshot, { isOnline: snapshot.sockets.length > 0, lastSeen: Date.now() });
          server.emit('app', 'presence:update', snapshot);
        },
        events: {
          'conversations:join': ({ conversationId }, { user }) =>
            conversations[conversationId]?.includes(user!)
              ? { success: true }
              : { success: false, message: `${user} is not a participant of ${conversationId}` },
          'presence:heartbeat': (_, { socket, user, server }) => {
            const snapshot = snapshotOf(user!);
            const now = Date.now();
            for (const entry of snapshot.sockets) if (entry.socketId === socket.id) entry.lastSeen = now;
            snapshot.lastSeen = now;
            server.emit('app', 'presence:update', snapshot);
          },
        },
      },
    },
  });
  return Object.assign(server, {
    notify(userId: string, eventKey: string, notification: Record<string, unknown>) {
      server.emit('app', 'notifications:new', { eventKey, notification }, { rawRoom: `user:${userId}` });
    },
    message(kind: MessageKind, conversationId: string, message: Record<string, unknown>, senderId: string) {
      const recipients = conversations[conversationId] ?? [];
      const rooms = [`conversation:${conversationId}`, ...recipients.map((id) => `user:${id}`)];
      server.emit('app', `messages:${kind}`, { conversationId, message, senderId, recipients }, { rawRoom: rooms });
    },
    presence: snapshotOf,
  });
}
