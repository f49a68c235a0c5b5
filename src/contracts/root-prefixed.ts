/**
 * The root-prefixed contract: one socket on the root namespace `/` carrying every event, chat and
 * WebRTC signalling told apart by the prefixes `chat:` and `webrtc:`. This is the fix the audit in
 * `docs/upstream/related-systems/namespace-mismatch-audit.md` recommends for its bug (the frontend
 * on `/`, the WebRTC handlers on `/consultation`: offers never arrived, nothing failed).
 *
 * Here the bug class cannot happen: the client and the server take the namespace and the event
 * names from this one object. A name that is not in it does not compile, and fails at run time
 * (`unsupported`, nothing sent) where a cast forces it through.
 *
 * The audit names the client→server events; the server relays the chat and signalling events to
 * the other members of the room under the same name (`both`), with `from` added. Payload fields
 * the audit does not give are decided here (each event's note says so).
 *
 * Peer presence and addressing (decided here; the audit has neither), for calls of more than two
 * and for a peer that joins late or leaves:
 * - Right after a join, the server sends the joining socket `webrtc:peers { roomId, peers }`: the
 *   users already in the room (the joining user left out), and again after every re-join that
 *   follows a reconnection. An event rather than an ack of `webrtc:join_room`, so that a server
 *   without presence (the audit's own) still completes the join: an ack it never sends would hold
 *   the join until the request timeout. Sent on the same socket before any later
 *   `webrtc:peer_joined`, so the list and the changes after it arrive in order.
 * - The others get `webrtc:peer_joined { roomId, userId }` when a user's first socket joins, and
 *   `webrtc:peer_left { roomId, userId, reason }` when its last one leaves: `left` for a
 *   deliberate leave (`webrtc:leave_room`, or the client closed its socket), `disconnected` when
 *   the connection was lost (it may come back). Ids are the token's subject, as in `from`.
 * - `webrtc:offer`, `webrtc:answer` and `webrtc:ice_candidate` take an optional `to` (a user id):
 *   relayed to that user's sockets in the room only; without it, to the whole room (the sender
 *   excluded), as before.
 *
 * ```ts
 * import { createRealtimeClient } from 'hcw-realtime-sdk';
 * import { rootPrefixedContract } from 'hcw-realtime-sdk/contracts/root-prefixed';
 *
 * const client = createRealtimeClient(rootPrefixedContract, { url, token });
 * const socket = client.services.root;
 * socket.room('consultation', { roomId }).subscribe();
 * socket.on('webrtc:offer').subscribe(({ description, from }) => answer(description, from));
 * ```
 * @packageDocumentation
 * @module hcw-realtime-sdk/contracts/root-prefixed
 */
import * as z from 'zod/mini';
import { both, defineNamespace, emit, receive, type ClientEventName, type ServerEventName } from '../contract/define.js';

const roomId = z.string().check(z.minLength(1));
const roomRef = z.looseObject({ roomId });
/** Added by the server to what it relays: who sent it (user or socket id). */
const from = z.optional(z.string());

/** `RTCSessionDescriptionInit` as it crosses the wire. */
const description = (type: 'offer' | 'answer') => z.looseObject({ type: z.literal(type), sdp: z.string() });

const PAYLOAD_NOTE = 'The audit gives the name only: the payload is decided by this contract.';
/** The addressee of a signalling message (a user id): only that peer gets it. */
const to = z.optional(z.string().check(z.minLength(1)));
const TO_NOTE = 'With `to` (a user id), relayed to that user only; without it, to the room (the sender excluded).';
const PRESENCE_NOTE = 'Not in the audit: presence, added by this contract (see the module notes).';

/** The root namespace: chat and WebRTC signalling over one socket, by prefix. */
export const rootPrefixedNamespace = defineNamespace({
  name: '/',
  handshake: [],
  rooms: {
    /** A chat room (`chat:join_room`, `chat:leave_room`). */
    chat: { join: 'chat:join_room', leave: 'chat:leave_room' },
    /** A consultation's signalling room (`webrtc:join_room`, `webrtc:leave_room` or the connection closing). */
    consultation: { join: 'webrtc:join_room', leave: 'webrtc:leave_room' },
  },
  events: {
    identify_as_doctor: emit(z.unknown(), { note: 'Kept on the root namespace by the audit, unprefixed; its payload is not described.' }),

    'chat:join_room': emit(roomRef, { note: `Was \`join_room\`. ${PAYLOAD_NOTE}` }),
    'chat:leave_room': emit(roomRef, { note: `Was \`leave_room\`. ${PAYLOAD_NOTE}` }),
    'chat:send_message': both(
      z.looseObject({ roomId, content: z.string().check(z.minLength(1)), clientId: z.optional(z.string()), from }),
      {
        requires: ['roomId', 'content'],
        note: `Was \`send_message\`; relayed to the room's other members. ${PAYLOAD_NOTE}`,
      },
    ),
    'chat:typing': both(z.looseObject({ roomId, from }), { requires: ['roomId'], note: `Was \`typing\`. ${PAYLOAD_NOTE}` }),
    'chat:stop_typing': both(z.looseObject({ roomId, from }), { requires: ['roomId'], note: `Was \`stop_typing\`. ${PAYLOAD_NOTE}` }),
    'chat:mark_seen': both(z.looseObject({ roomId, messageId: z.optional(z.string()), from }), {
      requires: ['roomId'],
      note: `Was \`mark_seen\`. ${PAYLOAD_NOTE}`,
    }),

    'webrtc:join_room': emit(roomRef, {
      note: `Was \`join_consultation_room\` on \`/consultation\`. ${PAYLOAD_NOTE} Followed by \`webrtc:peers\` where the server has presence.`,
    }),
    'webrtc:peers': receive(z.looseObject({ roomId, peers: z.array(z.string()) }), {
      requires: ['roomId', 'peers'],
      note: `${PRESENCE_NOTE} Sent to a socket right after it joined: the other users in the room now.`,
    }),
    'webrtc:leave_room': emit(roomRef, {
      note: `${PRESENCE_NOTE} Leaves the room: the others get \`webrtc:peer_left\` with \`reason: 'left'\`.`,
    }),
    'webrtc:peer_joined': receive(z.looseObject({ roomId, userId: z.string() }), {
      requires: ['roomId', 'userId'],
      note: `${PRESENCE_NOTE} A user's first socket joined the room (not sent to that user).`,
    }),
    'webrtc:peer_left': receive(z.looseObject({ roomId, userId: z.string(), reason: z.optional(z.enum(['left', 'disconnected'])) }), {
      requires: ['roomId', 'userId'],
      note: `${PRESENCE_NOTE} A user's last socket left the room: \`left\` on purpose, \`disconnected\` when its connection was lost (absent: not known).`,
    }),
    'webrtc:offer': both(z.looseObject({ roomId, description: description('offer'), to, from }), {
      requires: ['roomId', 'description'],
      note: `Was \`webrtc_offer\` on \`/consultation\`. ${PAYLOAD_NOTE} ${TO_NOTE}`,
    }),
    'webrtc:answer': both(z.looseObject({ roomId, description: description('answer'), to, from }), {
      requires: ['roomId', 'description'],
      note: `Was \`webrtc_answer\` on \`/consultation\`. ${PAYLOAD_NOTE} ${TO_NOTE}`,
    }),
    'webrtc:ice_candidate': both(
      z.looseObject({
        roomId,
        candidate: z.looseObject({
          candidate: z.string(),
          sdpMid: z.optional(z.nullable(z.string())),
          sdpMLineIndex: z.optional(z.nullable(z.number())),
        }),
        to,
        from,
      }),
      { requires: ['roomId', 'candidate'], note: `Was \`webrtc_ice_candidate\` on \`/consultation\`. ${PAYLOAD_NOTE} ${TO_NOTE}` },
    ),
  },
});

/** The root-prefixed contract: `createRealtimeClient(rootPrefixedContract, options)` gives `services.root`. */
export const rootPrefixedContract = { root: rootPrefixedNamespace } as const;

export type RootPrefixedNamespace = typeof rootPrefixedNamespace;
export type RootPrefixedContract = typeof rootPrefixedContract;

/** The event names of one prefix, client→server (`PrefixedClientEvent<'chat'>`: `chat:join_room`, ...). */
export type PrefixedClientEvent<P extends 'chat' | 'webrtc'> = Extract<ClientEventName<RootPrefixedNamespace>, `${P}:${string}`>;
/** The event names of one prefix, server→client. */
export type PrefixedServerEvent<P extends 'chat' | 'webrtc'> = Extract<ServerEventName<RootPrefixedNamespace>, `${P}:${string}`>;
