/**
 * What a `Channel` needs of the socket of its namespace, whatever carries it: the Socket.IO
 * transport's `NamespaceSocket` (`src/core/socketio/namespace-socket.ts`, the shape of
 * socket.io-client's `Socket`), or the plain WebSocket transport's endpoint, one WebSocket per
 * namespace (`src/core/websocket/endpoint.ts`).
 *
 * Lifecycle events, on the same `on`/`off` as the server's events (their names are reserved, as in
 * Socket.IO): `connect` (open and ready; queued sends were flushed just before), `disconnect`
 * (`reason`: `io server disconnect` when the server ended it for good, `io client disconnect`,
 * anything else when it was lost and `active` stays true), `connect_error` (an attempt was refused;
 * `error.data.code` says why when the server said so).
 */
export interface TransportSocket {
  /** Open and ready for sends. */
  readonly connected: boolean;
  /** Wants to be connected: connected, or an attempt is under way or will be made. False after a refusal, a server's end, `disconnect()`. */
  readonly active: boolean;
  /** The server resumed the previous session (missed events replayed). Never for a plain WebSocket. */
  readonly recovered: boolean;
  /** Sends made while disconnected, in order, written on the next `connect` (the channel bounds and clears it). */
  readonly sendBuffer: { length: number };
  on(event: 'disconnect', listener: (reason: string) => void): unknown;
  on(event: 'connect_error', listener: (error: TransportError) => void): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: 'disconnect', listener: (reason: string) => void): unknown;
  off(event: 'connect_error', listener: (error: TransportError) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  removeAllListeners(): unknown;
  /** Sends now, or queues in `sendBuffer` while disconnected. */
  emit(event: string, payload: unknown): unknown;
  /** A send answered by an acknowledgement, rejected after `ms`. */
  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
  /** Every event as it is written (queued ones when flushed). */
  onAnyOutgoing(listener: (event: string, payload: unknown) => void): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

/** A refused connection attempt (`connect_error`); `data.code` says why when the server said so. */
export type TransportError = Error & { data?: unknown };
