import type { Scheduler, TimerHandle } from '../scheduler.js';
import type { WebSocketConstructor } from '../websocket/platform.js';
import { PollingTransport, WebSocketTransport, type EngineTransport, type Frame, type TransportEvents } from './transports.js';

export type TransportName = 'polling' | 'websocket';

/** Where and how an {@link Engine} connects. */
export interface EngineSettings {
  /** `http(s)://host[:port]` */
  readonly origin: string;
  /** The Engine.IO path, with its trailing slash (`/socket.io/`). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Tried in order within one attempt until one opens. */
  readonly transports: () => readonly TransportName[];
  /** With long-polling first: open a WebSocket directly once one has worked in this page. */
  readonly rememberUpgrade: () => boolean;
  readonly WebSocket: () => WebSocketConstructor | undefined;
  readonly scheduler: Scheduler;
}

/** What an {@link Engine} tells its owner. */
export interface EngineEvents {
  open(): void;
  /** One message packet (its text without the type, or binary). */
  message(frame: Frame): void;
  ping(): void;
  /** The open session ended (`transport close`, `transport error`, `ping timeout`). */
  closed(reason: string): void;
  /** No transport could open the session. */
  failed(message: string): void;
}

/** A WebSocket worked in this page (engine.io-client's `priorWebsocketSuccess`). */
let websocketWorked = false;

/** Tests: a fresh page, where no WebSocket has worked yet. */
export function forgetWebsocketSuccess(): void {
  websocketWorked = false;
}

/**
 * One Engine.IO v4 session: the handshake, the server's heartbeat (pings answered; none for
 * pingInterval + pingTimeout closes it), the transports tried in turn, and the upgrade of a
 * long-polling session to a WebSocket (probe, pause, switch) when the server offers it.
 */
export class Engine {
  readyState: 'opening' | 'open' | 'closed' = 'opening';
  transport: EngineTransport | undefined;
  private readonly candidates: TransportName[];
  private sid: string | undefined;
  private probe: EngineTransport | undefined;
  /** Messages written while the transport is being switched. */
  private held: Frame[] | undefined;
  private heartbeat: TimerHandle | undefined;
  private deadline = 0;
  /** pingInterval + pingTimeout: the longest silence between two pings. */
  private interval = 45_000;

  constructor(
    private readonly settings: EngineSettings,
    private readonly events: EngineEvents,
  ) {
    const order = [...settings.transports()];
    const direct = order[0] !== 'websocket' && order.includes('websocket') && settings.rememberUpgrade() && websocketWorked;
    this.candidates = direct ? ['websocket', ...order.filter((name) => name !== 'websocket')] : order;
  }

  /** Starts the first transport. */
  open(): void {
    this.next('no transport');
  }

  /** Sends message packets (held while the transport is switched). */
  send(frames: Frame[]): void {
    const messages = frames.map((frame) => (typeof frame === 'string' ? `4${frame}` : frame));
    if (this.held) this.held.push(...messages);
    else this.transport?.send(messages);
  }

  /**
   * The server's heartbeat is overdue (timers were throttled: a sleeping laptop, a locked phone):
   * the session is closed now rather than written to.
   */
  expired(): boolean {
    if (this.readyState !== 'open' || this.settings.scheduler.now() <= this.deadline) return false;
    queueMicrotask(() => this.end('ping timeout'));
    return true;
  }

  /** Closes without an event (the owner closed it). */
  close(): void {
    this.readyState = 'closed';
    this.settings.scheduler.clear(this.heartbeat);
    this.transport?.close();
    this.probe?.close();
  }

  private next(lastError: string): void {
    const name = this.candidates.shift();
    if (!name) {
      this.readyState = 'closed';
      return this.events.failed(lastError);
    }
    try {
      this.transport = this.create(name, (transport) => ({
        frames: (frames) => transport() === this.transport && this.onFrames(frames),
        closed: (reason) => {
          if (transport() !== this.transport) return;
          if (this.readyState === 'opening') this.next(`${name} error`);
          else this.end(reason);
        },
      }));
    } catch {
      this.next(`${name} error`);
    }
  }

  private create(name: TransportName, events: (self: () => EngineTransport | undefined) => TransportEvents): EngineTransport {
    const params = new URLSearchParams({ ...this.settings.query, EIO: '4', transport: name });
    if (this.sid !== undefined) params.set('sid', this.sid);
    const url = `${this.settings.origin}${this.settings.path}?${params}`;
    let transport: EngineTransport | undefined;
    const self = () => transport;
    if (name === 'polling') return (transport = new PollingTransport(url, events(self)));
    const WebSocket = this.settings.WebSocket();
    if (!WebSocket) throw new Error('no WebSocket');
    return (transport = new WebSocketTransport(url.replace(/^http/, 'ws'), WebSocket, events(self)));
  }

  private onFrames(frames: Frame[]): void {
    for (const frame of frames) {
      if (this.readyState === 'closed') return;
      if (typeof frame !== 'string') this.events.message(frame);
      else if (frame[0] === '4') this.events.message(frame.slice(1));
      else if (frame[0] === '2') {
        this.transport?.send(['3']);
        this.beat();
        this.events.ping();
      } else if (frame[0] === '1') this.end('transport close');
      else if (frame[0] === '0' && this.readyState === 'opening') this.onHandshake(frame.slice(1));
    }
  }

  private onHandshake(json: string): void {
    let handshake: { sid?: unknown; upgrades?: unknown; pingInterval?: unknown; pingTimeout?: unknown };
    try {
      handshake = JSON.parse(json) as typeof handshake;
    } catch {
      handshake = {};
    }
    if (typeof handshake.sid !== 'string') return this.end('parse error');
    this.sid = handshake.sid;
    this.interval = (Number(handshake.pingInterval) || 25_000) + (Number(handshake.pingTimeout) || 20_000);
    this.readyState = 'open';
    const transport = this.transport;
    if (transport instanceof PollingTransport) transport.sid = this.sid;
    else websocketWorked = true;
    this.beat();
    this.events.open();
    const upgrades = Array.isArray(handshake.upgrades) ? handshake.upgrades : [];
    if (transport instanceof PollingTransport && upgrades.includes('websocket') && this.settings.transports().includes('websocket')) {
      this.upgrade(transport);
    }
  }

  /** Resets the heartbeat watch: the server pings every pingInterval and allows pingTimeout for each. */
  private beat(): void {
    const { scheduler } = this.settings;
    scheduler.clear(this.heartbeat);
    this.deadline = scheduler.now() + this.interval;
    this.heartbeat = scheduler.setTimeout(() => this.end('ping timeout'), this.interval, { background: true });
  }

  /** Probes a WebSocket on the session; once the server answers, pauses long-polling and switches. */
  private upgrade(polling: PollingTransport): void {
    let switched = false;
    const giveUp = () => {
      if (switched || this.probe !== probe) return;
      this.probe = undefined;
      probe?.close();
      websocketWorked = false;
      this.flushHeld();
    };
    let probe: EngineTransport | undefined;
    try {
      probe = this.create('websocket', () => ({
        frames: (frames) => {
          if (switched) return this.transport === probe && this.onFrames(frames);
          if (frames[0] !== '3probe' || this.transport !== polling) return giveUp();
          this.held ??= [];
          polling.pause(() => {
            if (this.transport !== polling || this.probe !== probe) return;
            switched = true;
            this.probe = undefined;
            this.transport = probe;
            websocketWorked = true;
            probe!.send(['5']);
            this.flushHeld();
          });
        },
        closed: (reason) => (switched ? this.transport === probe && this.end(reason) : giveUp()),
      }));
    } catch {
      return;
    }
    this.probe = probe;
    probe.send(['2probe']);
  }

  private flushHeld(): void {
    const held = this.held;
    this.held = undefined;
    if (held?.length) this.transport?.send(held);
  }

  private end(reason: string): void {
    if (this.readyState === 'closed') return;
    this.close();
    this.events.closed(reason);
  }
}
