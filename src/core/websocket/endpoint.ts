import { HcwError } from '../errors.js';
import { Emitter } from '../emitter.js';
import type { ResolvedOptions } from '../options.js';
import type { TimerHandle } from '../scheduler.js';
import type { TransportError, TransportSocket } from '../transport-socket.js';
import { endingOf, upgradeStatus, type RefusalCode } from './close-reason.js';
import type { EnvelopeCodec } from './envelope.js';
import { closeNow, type WebSocketEventLike, type WebSocketLike } from './platform.js';
import { SilenceWatch } from '../silence-watch.js';

/** What an endpoint needs of the connection that owns it. */
export interface EndpointHost {
  readonly options: ResolvedOptions;
  /** The token for the next attempt (the connection asks the provider again after every close). */
  token(): Promise<string>;
  /** The WebSocket opened: the reconnection backoff starts over. */
  opened(endpoint: WebSocketEndpoint): void;
  /** The first message of a connection arrived: the server took the session (it did not refuse it in-band). */
  accepted(endpoint: WebSocketEndpoint): void;
  /** The link is down (an attempt failed, or it was lost) and the endpoint still wants it: schedule the next attempt. */
  lost(endpoint: WebSocketEndpoint, cause: string): void;
  report(error: HcwError): void;
}

/** How one endpoint connects and frames its events. */
export interface EndpointSettings {
  /** The namespace (its path in the contract), for errors. */
  readonly namespace: string;
  readonly url: string;
  readonly codec: EnvelopeCodec;
  /** Opens the WebSocket of one attempt, with the token (as a header or a subprotocol). */
  readonly dial: (url: string, token: string) => WebSocketLike;
  /** The contract's client→server ping, when the namespace has one and a pong: the dead-link probe. */
  readonly ping: string | undefined;
}

/** Lifecycle names (as in Socket.IO): a server event of these names is not delivered. */
const RESERVED = new Set(['connect', 'disconnect', 'connect_error']);
const OPEN = 1;

/**
 * One endpoint of a plain WebSocket server (one namespace of the contract), as a
 * {@link TransportSocket}: the WebSocket of each attempt, the envelope codec both ways, the offline
 * queue flushed in order on open, the dead-link watch through ping/pong. A plain WebSocket never
 * resumes a session: `recovered` is always false, so the channel resyncs after every reconnection.
 * Reconnection is the owner's (`EndpointHost.lost`, by the client's ReconnectPolicy); the endpoint
 * opens when told ({@link open}).
 */
export class WebSocketEndpoint extends Emitter implements TransportSocket {
  connected = false;
  active = false;
  readonly recovered = false;
  readonly sendBuffer: [event: string, payload: unknown][] = [];
  private readonly outgoing = new Set<(event: string, payload: unknown) => void>();
  private readonly silence: SilenceWatch;
  private socket: WebSocketLike | undefined;
  /** The current attempt: callbacks of an older WebSocket (closed, replaced) are ignored. */
  private attempt = 0;
  private opening = false;
  private connectTimer: TimerHandle | undefined;
  /** What the last `error` event said (the refused upgrade's status, where the platform tells it). */
  private lastError: unknown;
  /** A message arrived on the current connection. */
  private heard = false;

  constructor(
    private readonly settings: EndpointSettings,
    private readonly host: EndpointHost,
  ) {
    super();
    const { scheduler, heartbeat, logger } = host.options;
    const ping = settings.ping;
    this.silence = new SilenceWatch(
      scheduler,
      heartbeat.probeAfterMs,
      ping === undefined ? 0 : heartbeat.deadLinkTimeoutMs,
      () => ping !== undefined && this.write(ping, undefined, false),
      (silentMs) => {
        logger.warn('dead link: no traffic, reconnecting', { namespace: settings.namespace, silentMs });
        this.drop('dead link');
      },
    );
  }

  override removeAllListeners(): this {
    this.outgoing.clear();
    return super.removeAllListeners();
  }

  onAnyOutgoing(listener: (event: string, payload: unknown) => void): this {
    this.outgoing.add(listener);
    return this;
  }

  emit(event: string, payload: unknown): this {
    if (!this.connected || this.socket?.readyState !== OPEN) this.sendBuffer.push([event, payload]);
    else this.write(event, payload);
    return this;
  }

  timeout(_ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> } {
    return {
      emitWithAck: (event) =>
        Promise.reject(
          new HcwError('unsupported', `${this.settings.namespace} ${event}: a plain WebSocket has no acknowledgements`, {
            namespace: this.settings.namespace,
            event,
          }),
        ),
    };
  }

  /** Wants the connection from now on, and opens it. */
  connect(): this {
    this.active = true;
    this.open();
    return this;
  }

  /** Closes and stops wanting it (queued sends stay, for a later `connect`). */
  disconnect(): this {
    const wasConnected = this.connected;
    this.active = false;
    this.teardown(true);
    if (wasConnected) this.fire('disconnect', 'io client disconnect');
    return this;
  }

  /** Starts an attempt now, unless one is open or under way. */
  open(): void {
    if (!this.active || this.socket || this.opening) return;
    const attempt = ++this.attempt;
    this.opening = true;
    this.host.token().then(
      (token) => attempt === this.attempt && this.dial(attempt, token),
      (error: unknown) => {
        if (attempt !== this.attempt) return;
        this.opening = false;
        const namespace = this.settings.namespace;
        this.host.report(new HcwError('token_provider_failed', 'the token provider failed', { namespace, cause: error }));
        this.host.lost(this, 'token provider failed');
      },
    );
  }

  /** Starts a new attempt now, dropping one under way (it may hang since an outage); nothing when connected. */
  restart(): void {
    if (this.connected) return;
    this.active = true;
    this.teardown(true);
    this.open();
  }

  /** Drops the attempt under way or the open link (it is dead, or hanging) and reports it lost. */
  drop(cause: string): void {
    const wasConnected = this.connected;
    this.teardown(true);
    if (!this.active) return;
    if (wasConnected) this.fire('disconnect', cause);
    this.host.lost(this, cause);
  }

  private dial(attempt: number, token: string): void {
    const { scheduler, connectTimeoutMs } = this.host.options;
    let socket: WebSocketLike;
    try {
      socket = this.settings.dial(this.settings.url, token);
    } catch (error) {
      this.opening = false;
      this.lastError = undefined;
      return this.host.lost(this, `connection failed (${error instanceof Error ? error.message : String(error)})`);
    }
    this.socket = socket;
    this.lastError = undefined;
    this.connectTimer = scheduler.setTimeout(() => this.drop('timeout'), connectTimeoutMs, { background: true });
    const current = (handle: (event: WebSocketEventLike) => void) => (event: WebSocketEventLike) => {
      if (attempt === this.attempt) handle(event);
    };
    socket.addEventListener(
      'open',
      current(() => this.onOpen()),
    );
    socket.addEventListener(
      'message',
      current((event) => this.onMessage(event.data)),
    );
    socket.addEventListener(
      'error',
      current((event) => (this.lastError = event.message)),
    );
    socket.addEventListener(
      'close',
      current((event) => this.onClose(event.code ?? 1006, event.reason ?? '')),
    );
  }

  private onOpen(): void {
    this.host.options.scheduler.clear(this.connectTimer);
    this.opening = false;
    this.connected = true;
    this.heard = false;
    // In order, before `connect`: the channel resolves the queued sends when it fires.
    for (const [event, payload] of this.sendBuffer.splice(0)) this.write(event, payload);
    this.silence.start();
    this.host.opened(this);
    this.fire('connect');
  }

  private onMessage(data: unknown): void {
    this.silence.touch();
    if (!this.heard) {
      this.heard = true;
      this.host.accepted(this);
    }
    const text = typeof data === 'string' ? data : textOf(data);
    const envelope = text === undefined ? undefined : this.settings.codec.decode(text);
    const namespace = this.settings.namespace;
    if (!envelope) {
      this.host.report(new HcwError('malformed_event', `${namespace}: a message without an event (${preview(text)})`, { namespace }));
      return;
    }
    if (RESERVED.has(envelope.event)) return;
    this.fire(envelope.event, envelope.payload);
  }

  private onClose(code: number, reason: string): void {
    const wasConnected = this.connected;
    const status = upgradeStatus(this.lastError);
    this.teardown(false);
    const ending = endingOf(code, reason || errorText(this.lastError), status, wasConnected);
    if (ending.kind === 'lost') {
      if (wasConnected) this.fire('disconnect', ending.cause);
      if (this.active) this.host.lost(this, ending.cause);
      return;
    }
    // The server's word: not retried by itself.
    if (ending.kind === 'ended') {
      this.active = false;
      this.fire('disconnect', 'io server disconnect');
      return;
    }
    if (wasConnected) this.fire('disconnect', 'transport close'); // still active: the refusal below decides
    this.active = false;
    this.fire('connect_error', refusal(ending.code, ending.message));
  }

  /** Writes one event (the socket is open). `announce`: tell the outgoing listeners (not for pings). */
  private write(event: string, payload: unknown, announce = true): void {
    this.socket?.send(this.settings.codec.encode(event, payload));
    if (announce) for (const listener of this.outgoing) listener(event, payload);
  }

  /** Forgets the WebSocket of the current attempt; `close`: close it too (its events are ignored from now on). */
  private teardown(close: boolean): void {
    const socket = this.socket;
    this.attempt++;
    this.socket = undefined;
    this.opening = false;
    this.connected = false;
    this.silence.stop();
    this.host.options.scheduler.clear(this.connectTimer);
    this.connectTimer = undefined;
    if (close && socket && socket.readyState < 2) closeNow(socket);
  }
}

function refusal(code: RefusalCode, message: string): TransportError {
  return Object.assign(new Error(message), { data: { code } });
}

function textOf(data: unknown): string | undefined {
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return undefined;
}

/** What an error event said (`ws` and React Native say why an attempt failed; browsers say nothing). */
function errorText(message: unknown): string {
  return typeof message === 'string' ? message : '';
}

function preview(text: string | undefined): string {
  if (text === undefined) return 'a binary frame';
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
