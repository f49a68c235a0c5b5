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
import { both, defineNamespace, emit, type ClientEventName, type ServerEventName } from '../contract/define.js';

const roomId = z.string().check(z.minLength(1));
const roomRef = z.looseObject({ roomId });
/** Added by the server to what it relays: who sent it (user or socket id). */
const from = z.optional(z.string());

/** `RTCSessionDescriptionInit` as it crosses the wire. */
const description = (type: 'offer' | 'answer') => z.looseObject({ type: z.literal(type), sdp: z.string() });

const PAYLOAD_NOTE = 'The audit gives the name only: the payload is decided by this contract.';

/** The root namespace: chat and WebRTC signalling over one socket, by prefix. */
export const rootPrefixedNamespace = defineNamespace({
  name: '/',
  handshake: [],
  rooms: {
    /** A chat room (`chat:join_room`, `chat:leave_room`). */
    chat: { join: 'chat:join_room', leave: 'chat:leave_room' },
    /** A consultation's signalling room (`webrtc:join_room`; left with the connection). */
    consultation: { join: 'webrtc:join_room' },
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

    'webrtc:join_room': emit(roomRef, { note: `Was \`join_consultation_room\` on \`/consultation\`. ${PAYLOAD_NOTE}` }),
    'webrtc:offer': both(z.looseObject({ roomId, description: description('offer'), from }), {
      requires: ['roomId', 'description'],
      note: `Was \`webrtc_offer\` on \`/consultation\`. ${PAYLOAD_NOTE}`,
    }),
    'webrtc:answer': both(z.looseObject({ roomId, description: description('answer'), from }), {
      requires: ['roomId', 'description'],
      note: `Was \`webrtc_answer\` on \`/consultation\`. ${PAYLOAD_NOTE}`,
    }),
    'webrtc:ice_candidate': both(
      z.looseObject({
        roomId,
        candidate: z.looseObject({
          candidate: z.string(),
          sdpMid: z.optional(z.nullable(z.string())),
          sdpMLineIndex: z.optional(z.nullable(z.number())),
        }),
        from,
      }),
      { requires: ['roomId', 'candidate'], note: `Was \`webrtc_ice_candidate\` on \`/consultation\`. ${PAYLOAD_NOTE}` },
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
