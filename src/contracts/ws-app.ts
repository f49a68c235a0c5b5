/**
 * The `/ws/app` contract: notifications, conversation messages (new, updated, deleted), presence
 * snapshots and conversation rooms joined with an ack, as
 * `docs/upstream/related-systems/ws-app-notifications-presence.md` describes them.
 *
 * ```ts
 * import { createRealtimeClient } from 'hcw-realtime-sdk';
 * import { wsAppContract, WS_APP_MAX_PAYLOAD_BYTES, conversationMessages } from 'hcw-realtime-sdk/contracts/ws-app';
 *
 * const client = createRealtimeClient(wsAppContract, { url, token: getToken, maxPayloadBytes: WS_APP_MAX_PAYLOAD_BYTES });
 * client.services.app.on('notifications:new').subscribe(({ notification }) => show(notification));
 * conversationMessages(client.services.app, 'c-1').subscribe((change) => apply(change));
 * ```
 * @packageDocumentation
 * @module hcw-realtime-sdk/contracts/ws-app
 */
import { filter, ignoreElements, map, merge, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import { defineNamespace, emit, receive, type IncomingPayload, type OutgoingPayload, type ServerEventName } from '../contract/define.js';

/** Epoch milliseconds, or `null` when unknown. */
const epochMs = z.nullable(z.number());

/** `NotificationDTO`: the document `GET /api/notifications` returns; its fields are the REST API's. */
export const notificationDto = z.looseObject({});

/**
 * `MessageDTO`: the REST message document. Only what the description names is typed: `status`
 * (`'deleted'` once soft-deleted) and `deletedAt`; the rest is the REST API's.
 */
export const messageDto = z.looseObject({
  status: z.optional(z.string()),
  deletedAt: z.optional(z.nullable(z.union([z.string(), z.number()]))),
});

/** What a message event cannot do without (the rest is drift): which conversation, a message object. */
const messageCore = z.looseObject({ conversationId: z.string(), message: z.looseObject({}) });

/** A soft-deleted message: `status` is `'deleted'` and `deletedAt` is set. */
const deletedMessage = z.looseObject({
  status: z.literal('deleted'),
  deletedAt: z.union([z.string(), z.number()]),
});

/** A message event: which conversation, the message, who sent it, who receives the broadcast. */
const messageEvent = (message: typeof messageDto | typeof deletedMessage) =>
  z.looseObject({
    conversationId: z.string(),
    message,
    senderId: z.string(),
    recipients: z.array(z.string()),
  });

/** One socket of a user, in a presence snapshot. */
export const presenceSocket = z.looseObject({
  socketId: z.string(),
  connectedAt: epochMs,
  lastSeen: epochMs,
  userAgent: z.nullable(z.string()),
  ip: z.nullable(z.string()),
});

/** `PresenceSnapshot`: a user's presence, sent on connect, heartbeat and disconnect. */
export const presenceSnapshot = z.looseObject({
  userId: z.string(),
  isOnline: z.boolean(),
  lastSeen: epochMs,
  sockets: z.array(presenceSocket),
});

const conversationRef = z.looseObject({ conversationId: z.string().check(z.minLength(1)) });

/** The error codes of `/ws/app` (in `connect_error` data and `error` events). */
export const WS_APP_ERROR_CODES = {
  /** Missing or invalid authentication token: the SDK stops (state `unauthorized`). */
  unauthorized: 'socket_error:unauthorized',
  /** Token verified but expired: the SDK asks the token provider again and retries. */
  tokenExpired: 'socket_error:token_expired',
} as const;

/**
 * `maxPayloadBytes` for `/ws/app` clients. The server's cap (`SOCKET_MAX_PAYLOAD_BYTES`, default
 * 5 KB) applies to the whole Socket.IO packet (namespace, event name and ack id included), the
 * SDK's limit to the payload's JSON: 64 bytes are left for the framing. A larger send is refused
 * before it leaves (`payload_too_large`) instead of the server closing the connection.
 */
export const WS_APP_MAX_PAYLOAD_BYTES = 5 * 1024 - 64;

/** How long the server keeps a user's presence without a heartbeat (`PRESENCE_TTL_SECONDS`, default 60 s). */
export const WS_APP_PRESENCE_TTL_MS = 60_000;

/** `/ws/app`: the one namespace of the application. The token travels in `auth`; no handshake query. */
export const wsAppNamespace = defineNamespace({
  name: '/ws/app',
  handshake: [],
  rooms: {
    /** `conversation:<id>`: message fan-out of one conversation (membership checked by the server). */
    conversation: { join: 'conversations:join', leave: 'conversations:leave' },
  },
  events: {
    'notifications:ready': receive(z.looseObject({ message: z.string(), userId: z.string() }), {
      requires: ['userId'],
      note: 'Sent right after the socket joined the personal room `user:<id>` (joined by the server, not by an event).',
    }),
    'notifications:new': receive(z.looseObject({ eventKey: z.string(), notification: notificationDto }), {
      requires: ['eventKey', 'notification'],
    }),
    'messages:new': receive(messageEvent(messageDto), {
      requires: messageCore,
      note: 'Delivered to `conversation:<id>` (clients that joined it) and to the `user:<id>` room of every participant, the sender included.',
    }),
    'messages:updated': receive(messageEvent(messageDto), { requires: messageCore }),
    'messages:deleted': receive(messageEvent(deletedMessage), {
      requires: messageCore,
      note: 'Soft delete: `message.status` is `deleted` and `message.deletedAt` is set; a server that omits them is drift, still delivered.',
    }),
    'presence:update': receive(presenceSnapshot, {
      requires: ['userId', 'isOnline'],
      note: "Sent to every client of the namespace and to the user's room: filter by `userId` as needed.",
    }),
    error: receive(z.looseObject({ code: z.string(), message: z.string() }), {
      requires: ['code'],
      note: '`code` is `socket_error:unauthorized`, `socket_error:token_expired` or another server code; the SDK reports it with the code.',
    }),
    'system:disconnect': receive(z.looseObject({}), {
      note: 'Reserved upstream (planned: administrative disconnects such as maintenance kicks); its payload is not specified yet.',
    }),
    'presence:heartbeat': emit(z.unknown(), {
      note: 'Optional: the server refreshes presence on its own timer. The payload is ignored (send `undefined`).',
    }),
    'conversations:join': emit(conversationRef, {
      ack: z.looseObject({ success: z.boolean(), message: z.optional(z.string()) }),
      note: 'The server checks membership; `{ success: false, message }` is a refusal (a typed `server_error`).',
    }),
    'conversations:leave': emit(conversationRef),
  },
});

/** The `/ws/app` contract: `createRealtimeClient(wsAppContract, options)` gives `services.app`. */
export const wsAppContract = { app: wsAppNamespace } as const;

export type WsAppNamespace = typeof wsAppNamespace;
export type WsAppContract = typeof wsAppContract;
export type PresenceSnapshot = IncomingPayload<WsAppNamespace, 'presence:update'>;

/** A message event of one conversation, with what happened to the message. */
export type MessageChange = {
  [K in 'new' | 'updated' | 'deleted']: { kind: K } & IncomingPayload<WsAppNamespace, `messages:${K}`>;
}['new' | 'updated' | 'deleted'];

/** What {@link conversationMessages} needs of the `/ws/app` service (`client.services.app`). */
export interface WsAppEvents {
  on<E extends ServerEventName<WsAppNamespace>>(event: E): Observable<IncomingPayload<WsAppNamespace, E>>;
  room(room: 'conversation', params: OutgoingPayload<WsAppNamespace, 'conversations:join'>): Observable<unknown>;
}

/**
 * The messages of one conversation (new, updated, deleted, in arrival order) while subscribed:
 * joins `conversation:<id>` on the first subscription (`conversations:join`, acknowledged), leaves
 * on the last, joins again after a reconnection the server did not recover. Errors with the
 * server's refusal (`server_error`) when it refuses the join (not a member).
 */
export function conversationMessages(service: WsAppEvents, conversationId: string): Observable<MessageChange> {
  const kinds = ['new', 'updated', 'deleted'] as const;
  const changes = kinds.map((kind) =>
    service.on(`messages:${kind}`).pipe(
      filter((event) => event.conversationId === conversationId),
      map((event) => ({ kind, ...event })),
    ),
  );
  return merge(service.room('conversation', { conversationId }).pipe(ignoreElements()), ...changes);
}
