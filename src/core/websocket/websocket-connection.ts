import { BehaviorSubject, type Observable } from 'rxjs';
import { eventSpec, type NamespaceSpec } from '../../contract/index.js';
import { Channel, type ChannelHost } from '../channel.js';
import { ErrorReports } from '../error-reports.js';
import { publishAggregate, type ConnectionState } from '../connection-state.js';
import { HcwError } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import { ServerFeatures } from '../server-features.js';
import { TokenSource } from '../token-source.js';
import type { RealtimeConnection } from '../transport.js';
import type { TransportError } from '../transport-socket.js';
import { credentials, type WebSocketAuth } from './auth.js';
import type { RefusalCode } from './close-reason.js';
import { WebSocketEndpoint, type EndpointHost } from './endpoint.js';
import { endpointUrl } from './endpoint-url.js';
import type { EnvelopeCodec } from './envelope.js';
import type { WebSocketConstructor, WebSocketLike, WebSocketPlatform } from './platform.js';
import { RetrySchedule } from './retry-schedule.js';

/** The plain WebSocket transport's settings (`webSocketTransport()` options, resolved). */
export interface WebSocketSettings {
  readonly envelope: EnvelopeCodec;
  readonly platform: WebSocketPlatform;
  /** A WebSocket class the app gave (else the platform's). */
  readonly WebSocket: WebSocketConstructor | undefined;
  /** How the token travels (else: `header` with the platform's class where it sends headers, `protocol` otherwise). */
  readonly auth: WebSocketAuth | undefined;
  /** The contract's heartbeat events: the dead-link probe and its answer. */
  readonly ping: string;
  readonly pong: string;
}

/** One endpoint of the client: its channel, its WebSocket, its reconnection attempts. */
interface Link {
  readonly channel: Channel<NamespaceSpec, WebSocketEndpoint>;
  readonly endpoint: WebSocketEndpoint;
  readonly retry: RetrySchedule;
  /** Fresh-token retries after a 401 in a row. */
  refreshes: number;
}

/** Fresh-token retries in a row after a refused token before the namespace is `unauthorized`. */
const MAX_TOKEN_REFRESHES = 1;

/**
 * The plain WebSocket transport: one WebSocket per endpoint (a namespace of the contract is an
 * endpoint path), each reconnected on its own by the client's ReconnectPolicy, with the token asked
 * for on every attempt. The channels over it are the Socket.IO path's (`Channel`): validation both
 * ways, the tolerant receive rule, the offline queue, requests by response events, the state
 * machine, `resync$` after every reconnection (a plain WebSocket never resumes a session).
 */
export class WebSocketConnection implements ChannelHost, EndpointHost, RealtimeConnection {
  private readonly links = new Map<string, Link>();
  private readonly byEndpoint = new Map<WebSocketEndpoint, Link>();
  private readonly tokens: TokenSource;
  private readonly reports: ErrorReports;
  private readonly stateSubject = new BehaviorSubject<ConnectionState>({ status: 'idle' });
  private paused = false;
  private disposed = false;
  private removeNetworkListener: (() => void) | undefined;

  readonly errors$: Observable<HcwError>;
  readonly state$: Observable<ConnectionState> = this.stateSubject.asObservable();
  /** What the server announced (`server_features`, where a contract has it). */
  readonly features = new ServerFeatures();

  constructor(
    readonly options: ResolvedOptions,
    private readonly settings: WebSocketSettings,
  ) {
    this.reports = new ErrorReports(options.logger);
    this.errors$ = this.reports.errors$;
    this.tokens = new TokenSource(options.token);
    if (options.watchNetwork) this.watchNetwork();
  }

  channel<NS extends NamespaceSpec>(spec: NS): Channel<NS, WebSocketEndpoint> {
    let link = this.links.get(spec.name);
    if (!link) {
      if (this.disposed) throw new HcwError('disposed', 'client disposed', { namespace: spec.name });
      checkPlainNamespace(spec);
      const endpoint = new WebSocketEndpoint(
        {
          namespace: spec.name,
          url: endpointUrl(this.options.url, spec, this.options.query),
          codec: this.settings.envelope,
          dial: this.dialer(spec.name),
          ping: this.pingOf(spec),
        },
        this,
      );
      const channel = new Channel<NamespaceSpec, WebSocketEndpoint>(spec, endpoint, this);
      link = { channel, endpoint, retry: new RetrySchedule(this.options.scheduler, this.options.reconnectPolicy), refreshes: 0 };
      this.links.set(spec.name, link);
      this.byEndpoint.set(endpoint, link);
      if (eventSpec(spec, 'server_features')) {
        (channel.on as (event: string) => Observable<{ features: string[] }>)('server_features').subscribe((announced) =>
          this.features.announce(announced.features),
        );
      }
      channel.watchState((state) => !this.disposed && publishAggregate(this.stateSubject, this.openChannels, channel, state));
      publishAggregate(this.stateSubject, this.openChannels, channel, channel.state);
      if (!this.paused) channel.connect();
    }
    return link.channel as unknown as Channel<NS, WebSocketEndpoint>;
  }

  get openChannels(): Channel<NamespaceSpec, WebSocketEndpoint>[] {
    return [...this.links.values()].map((link) => link.channel);
  }

  get state(): ConnectionState {
    return this.stateSubject.value;
  }

  report(error: HcwError): void {
    this.reports.report(error);
  }

  reportDrift(error: HcwError): void {
    this.reports.reportDrift(error);
  }

  // ---- EndpointHost ------------------------------------------------------------------------------

  token(): Promise<string> {
    return this.tokens.get();
  }

  opened(endpoint: WebSocketEndpoint): void {
    this.byEndpoint.get(endpoint)?.retry.reset();
  }

  accepted(endpoint: WebSocketEndpoint): void {
    const link = this.byEndpoint.get(endpoint);
    if (link) link.refreshes = 0;
  }

  /** Down while wanted: the next attempt, by the policy, with a fresh token. */
  lost(endpoint: WebSocketEndpoint, cause: string): void {
    this.tokens.invalidate();
    const link = this.byEndpoint.get(endpoint);
    if (!link || this.disposed || this.paused || !endpoint.active || link.retry.pending) return;
    link.refreshes = 0; // lost, not refused: the last token was taken
    const next = link.retry.schedule(cause, () => {
      if (!this.disposed && !this.paused) endpoint.open();
    });
    if (next) {
      this.options.logger.debug('reconnecting', { namespace: link.channel.name, ...next, cause });
      link.channel.reconnectScheduled(next.attempt, next.delayMs, cause);
      return;
    }
    endpoint.disconnect();
    link.channel.reconnectFailed();
    this.report(
      new HcwError('connection_failed', `${link.channel.name}: reconnection stopped after ${link.retry.attempts - 1} attempts (${cause})`, {
        namespace: link.channel.name,
      }),
    );
  }

  // ---- ChannelHost -------------------------------------------------------------------------------

  /** The server refused the endpoint (`connect_error` with the refusal's code). */
  onConnectError(channel: Channel<NamespaceSpec>, error: TransportError): void {
    const link = this.links.get(channel.name);
    if (!link) return;
    const code = (error.data as { code?: RefusalCode } | undefined)?.code;
    const namespace = channel.name;
    // Refused in-band, after the open: the channel is trying again from its point of view.
    if (channel.state.status === 'connected') channel.setState({ status: 'connecting' });
    if (code === 'unauthorized' && link.refreshes < MAX_TOKEN_REFRESHES) {
      link.refreshes++;
      this.options.logger.info('token refused, fetching a new one', { namespace });
      this.tokens.invalidate();
      channel.setState({ status: 'connecting' });
      link.endpoint.connect();
      return;
    }
    if (code === 'unauthorized') {
      channel.setState({ status: 'unauthorized', message: 'the server rejected the credentials' });
      this.report(new HcwError('unauthorized', `${namespace}: the server rejected the credentials`, { namespace, cause: error }));
      return;
    }
    if (code === 'not_found') {
      channel.setState({ status: 'unavailable', message: error.message });
      if (channel.spec.optional) this.options.logger.info(`${namespace} is not offered by this server`);
      else this.report(new HcwError('unavailable', `${namespace}: the server does not have this endpoint`, { namespace, cause: error }));
      return;
    }
    channel.setState({ status: 'failed', message: error.message });
    this.report(new HcwError('connection_failed', `${namespace}: ${error.message}`, { namespace, cause: error }));
  }

  // ---- Lifecycle ---------------------------------------------------------------------------------

  /** Reconnects every endpoint that is not connected, now, with a fresh token. */
  reconnect(): void {
    if (this.disposed) return;
    this.paused = false;
    this.tokens.invalidate();
    for (const link of this.links.values()) {
      link.refreshes = 0;
      link.retry.reset();
      if (link.endpoint.connected) continue;
      if (!link.endpoint.active) {
        link.channel.connect();
        continue;
      }
      link.channel.setState({ status: 'connecting' });
      // Now, and with a fresh attempt: one under way since an outage may hang (its packets went nowhere).
      link.endpoint.restart();
    }
  }

  pause(): void {
    if (this.disposed || this.paused) return;
    this.paused = true;
    for (const link of this.links.values()) {
      link.retry.cancel();
      link.channel.pause();
    }
  }

  resume(): void {
    if (this.paused) this.reconnect();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.removeNetworkListener?.();
    for (const link of this.links.values()) {
      link.retry.cancel();
      link.channel.dispose();
    }
    this.stateSubject.next({ status: 'disconnected', reason: 'client' });
    this.stateSubject.complete();
    this.reports.complete();
    this.features.dispose();
  }

  // ---- Internals ---------------------------------------------------------------------------------

  /** Opens one attempt's WebSocket of `namespace` with the token, as a header or a subprotocol. */
  private dialer(namespace: string): (url: string, token: string) => WebSocketLike {
    const { settings } = this;
    const Class = settings.WebSocket ?? settings.platform.WebSocket();
    if (!Class) {
      throw new HcwError('unsupported', `${namespace}: no WebSocket class here; pass one: webSocketTransport({ WebSocket })`, {
        namespace,
      });
    }
    return (url, token) => {
      const WebSocket = settings.WebSocket ?? settings.platform.WebSocket() ?? Class;
      const auth = settings.auth ?? (!settings.WebSocket && settings.platform.headers ? 'header' : 'protocol');
      const { protocols, headers } = credentials(auth, token);
      return headers ? new WebSocket(url, undefined, { headers }) : new WebSocket(url, protocols);
    };
  }

  /** The namespace's ping, when it has the pair (else no dead-link watch: a quiet server is not a dead one). */
  private pingOf(spec: NamespaceSpec): string | undefined {
    const ping = eventSpec(spec, this.settings.ping);
    const pong = eventSpec(spec, this.settings.pong);
    if (ping && ping.direction !== 'receive' && pong && pong.direction !== 'emit') return this.settings.ping;
    this.options.logger.info(`${spec.name}: no ${this.settings.ping}/${this.settings.pong} events in the contract, no dead-link watch`);
    return undefined;
  }

  /** Browsers: retry at once when the network comes back instead of waiting out the backoff. */
  private watchNetwork(): void {
    const target = globalThis as unknown as {
      addEventListener?: (type: string, listener: () => void) => void;
      removeEventListener?: (type: string, listener: () => void) => void;
    };
    if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') return;
    const onOnline = () => {
      if (this.paused) return;
      this.options.logger.info('network back online');
      this.reconnect();
    };
    target.addEventListener('online', onOnline);
    this.removeNetworkListener = () => target.removeEventListener?.('online', onOnline);
  }
}

/** What a plain WebSocket cannot carry, found when the namespace is opened. */
function checkPlainNamespace(spec: NamespaceSpec): void {
  for (const [name, entry] of Object.entries(spec.events)) {
    if (entry.ack) {
      throw new HcwError(
        'invalid_contract',
        `${spec.name} ${name}: a plain WebSocket has no acknowledgements; answer with a response event`,
        {
          namespace: spec.name,
          event: name,
        },
      );
    }
  }
}
