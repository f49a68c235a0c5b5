/** What `hcw-realtime-sdk/websocket` exports besides `webSocketTransport` (the same in its browser and Node builds). */
export { BEARER_PROTOCOL, type WebSocketAuth } from './auth.js';
export { decodeEnvelope, eventPayloadEnvelope, typeDataEnvelope, type Envelope, type EnvelopeCodec } from './envelope.js';
export type { WebSocketConstructor, WebSocketEventLike, WebSocketLike } from './platform.js';
export type { WebSocketTransportOptions } from './transport.js';
export type { Transport } from '../transport.js';
