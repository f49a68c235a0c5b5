import type { Role } from '../contract/index.js';
import { exponentialBackoff, type ReconnectPolicy } from './reconnect-policy.js';
import { systemScheduler, type Scheduler } from './scheduler.js';

/** A token, or a function (sync or async) called on every connection and reconnection. */
export type TokenProvider = string | (() => string | Promise<string>);

/** Where the SDK writes diagnostics. Tokens are never passed to it. */
export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** The default reconnect policy's backoff between attempts (see `reconnectPolicy` to replace it). */
export interface ReconnectionOptions {
  /** First delay; keep it short, a practitioner's blip must be survived before the server notices. Default 200 ms. */
  delayMs?: number;
  /**
   * Upper bound of the exponential backoff (jitter included). Default 800 ms: once the server is
   * back, every namespace is connected again within about a second, however long the outage was.
   * Raise it for large fleets to spread the load on a recovering server.
   */
  maxDelayMs?: number;
  /** Jitter factor 0..1 (delay × (1 ± factor)). Default 0.5. */
  jitter?: number;
  /** Attempts before giving up with state `failed`. Default Infinity. */
  maxAttempts?: number;
}

export interface HeartbeatOptions {
  /**
   * With no inbound traffic for this long the link is considered dead and the connection is
   * recycled (reconnect). Default 9000 ms, so a dead link is acted on within 10 s (checks run
   * every 500 ms); 0 disables.
   */
  deadLinkTimeoutMs?: number;
  /** After this much silence the SDK sends a liveness probe the server must answer. Default 4000 ms. */
  probeAfterMs?: number;
  /** `/enhanced-consultation` `ping` interval feeding `latency$`. Default 5000 ms; 0 disables. */
  latencyPingIntervalMs?: number;
}

/** Options of a connection to any contract's server ({@link createRealtimeClient}). */
export interface ConnectionOptions {
  /** Server origin, e.g. `https://hcw.example.org` (the Socket.IO path is `/socket.io`). */
  url: string;
  token: TokenProvider;
  reconnection?: ReconnectionOptions;
  /**
   * Decides each delay before a reconnection attempt, or to stop. Default: exponential backoff
   * from `reconnection` (first retry within 300 ms, at most 0.8 s, jitter).
   */
  reconnectPolicy?: ReconnectPolicy;
  /** Timers and clock of the SDK (tests drive time through it). Default: the host's. */
  scheduler?: Scheduler;
  heartbeat?: HeartbeatOptions;
  /** Emits queued per service while offline; past it `emit` rejects with `queue_full`. Default 100. */
  maxQueuedEmits?: number;
  /** Timeout of acks and request/response calls. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Largest payload the SDK sends (the server closes the connection above its limit). Default 1 000 000 bytes. */
  maxPayloadBytes?: number;
  /**
   * Engine.IO transports in the order tried, e.g. `['websocket']` for React Native. Default: a
   * websocket first (one round trip to connect), long-polling when the websocket fails to open;
   * after a websocket attempt times out (a proxy holding it) long-polling goes first, upgrading to
   * a websocket when it can. Given explicitly, the list is used as it is.
   */
  transports?: ('polling' | 'websocket')[];
  /** Time one connection attempt may take to open before it counts as failed. Default 20 000 ms. */
  connectTimeoutMs?: number;
  /** Socket.IO path. Default `/socket.io`. */
  path?: string;
  logger?: Logger;
  /** Listen to the browser's `online` event to retry at once. Default true where `window` exists. */
  watchNetwork?: boolean;
}

/** Options of {@link createHcwClient}: who is connecting, and how. */
export interface HcwClientOptions extends ConnectionOptions {
  consultationId: string | number;
  userId: string | number;
  role: Role;
  /** `/chat` join type sent in the handshake. Default `'consultation'`. */
  joinType?: string;
}

export type ResolvedOptions = Required<Omit<ConnectionOptions, 'transports' | 'logger' | 'reconnectPolicy' | 'scheduler'>> & {
  reconnectPolicy: ReconnectPolicy;
  scheduler: Scheduler;
  /** The handshake query: identity only (the token travels in `auth`). */
  query: Readonly<Record<string, string>>;
  transports: HcwClientOptions['transports'];
  reconnection: Required<ReconnectionOptions>;
  heartbeat: Required<HeartbeatOptions>;
  logger: Logger;
};

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export function resolveOptions(options: ConnectionOptions, query: Readonly<Record<string, string>> = {}): ResolvedOptions {
  const reconnection = { delayMs: 200, maxDelayMs: 800, jitter: 0.5, maxAttempts: Infinity, ...options.reconnection };
  return {
    ...options,
    query,
    reconnection,
    reconnectPolicy: options.reconnectPolicy ?? exponentialBackoff(reconnection),
    scheduler: options.scheduler ?? systemScheduler,
    transports: options.transports,
    path: options.path ?? '/socket.io',
    logger: options.logger ?? silentLogger,
    heartbeat: { deadLinkTimeoutMs: 9000, probeAfterMs: 4000, latencyPingIntervalMs: 5000, ...options.heartbeat },
    maxQueuedEmits: options.maxQueuedEmits ?? 100,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    maxPayloadBytes: options.maxPayloadBytes ?? 1_000_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 20_000,
    watchNetwork: options.watchNetwork ?? true,
  };
}
