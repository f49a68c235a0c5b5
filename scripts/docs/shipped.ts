/**
 * The contracts the package ships besides HCW's (`hcw-realtime-sdk/contracts/*`), as the docs
 * present them: each gets `docs/contracts/<name>/events.md` and `asyncapi.json`.
 */
import type { NamespaceSpec } from '../../src/contract/index.js';
import { clinicQueueContract } from '../../src/contracts/clinic-queue.js';
import { plainWsContract } from '../../src/contracts/plain-ws.js';
import { rootPrefixedContract } from '../../src/contracts/root-prefixed.js';
import { wsAppContract } from '../../src/contracts/ws-app.js';

export interface ShippedContract {
  /** Folder under docs/contracts/ and the entry's last segment (`hcw-realtime-sdk/contracts/<name>`). */
  name: string;
  /** What the system is, in a few words. */
  title: string;
  /** The system's description (docs/upstream/related-systems/). */
  upstream: string;
  /** One paragraph: what the contract covers and what it decided. */
  summary: string;
  contract: { readonly [key: string]: NamespaceSpec };
  /** What carries it: Socket.IO (default), or plain WebSocket (`webSocketTransport()`, one WebSocket per namespace). */
  transport?: 'websocket';
}

export const SHIPPED_CONTRACTS: readonly ShippedContract[] = [
  {
    name: 'ws-app',
    title: '/ws/app notifications, messages and presence',
    upstream: 'ws-app-notifications-presence.md',
    summary:
      'Notifications, conversation messages (new, updated, deleted), presence snapshots and conversation rooms joined with an ' +
      'acknowledged `conversations:join`. The server refuses tokens with `socket_error:unauthorized` and ' +
      '`socket_error:token_expired` and caps packets at 5 KB (`WS_APP_MAX_PAYLOAD_BYTES` leaves room for the framing).',
    contract: wsAppContract,
  },
  {
    name: 'clinic-queue',
    title: 'Clinic queue (Flask-SocketIO)',
    upstream: 'clinic-queue-flask-socketio.md',
    summary:
      'Queue, appointment, visit, patient and payment events to the rooms `clinic_{id}` and `doctor_{id}`, joined by events ' +
      'and lost on every reconnection (the SDK joins them again). The nine events after which the dashboard refetches are ' +
      '`REFETCH_EVENTS`; `queueRefetches` runs one refetch per 500 ms window.',
    contract: clinicQueueContract,
  },
  {
    name: 'root-prefixed',
    title: 'Root namespace with chat: and webrtc: prefixes',
    upstream: 'namespace-mismatch-audit.md',
    summary:
      'One socket on the root namespace for chat and WebRTC signalling, told apart by prefixes: the fix of the namespace-mismatch ' +
      'audit. The audit names the client events; the relays back to the room (`both`, with `from`) and the payloads are decided here.',
    contract: rootPrefixedContract,
  },
  {
    name: 'plain-ws',
    title: 'Plain WebSocket (Hono): /ws/user and /ws/comms/chat-rooms/:room',
    upstream: 'plain-websocket-envelope.md',
    summary:
      'Not Socket.IO: two plain WebSocket endpoints, carried by `webSocketTransport()` (`hcw-realtime-sdk/websocket`), `:room` ' +
      "filled from `handshake.room`. The SDK sends `{ type, data }` (the document's client examples and what its handlers read) and " +
      'reads `{ event, payload }` and `{ type, data }`. Where one name has a payload per direction (`chat.message`, `video.*`), ' +
      'the schema is the union of both; `chatMessages()` and `videoSignals()` give the received ones typed. No acks: `ping` is ' +
      'answered by `pong`, which also drives the dead-link watch.',
    contract: plainWsContract,
    transport: 'websocket',
  },
];
