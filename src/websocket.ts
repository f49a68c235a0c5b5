/**
 * The plain WebSocket transport: the SDK's services (validation both ways, the offline queue,
 * reconnection, dead-link detection, `resync$`) over plain WebSocket servers, one WebSocket per
 * endpoint. Browsers and React Native use their global `WebSocket`; Node gets this entry's Node
 * build, on the `ws` package.
 *
 * ```ts
 * import { createRealtimeClient } from 'hcw-realtime-sdk';
 * import { webSocketTransport } from 'hcw-realtime-sdk/websocket';
 * import { plainWsContract } from 'hcw-realtime-sdk/contracts/plain-ws';
 *
 * const client = createRealtimeClient(plainWsContract, { url, token, handshake: { room }, transport: webSocketTransport() });
 * client.services.room.on('chat.message').subscribe(show);
 * ```
 * @packageDocumentation
 * @module hcw-realtime-sdk/websocket
 */
import { globalPlatform } from './core/websocket/platform.js';
import { webSocketTransportOn } from './core/websocket/transport.js';

/**
 * The plain WebSocket transport, for `createRealtimeClient(contract, { transport })`: each
 * namespace of the contract is an endpoint path (`:params` filled from `handshake`).
 */
export const webSocketTransport = webSocketTransportOn(globalPlatform);

export * from './core/websocket/public.js';
