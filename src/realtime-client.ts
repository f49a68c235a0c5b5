import type { Observable } from 'rxjs';
import type { NamespaceSpec } from './contract/index.js';
import type { Channel } from './core/channel.js';
import type { ConnectionState } from './core/connection-state.js';
import { Connection } from './core/connection.js';
import { HcwError } from './core/errors.js';
import { resolveOptions, type ConnectionOptions, type ResolvedOptions } from './core/options.js';
import type { ServerFeatures } from './core/server-features.js';
import type { RealtimeConnection, Transport } from './core/transport.js';
import { NamespaceService } from './namespaces/service.js';

/** A contract: its namespaces, keyed by the name the client gives their services. */
export type ContractSpec = { readonly [key: string]: NamespaceSpec };

/** The channel a service is built on: opaque to apps, handed to a service's constructor. */
export type NamespaceChannel<NS extends NamespaceSpec> = Channel<NS>;

/** Builds the service of one namespace (a {@link NamespaceService}, or a subclass with conveniences). */
export type ServiceFactory<NS extends NamespaceSpec, S extends NamespaceService<NS> = NamespaceService<NS>> = (
  channel: NamespaceChannel<NS>,
  /** The client's resolved options (scheduler, heartbeat...). */
  options: ResolvedOptions,
) => S;

/** Optional factories per namespace key; the others get a plain {@link NamespaceService}. */
export type ServiceFactories<C extends ContractSpec> = { readonly [K in keyof C]?: ServiceFactory<C[K], NamespaceService<C[K]>> };

/** The services of a client: a factory's product where one is given, else a plain {@link NamespaceService}. */
export type ServicesOf<C extends ContractSpec, F extends ServiceFactories<C>> = {
  readonly [K in keyof C]: F[K] extends (channel: never, options: never) => infer S ? S : NamespaceService<C[K]>;
};

/** Options of {@link createRealtimeClient}: the connection's, and the handshake's values. */
export interface RealtimeClientOptions extends ConnectionOptions {
  /**
   * A value for every handshake key the contract's namespaces declare (over Socket.IO they travel
   * in the handshake query of the one connection; over plain WebSocket they fill the endpoints'
   * path parameters, the others in each endpoint's query; never a token).
   */
  handshake?: Readonly<Record<string, string | number>>;
  /**
   * What carries the namespaces. Default: Socket.IO (one multiplexed connection). For a plain
   * WebSocket server, `webSocketTransport()` from `hcw-realtime-sdk/websocket` (one WebSocket per
   * endpoint; the handshake values fill the endpoints' path parameters, e.g. `:room`).
   */
  transport?: Transport;
}

/** A client of a server speaking `C`: one connection, a typed service per namespace. */
export interface RealtimeClient<C extends ContractSpec, S = ServicesOf<C, Record<never, never>>> {
  /** The namespace services, opened on first access. */
  readonly services: S;
  /** Aggregate connection state over the opened services (optional namespaces a server lacks ignored). */
  readonly state$: Observable<ConnectionState>;
  readonly state: ConnectionState;
  /** Every SDK error (malformed server payloads, drift, refusals nobody waited for, auth...). */
  readonly errors$: Observable<HcwError>;
  /** What the server announced it adds (`server_features`, where the contract has it). */
  readonly features: ServerFeatures;
  /** @internal The connection all services share (tests, benchmarks, media adapters). */
  readonly connection: RealtimeConnection;
  /** The contract this client speaks. */
  readonly contract: C;
  /** Reconnects after `unauthorized`, `failed`, `unavailable` or a server kick; asks the token provider again. */
  reconnect(): void;
  /** Disconnects, keeping queued sends (app in background). */
  pause(): void;
  /** Reconnects after `pause()`. */
  resume(): void;
  /** Closes every service; no timers, listeners or sockets are left. */
  dispose(): void;
}

/**
 * Creates a client of any contract: over Socket.IO (one multiplexed connection) or, with
 * `options.transport`, plain WebSocket (one per endpoint); a service per namespace
 * validated both ways, the state machine, offline queue, resync, liveness and the tolerant receive
 * rule. Nothing connects until a service is first used.
 *
 * @example
 * const client = createRealtimeClient(myContract, { url, token, handshake: { userId: 7 } });
 * client.services.notifications.on('notification').subscribe(show);
 */
export function createRealtimeClient<C extends ContractSpec, F extends ServiceFactories<C> = Record<never, never>>(
  contract: C,
  options: RealtimeClientOptions,
  factories?: F,
): RealtimeClient<C, ServicesOf<C, F>> {
  const connection = new (options.transport ?? Connection)(resolveOptions(options, handshakeQueryOf(contract, options.handshake ?? {})));
  const built = new Map<keyof C, NamespaceService<NamespaceSpec>>();
  const services = {} as Record<keyof C, NamespaceService<NamespaceSpec>>;
  for (const key of Object.keys(contract) as (keyof C)[]) {
    Object.defineProperty(services, key, {
      enumerable: true,
      get: () => {
        let service = built.get(key);
        if (!service) {
          const channel = connection.channel(contract[key] as NamespaceSpec);
          const factory = factories?.[key] as ServiceFactory<NamespaceSpec> | undefined;
          service = factory ? factory(channel, connection.options) : new NamespaceService(channel);
          built.set(key, service);
        }
        return service;
      },
    });
  }
  return {
    services: services as unknown as ServicesOf<C, F>,
    state$: connection.state$,
    get state() {
      return connection.state;
    },
    errors$: connection.errors$,
    features: connection.features,
    connection,
    contract,
    reconnect: () => connection.reconnect(),
    pause: () => connection.pause(),
    resume: () => connection.resume(),
    dispose: () => connection.dispose(),
  };
}

/**
 * The handshake query of one connection serving every namespace of `contract`: the union of the
 * keys their gateways read. A key without a value fails here, at creation, naming the namespace.
 */
function handshakeQueryOf(contract: ContractSpec, values: Readonly<Record<string, string | number>>): Record<string, string> {
  const query: Record<string, string> = {};
  const paths = new Set<string>();
  for (const spec of Object.values(contract)) {
    // Two keys on one path would share one channel, the second silently getting the first's spec.
    if (paths.has(spec.name)) throw new HcwError('invalid_contract', `${spec.name} is in the contract twice`, { namespace: spec.name });
    paths.add(spec.name);
    for (const key of spec.handshake) {
      const value = values[key];
      if (value === undefined || value === '') {
        throw new HcwError('invalid_contract', `${spec.name} reads the handshake key "${key}": give it a value in options.handshake`, {
          namespace: spec.name,
        });
      }
      query[key] = String(value);
    }
  }
  return query;
}
