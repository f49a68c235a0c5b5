import type { Observable } from 'rxjs';
import type { NamespaceSpec } from '../contract/index.js';
import type { Channel } from './channel.js';
import type { ConnectionState } from './connection-state.js';
import type { HcwError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { ServerFeatures } from './server-features.js';

/**
 * What a client needs of its connection, whatever carries it: the channels of its namespaces, the
 * aggregate state, the errors, the lifecycle. Two implementations: `Connection` (Socket.IO, one
 * multiplexed Engine.IO connection, the default) and `WebSocketConnection` (plain WebSocket, one
 * per endpoint; `webSocketTransport()` from `hcw-realtime-sdk/websocket`).
 */
export interface RealtimeConnection {
  readonly options: ResolvedOptions;
  /** Every error the SDK reports. */
  readonly errors$: Observable<HcwError>;
  /** Aggregate state over the open namespaces (the worst one wins). */
  readonly state$: Observable<ConnectionState>;
  readonly state: ConnectionState;
  /** What the server announced it adds (none until it does). */
  readonly features: ServerFeatures;
  /** Channels opened so far. */
  readonly openChannels: readonly Channel<NamespaceSpec>[];
  /** The channel of a namespace, created and connected on first use. */
  channel<NS extends NamespaceSpec>(spec: NS): Channel<NS>;
  /** Reports an error on `errors$` (and the logger). */
  report(error: HcwError): void;
  reconnect(): void;
  pause(): void;
  resume(): void;
  dispose(): void;
}

/**
 * What `RealtimeClientOptions.transport` takes: the class of the connection a client makes, built
 * from the client's resolved options. Without one, a client speaks Socket.IO (`Connection`).
 */
export type Transport = new (options: ResolvedOptions) => RealtimeConnection;
