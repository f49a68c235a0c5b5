import type { ResolvedOptions } from '../options.js';
import type { Transport } from '../transport.js';
import type { WebSocketAuth } from './auth.js';
import { typeDataEnvelope, type EnvelopeCodec } from './envelope.js';
import type { WebSocketConstructor, WebSocketPlatform } from './platform.js';
import { WebSocketConnection } from './websocket-connection.js';

/** Options of {@link webSocketTransport}. */
export interface WebSocketTransportOptions {
  /**
   * How events are framed. Default {@link typeDataEnvelope}: sends `{ type, data }`, reads
   * `{ event, payload }` and `{ type, data }`.
   */
  envelope?: EnvelopeCodec;
  /**
   * The WebSocket class. Default: the `ws` package in Node (`hcw-realtime-sdk/websocket`'s Node
   * build), the global `WebSocket` in browsers and React Native.
   */
  WebSocket?: WebSocketConstructor;
  /**
   * How the token travels on every attempt (never in the URL). Default: `header`
   * (`Authorization: Bearer`) with the default class where it sends headers (Node, React Native);
   * `protocol` (`Sec-WebSocket-Protocol: bearer, <token>`) in browsers and with a class given in
   * `WebSocket`.
   */
  auth?: WebSocketAuth;
  /**
   * The contract's heartbeat events: `ping` is sent after `heartbeat.probeAfterMs` of silence, the
   * server answers `pong`; with no traffic for `heartbeat.deadLinkTimeoutMs` the WebSocket is
   * closed and reconnected. Default `ping` and `pong`. A namespace without both has no dead-link
   * watch (a quiet server is not a dead one).
   */
  heartbeat?: { ping?: string; pong?: string };
}

/** {@link webSocketTransport} for a platform: where its WebSocket class comes from. */
export function webSocketTransportOn(platform: WebSocketPlatform): (options?: WebSocketTransportOptions) => Transport {
  return (options = {}) => {
    const settings = {
      envelope: options.envelope ?? typeDataEnvelope,
      platform,
      WebSocket: options.WebSocket,
      auth: options.auth,
      ping: options.heartbeat?.ping ?? 'ping',
      pong: options.heartbeat?.pong ?? 'pong',
    };
    return class extends WebSocketConnection {
      constructor(resolved: ResolvedOptions) {
        super(resolved, settings);
      }
    };
  };
}
