import { BehaviorSubject, type Observable } from 'rxjs';
import { eventSpec, type NamespaceSpec } from '../contract/index.js';
import { Channel, type ChannelHost } from './channel.js';
import { publishAggregate, type ConnectionState } from './connection-state.js';
import { ServerFeatures } from './server-features.js';
import { HcwError } from './errors.js';
import { ErrorReports } from './error-reports.js';
import { SilenceWatch } from './silence-watch.js';
import type { ResolvedOptions } from './options.js';
import type { TimerHandle } from './scheduler.js';
import { TokenSource } from './token-source.js';
import type { RealtimeConnection } from './transport.js';
import { SocketIoManager } from './socketio/manager.js';
import type { NamespaceSocket } from './socketio/namespace-socket.js';
import { webSocketClass } from './socketio/platform.js';

/** Error codes the HCW gateways put in `connect_error` data. */
const UNAUTHORIZED = 'socket_error:unauthorized';
const TOKEN_EXPIRED = 'socket_error:token_expired';
/** Fresh-token retries in a row before an expired-token loop is treated as unauthorized. */
const MAX_TOKEN_REFRESHES = 2;
/** socket.io's answer to a namespace the server does not have. */
const INVALID_NAMESPACE = 'Invalid namespace';
/** The default transport order (see `HcwClientOptions.transports`). */
const WEBSOCKET_FIRST = ['websocket', 'polling'] as const;
/** The order once a websocket attempt has timed out. */
const POLLING_FIRST = ['polling', 'websocket'] as const;

/**
 * The Socket.IO transport: owns the single {@link SocketIoManager} (one Engine.IO connection) of a
 * client and the channels multiplexed over it (each over a `NamespaceSocket`): auth, reconnection
 * by the ReconnectPolicy, dead-link watch, network and pause handling.
 */
export class Connection implements ChannelHost, RealtimeConnection {
  readonly manager: SocketIoManager;
  private readonly channels = new Map<string, Channel<NamespaceSpec, NamespaceSocket>>();
  private readonly tokens: TokenSource;
  private readonly reports: ErrorReports;
  private readonly liveness: SilenceWatch;
  private readonly stateSubject = new BehaviorSubject<ConnectionState>({ status: 'idle' });
  private readonly tokenRefreshes = new Map<string, number>();
  private lastCloseReason = 'transport close';
  /** Attempts since the last successful open, when the outage started, the pending attempt. */
  private attempt = 0;
  private outageStartedAt: number | undefined;
  private retryTimer: TimerHandle | undefined;
  /** The network came back: the attempt under way is being closed for a fresh one. */
  private replacingAttempt = false;
  private closingDeadLink = false;
  private paused = false;
  private disposed = false;
  private removeNetworkListener: (() => void) | undefined;
  /** The transport order of the next attempts: long-polling first once a websocket attempt timed out. */
  private readonly transports = { pollFirst: false };

  /** Every error the SDK reports (malformed server payloads, auth failures, ...). */
  readonly errors$: Observable<HcwError>;
  /** Aggregate state over the open namespaces (the worst one wins). */
  readonly state$: Observable<ConnectionState> = this.stateSubject.asObservable();
  /** What the server announced it adds to the reference backend (none until it does). */
  readonly features = new ServerFeatures();

  constructor(readonly options: ResolvedOptions) {
    this.tokens = new TokenSource(options.token);
    this.reports = new ErrorReports(options.logger);
    this.errors$ = this.reports.errors$;
    const transports = this.transports;
    const url = new URL(options.url, (globalThis as { location?: { href: string } }).location?.href);
    this.manager = new SocketIoManager({
      origin: `${url.protocol.replace(/^ws/, 'http')}//${url.host}`,
      path: `${options.path.replace(/\/$/, '')}/`,
      // Identity only; the token travels in each namespace's CONNECT packet (`auth`), never in the URL.
      query: { ...Object.fromEntries(url.searchParams), ...options.query },
      // Websocket first: connected after one round trip, where socket.io's default (and the
      // reference frontends') is a long-polling handshake then an upgrade: about a third of the
      // time to connect. A websocket that fails to open falls back to long-polling in the same attempt...
      transports: () => options.transports ?? (transports.pollFirst ? POLLING_FIRST : WEBSOCKET_FIRST),
      // ...and with long-polling first, once a websocket has worked in this page the next
      // connections open one directly (a transport error clears that memory); not after a websocket hung.
      rememberUpgrade: () => !transports.pollFirst,
      WebSocket: webSocketClass,
      scheduler: options.scheduler,
      connectTimeoutMs: options.connectTimeoutMs,
    });
    // ...and one that hangs (a proxy holding it) times the attempt out: long-polling first from then on.
    if (!options.transports) this.manager.on('error', (error: Error) => this.pollFirstAfterTimeout(error));
    this.manager.on('open', () => {
      this.attempt = 0;
      this.outageStartedAt = undefined;
    });
    this.manager.on('error', (error: Error) => {
      // An attempt that failed to open (server down, refused, timed out); a lost connection is a `close`.
      this.lastCloseReason = error.message;
      this.scheduleReconnect();
    });
    this.manager.on('close', (reason: string) => {
      if (this.replacingAttempt) return; // reconnect() opens the next attempt now
      this.lastCloseReason = this.closingDeadLink ? 'dead link' : reason;
      this.closingDeadLink = false;
      this.tokens.invalidate(); // the next connection asks the provider again
      // After the sockets' own `close` listeners: they must be disconnected when told of the attempt.
      queueMicrotask(() => this.scheduleReconnect());
    });
    this.liveness = new SilenceWatch(
      options.scheduler,
      options.heartbeat.probeAfterMs,
      options.heartbeat.deadLinkTimeoutMs,
      () => this.manager.probe('/hcw-liveness-probe'),
      (silentMs) => {
        options.logger.warn('dead link: no traffic, reconnecting', { silentMs });
        this.closingDeadLink = true;
        this.manager.close();
      },
    );
    const touch = () => this.liveness.touch();
    this.manager.on('packet', touch).on('ping', touch);
    if (options.watchNetwork) this.watchNetwork(url);
  }

  /** The channel of a namespace, created and connected on first use. */
  channel<NS extends NamespaceSpec>(spec: NS): Channel<NS, NamespaceSocket> {
    let channel = this.channels.get(spec.name);
    if (!channel) {
      if (this.disposed) throw new HcwError('disposed', 'client disposed', { namespace: spec.name });
      const socket = this.manager.socket(spec.name, (callback) => {
        this.tokens.get().then(
          (token) => callback({ token }),
          (error: unknown) => {
            this.report(new HcwError('token_provider_failed', 'the token provider failed', { namespace: spec.name, cause: error }));
            callback({}); // the server rejects it as unauthorized: state and errors$ tell the app
          },
        );
      });
      channel = new Channel(spec, socket, this) as unknown as Channel<NamespaceSpec, NamespaceSocket>;
      this.channels.set(spec.name, channel);
      if (eventSpec(spec, 'server_features')) {
        channel.listen('server_features', (announced) => this.features.announce((announced as { features: string[] }).features));
      }
      const opened = channel;
      channel.watchState((state) => this.onChannelState(opened, state));
      publishAggregate(this.stateSubject, this.openChannels, channel, channel.state);
      if (!this.paused) channel.connect();
    }
    return channel as unknown as Channel<NS, NamespaceSocket>;
  }

  /** Channels opened so far. */
  get openChannels(): Channel<NamespaceSpec, NamespaceSocket>[] {
    return [...this.channels.values()];
  }

  /** Current aggregate state. */
  get state(): ConnectionState {
    return this.stateSubject.value;
  }

  report(error: HcwError): void {
    this.reports.report(error);
  }

  reportDrift(error: HcwError): void {
    this.reports.reportDrift(error);
  }

  /**
   * An attempt that timed out while a websocket went first: something (a proxy) holds websockets
   * open without answering, and tryAllTransports only falls back on errors. From now on long-polling
   * goes first; it still upgrades where the websocket works. A server that is merely down fails
   * fast (connection refused) and keeps the websocket first.
   */
  private pollFirstAfterTimeout(error: Error): void {
    if (error.message !== 'timeout' || this.transports.pollFirst) return;
    this.transports.pollFirst = true;
    this.options.logger.warn('the websocket did not open in time: long-polling goes first from now on');
  }

  onConnectError(channel: Channel<NamespaceSpec>, error: Error & { data?: unknown }): void {
    const code = (error.data as { code?: unknown } | undefined)?.code;
    if (channel.socket.active) return; // engine-level failure: the Manager retries and reports attempts
    if (code === TOKEN_EXPIRED) {
      const refreshes = (this.tokenRefreshes.get(channel.name) ?? 0) + 1;
      this.tokenRefreshes.set(channel.name, refreshes);
      if (refreshes <= MAX_TOKEN_REFRESHES) {
        this.options.logger.info('token expired, fetching a new one', { namespace: channel.name });
        this.tokens.invalidate();
        channel.setState({ status: 'connecting' });
        channel.socket.connect();
        return;
      }
    }
    if (code === UNAUTHORIZED || code === TOKEN_EXPIRED) {
      const message = code === UNAUTHORIZED ? 'the server rejected the credentials' : 'the token keeps expiring';
      channel.setState({ status: 'unauthorized', message });
      this.report(new HcwError('unauthorized', `${channel.name}: ${message}`, { namespace: channel.name, cause: error }));
      return;
    }
    if (error.message === INVALID_NAMESPACE) {
      channel.setState({ status: 'unavailable', message: error.message });
      // An optional namespace is allowed to be missing: worth a line in the log, not an error.
      if (channel.spec.optional) this.options.logger.info(`${channel.name} is not offered by this server`);
      else
        this.report(
          new HcwError('unavailable', `${channel.name}: the server does not have this namespace`, {
            namespace: channel.name,
            cause: error,
          }),
        );
      return;
    }
    channel.setState({ status: 'failed', message: error.message });
    this.report(new HcwError('connection_failed', `${channel.name}: ${error.message}`, { namespace: channel.name, cause: error }));
  }

  /**
   * Reconnects every namespace that is not connected, now: after `unauthorized` (once the app has
   * a valid token again), `failed`, a server kick, or to skip the rest of a backoff wait (network
   * back). Asks the token provider again.
   */
  reconnect(): void {
    if (this.disposed) return;
    this.paused = false;
    this.tokens.invalidate();
    this.tokenRefreshes.clear();
    this.cancelRetry();
    this.attempt = 0;
    const down = [...this.channels.values()].filter((channel) => !channel.connected);
    for (const channel of down) {
      // A socket waiting for the next attempt is still active: opening the engine reconnects it.
      if (channel.socket.active) channel.setState({ status: 'connecting' });
      else channel.connect();
    }
    if (down.some((channel) => channel.socket.active)) this.manager.open(); // unless open or opening
  }

  /**
   * Disconnects without forgetting anything (React Native background, hidden tab). Queued emits
   * stay queued; `resume()` reconnects and they are flushed.
   */
  pause(): void {
    if (this.disposed || this.paused) return;
    this.paused = true;
    this.cancelRetry();
    for (const channel of this.channels.values()) channel.pause();
  }

  /** Reconnects after {@link pause}. */
  resume(): void {
    if (!this.paused) return;
    this.reconnect();
  }

  /** Closes everything: sockets, timers, listeners, subjects. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cancelRetry();
    this.removeNetworkListener?.();
    this.liveness.stop();
    for (const channel of this.channels.values()) channel.dispose();
    this.manager.removeAllListeners();
    this.manager.close();
    this.stateSubject.next({ status: 'disconnected', reason: 'client' });
    this.stateSubject.complete();
    this.reports.complete();
    this.features.dispose();
  }

  private onChannelState(channel: Channel<NamespaceSpec, NamespaceSocket>, state: ConnectionState): void {
    if (this.disposed) return;
    if (state.status === 'connected') {
      this.tokenRefreshes.delete(channel.name);
      this.liveness.start();
    } else if (!this.openChannels.some((other) => other !== channel && other.connected)) {
      this.liveness.stop();
    }
    publishAggregate(this.stateSubject, this.openChannels, channel, state);
  }

  /**
   * The connection is down (closed, or an attempt failed) while namespaces want it: asks the
   * policy for the next delay and tells each waiting namespace, or gives up (`failed`).
   */
  private scheduleReconnect(): void {
    if (this.disposed || this.paused || this.retryTimer || this.manager.readyState === 'open') return;
    const waiting = [...this.channels.values()].filter((channel) => channel.socket.active && !channel.connected);
    if (waiting.length === 0) return;
    const now = this.options.scheduler.now();
    this.outageStartedAt ??= now;
    this.attempt++;
    const context = { attempt: this.attempt, elapsedMs: now - this.outageStartedAt, cause: this.lastCloseReason };
    const delayMs = this.options.reconnectPolicy.nextDelayMs(context);
    if (delayMs === null) {
      for (const channel of waiting) channel.reconnectFailed();
      this.report(new HcwError('connection_failed', `reconnection stopped after ${this.attempt - 1} attempts (${this.lastCloseReason})`));
      return;
    }
    for (const channel of waiting) channel.reconnectScheduled(this.attempt, delayMs, this.lastCloseReason);
    this.retryTimer = this.options.scheduler.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.disposed && !this.paused) this.manager.open(); // unless open or opening
    }, delayMs);
  }

  private cancelRetry(): void {
    this.options.scheduler.clear(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** Browsers: retry at once when the network comes back instead of waiting out the backoff. */
  private watchNetwork(url: URL): void {
    const target = globalThis as unknown as {
      addEventListener?: (type: string, listener: () => void) => void;
      removeEventListener?: (type: string, listener: () => void) => void;
    };
    if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') return;
    const onOnline = () => {
      if (this.paused) return;
      this.options.logger.info('network back online');
      // An attempt started during the outage may hang until its timeout (its packets went nowhere):
      // drop it and start afresh.
      if (this.manager.readyState === 'opening') {
        this.replacingAttempt = true;
        this.manager.close();
        this.replacingAttempt = false;
      }
      this.reconnect();
    };
    // The browser knows the network is gone: the connection is lost now, not at the next missed ping
    // (Engine.IO's own rule; loopback is never offline).
    const onOffline = () => url.hostname !== 'localhost' && this.manager.lost('transport close');
    target.addEventListener('online', onOnline);
    target.addEventListener('offline', onOffline);
    this.removeNetworkListener = () => {
      target.removeEventListener?.('online', onOnline);
      target.removeEventListener?.('offline', onOffline);
    };
  }
}
