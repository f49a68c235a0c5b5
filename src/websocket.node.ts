/**
 * Node's build of `hcw-realtime-sdk/websocket` (export condition `node`): the same API, on the `ws`
 * package, which sends the token in the `Authorization` header. Bundlers for browsers take
 * `src/websocket.ts` and never see `ws`.
 * @packageDocumentation
 * @module hcw-realtime-sdk/websocket
 */
import WebSocket from 'ws';
import type { WebSocketConstructor } from './core/websocket/platform.js';
import { webSocketTransportOn } from './core/websocket/transport.js';

/** The plain WebSocket transport, on `ws` (see `src/websocket.ts`). */
export const webSocketTransport = webSocketTransportOn({ WebSocket: () => WebSocket as unknown as WebSocketConstructor, headers: true });

export * from './core/websocket/public.js';
