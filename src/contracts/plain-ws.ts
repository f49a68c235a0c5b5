/**
 * The plain-WebSocket contract: the two routes of
 * `docs/upstream/related-systems/plain-websocket-envelope.md` (a Hono server), one WebSocket each,
 * carried by the plain WebSocket transport (`webSocketTransport()` from `hcw-realtime-sdk/websocket`):
 *
 * - `/ws/user`: personal notifications (`notification.new`, `appointment.*`);
 * - `/ws/comms/chat-rooms/:room`: a room's chat, typing and WebRTC signalling, relayed to the other
 *   participants (the sender is excluded), `:room` filled from the client's `handshake.room`.
 *
 * The envelope: the SDK sends `{ type, data }`, as the document's client examples do and as its
 * handlers read them, and accepts both `{ event, payload }` (what its server sends) and
 * `{ type, data }` ({@link plainWsEnvelope}). The document says both "all messages use
 * `{ event, payload }`" and sends `{ type: 'ping' }`; a server written from its examples reads `type`.
 *
 * ```ts
 * import { createRealtimeClient } from 'hcw-realtime-sdk';
 * import { webSocketTransport } from 'hcw-realtime-sdk/websocket';
 * import { chatMessages, plainWsContract, plainWsEnvelope } from 'hcw-realtime-sdk/contracts/plain-ws';
 *
 * const client = createRealtimeClient(plainWsContract, {
 *   url: 'https://api.example.com',
 *   token: () => getToken(), // on every connection: `Authorization: Bearer` in Node and React Native, a subprotocol in browsers
 *   handshake: { room: roomId },
 *   transport: webSocketTransport({ envelope: plainWsEnvelope }),
 * });
 * client.services.user.on('notification.new').subscribe(show);
 * chatMessages(client.services.room).subscribe((message) => render(message));
 * await client.services.room.emit('chat.message', { text: 'Hello!' });
 * ```
 * @packageDocumentation
 * @module hcw-realtime-sdk/contracts/plain-ws
 */
import { filter, map, merge, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import { both, defineNamespace, emit, receive, type IncomingPayload, type ServerEventName } from '../contract/define.js';
import { typeDataEnvelope } from '../core/websocket/envelope.js';

/** ISO 8601, as the document's examples (`'2024-...'`). */
const isoTime = z.string();
const userId = z.string();

/** Where the document gives one event name two payloads, one per direction (the DSL has one schema per name). */
const TWO_WAYS =
  'The client sends one payload and receives another under this name: the schema is the union of both (the received one first); the helpers of this entry give the received one typed.';

/** `ping`: a heartbeat; `{ "type": "ping" }` on the wire, no data. The server answers `pong`. */
const ping = emit(z.optional(z.looseObject({})), {
  responses: ['pong'],
  note: 'Sent by the SDK itself after `heartbeat.probeAfterMs` of silence (dead-link detection); `request("ping", undefined)` measures the round trip.',
});
const pong = receive(z.looseObject({ timestamp: isoTime }));

/** `notification.new`: a notification created for the user. */
export const notification = z.looseObject({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  message: z.string(),
  relatedEntityType: z.optional(z.nullable(z.string())),
  relatedEntity: z.optional(z.nullable(z.unknown())),
  createdAt: isoTime,
});

/** `/ws/user`: the user's personal notifications (one connection per user). */
export const plainWsUserNamespace = defineNamespace({
  name: '/ws/user',
  handshake: [],
  events: {
    ping,
    connected: receive(z.looseObject({ userId, timestamp: isoTime }), { requires: ['userId'] }),
    pong,
    'notification.new': receive(notification, { requires: ['id', 'type'] }),
    'appointment.confirmed': receive(z.looseObject({ appointmentId: z.string(), providerId: z.string(), confirmedAt: isoTime }), {
      requires: ['appointmentId'],
    }),
    'appointment.cancelled': receive(
      z.looseObject({
        appointmentId: z.string(),
        cancelledBy: z.string(),
        reason: z.optional(z.nullable(z.string())),
        cancelledAt: isoTime,
      }),
      { requires: ['appointmentId'] },
    ),
    'appointment.rejected': receive(
      z.looseObject({
        appointmentId: z.string(),
        providerId: z.string(),
        reason: z.optional(z.nullable(z.string())),
        rejectedAt: isoTime,
      }),
      { requires: ['appointmentId'] },
    ),
  },
});

/** `chat.message` as the client sends it. */
export const chatMessageSent = z.looseObject({ text: z.string().check(z.minLength(1)) });

/** `ChatMessage`, the complete schema the server relays (`messageType: 'text'` carries the text in `message`). */
export const chatMessage = z.looseObject({
  id: z.string(),
  chatRoom: z.string(),
  sender: z.string(),
  timestamp: isoTime,
  messageType: z.string(),
  message: z.nullable(z.string()),
  videoCallData: z.optional(z.nullable(z.unknown())),
  createdAt: z.optional(isoTime),
  updatedAt: z.optional(isoTime),
  createdBy: z.optional(z.nullable(z.string())),
  updatedBy: z.optional(z.nullable(z.string())),
});

/** `RTCSessionDescriptionInit` as it crosses the wire. */
const sessionDescription = <T extends 'offer' | 'answer'>(type: T) => z.looseObject({ type: z.literal(type), sdp: z.string() });
/** An offer's `RTCSessionDescriptionInit`, as a peer sends it. */
export const offerDescription = sessionDescription('offer');
/** An answer's `RTCSessionDescriptionInit`, as a peer sends it. */
export const answerDescription = sessionDescription('answer');

/** `RTCIceCandidateInit` as it crosses the wire. */
export const iceCandidate = z.looseObject({
  candidate: z.string(),
  sdpMid: z.optional(z.nullable(z.string())),
  sdpMLineIndex: z.optional(z.nullable(z.number())),
  usernameFragment: z.optional(z.nullable(z.string())),
});

/** What the server relays of a signalling message: `{ type, from, data }`, `data` being what the peer sent. */
const relayed = <const N extends string, D extends z.ZodMiniType>(name: N, data: D) =>
  z.looseObject({ type: z.literal(name), from: z.string(), data });

const offer = relayed('video.offer', offerDescription);
const answer = relayed('video.answer', answerDescription);
const candidate = relayed('video.ice-candidate', iceCandidate);

/** `/ws/comms/chat-rooms/:room`: one room's chat and WebRTC signalling; the server checks the user is a participant. */
export const plainWsRoomNamespace = defineNamespace({
  name: '/ws/comms/chat-rooms/:room',
  handshake: ['room'],
  events: {
    ping,
    connected: receive(z.looseObject({ roomId: z.string(), userId, timestamp: isoTime }), { requires: ['roomId', 'userId'] }),
    pong,
    'user.joined': receive(z.looseObject({ userId, timestamp: isoTime }), { requires: ['userId'] }),
    'user.left': receive(z.looseObject({ userId, timestamp: isoTime }), { requires: ['userId'] }),
    'chat.message': both(z.union([chatMessage, chatMessageSent]), {
      requires: z.union([z.looseObject({ id: z.string(), sender: z.string() }), z.looseObject({ text: z.string() })]),
      note: `Sent \`{ text }\`; received, the complete \`ChatMessage\` (the document's client example reads \`{ from, text, timestamp }\`: it contradicts its own table, which the contract follows). ${TWO_WAYS}`,
    }),
    'chat.typing': both(z.looseObject({ isTyping: z.boolean(), from: z.optional(z.string()) }), {
      requires: ['isTyping'],
      note: 'Sent `{ isTyping }`; received with `from` added by the server.',
    }),
    'video.offer': both(z.union([offer, offerDescription]), {
      requires: z.union([z.looseObject({ from: z.string(), data: z.looseObject({}) }), z.looseObject({ sdp: z.string() })]),
      note: `Sent: the \`RTCSessionDescriptionInit\`; received: \`{ type: 'video.offer', from, data }\`. ${TWO_WAYS}`,
    }),
    'video.answer': both(z.union([answer, answerDescription]), {
      requires: z.union([z.looseObject({ from: z.string(), data: z.looseObject({}) }), z.looseObject({ sdp: z.string() })]),
      note: `Sent: the \`RTCSessionDescriptionInit\`; received: \`{ type: 'video.answer', from, data }\`. ${TWO_WAYS}`,
    }),
    'video.ice-candidate': both(z.union([candidate, iceCandidate]), {
      requires: z.union([z.looseObject({ from: z.string(), data: z.looseObject({}) }), z.looseObject({ candidate: z.string() })]),
      note: `Sent: the \`RTCIceCandidateInit\`; received: \`{ type: 'video.ice-candidate', from, data }\`. ${TWO_WAYS}`,
    }),
  },
});

/**
 * The plain-WebSocket contract: `createRealtimeClient(plainWsContract, { handshake: { room }, transport: webSocketTransport() })`
 * gives `services.user` and `services.room`. For notifications alone: `{ user: plainWsUserNamespace }`.
 */
export const plainWsContract = { user: plainWsUserNamespace, room: plainWsRoomNamespace } as const;

/**
 * The platform's envelope: sends `{ type, data }` (the document's client examples, what its
 * handlers read), accepts `{ event, payload }` and `{ type, data }`. It is `webSocketTransport()`'s
 * default; named here so an app says which platform it speaks.
 */
export const plainWsEnvelope = typeDataEnvelope;

export type PlainWsUserNamespace = typeof plainWsUserNamespace;
export type PlainWsRoomNamespace = typeof plainWsRoomNamespace;
export type PlainWsContract = typeof plainWsContract;
/** A chat message as the server relays it. */
export type ChatMessage = z.infer<typeof chatMessage>;
/** A signalling message from a peer: which kind, who sent it, what it sent. */
export type VideoSignal =
  | { kind: 'offer'; from: string; data: z.infer<typeof offerDescription> }
  | { kind: 'answer'; from: string; data: z.infer<typeof answerDescription> }
  | { kind: 'ice-candidate'; from: string; data: z.infer<typeof iceCandidate> };

/** What the helpers need of the room's service (`client.services.room`). */
export interface PlainWsRoomEvents {
  on<E extends ServerEventName<PlainWsRoomNamespace>>(event: E): Observable<IncomingPayload<PlainWsRoomNamespace, E>>;
}

const isChatMessage = (payload: object): payload is ChatMessage => 'id' in payload && 'sender' in payload;
const isRelayed = (payload: object): payload is { from: string; data: never } => 'from' in payload && 'data' in payload;

/** The room's chat messages from the other participants, as `ChatMessage`s (the server does not echo one's own). */
export function chatMessages(room: PlainWsRoomEvents): Observable<ChatMessage> {
  return room.on('chat.message').pipe(filter(isChatMessage));
}

/** The signalling messages of the room's other participants, in arrival order. */
export function videoSignals(room: PlainWsRoomEvents): Observable<VideoSignal> {
  const kinds = ['offer', 'answer', 'ice-candidate'] as const;
  return merge(
    ...kinds.map((kind) =>
      room.on(`video.${kind}`).pipe(
        filter(isRelayed),
        map((signal): VideoSignal => ({ kind, from: signal.from, data: signal.data })),
      ),
    ),
  );
}
