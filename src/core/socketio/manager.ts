import type { Scheduler, TimerHandle } from '../scheduler.js';
import { Emitter } from '../emitter.js';
import { Engine, type EngineSettings } from './engine.js';
import { NamespaceSocket, type AuthProvider } from './namespace-socket.js';
import { encodePacket, PacketDecoder, PacketType, type Packet } from './packets.js';
import type { Frame } from './transports.js';

/** Where and how a {@link SocketIoManager} connects. */
export interface ManagerSettings extends EngineSettings {
  /** Time an attempt may take to open before it fails with `timeout`. */
  readonly connectTimeoutMs: number;
  readonly scheduler: Scheduler;
}

/**
 * One Engine.IO connection and the Socket.IO namespaces multiplexed over it (what
 * socket.io-client's Manager is, without reconnection: its owner decides when to open). Events: `open`, `close`
 * (reason), `error` (an attempt failed), `packet` and `ping` (any inbound traffic).
 */
export class SocketIoManager extends Emitter {
  engine: Engine | undefined;
  readyState: 'closed' | 'opening' | 'open' = 'closed';
  private readonly sockets = new Map<string, NamespaceSocket>();
  private readonly decoder = new PacketDecoder();
  private connectTimer: TimerHandle | undefined;

  constructor(readonly settings: ManagerSettings) {
    super();
  }

  /** The socket of a namespace (the same one if asked again). */
  socket(nsp: string, auth: AuthProvider): NamespaceSocket {
    let socket = this.sockets.get(nsp);
    if (!socket) this.sockets.set(nsp, (socket = new NamespaceSocket(nsp, this, auth)));
    return socket;
  }

  /** Starts an attempt, unless one is under way or open. */
  open(): void {
    if (this.readyState !== 'closed') return;
    this.readyState = 'opening';
    this.decoder.reset();
    const { scheduler, connectTimeoutMs } = this.settings;
    const current = () => this.engine === engine;
    const engine: Engine = new Engine(this.settings, {
      open: () => current() && this.onOpen(),
      message: (frame) => current() && this.onMessage(frame),
      ping: () => current() && this.fire('ping'),
      closed: (reason) => current() && this.onClose(reason),
      failed: (message) => current() && this.fail(message),
    });
    this.engine = engine;
    this.connectTimer = scheduler.setTimeout(() => current() && this.fail('timeout'), connectTimeoutMs, { background: true });
    engine.open();
  }

  /** Closes the connection now (every active socket is told: `forced close`). */
  close(): void {
    if (this.readyState !== 'closed') this.onClose('forced close');
  }

  /** The open connection is known to be lost (the browser went offline): it closes with `reason`. */
  lost(reason: string): void {
    if (this.readyState === 'open') this.onClose(reason);
  }

  /** Writes a packet (the connection is open). */
  write(packet: Packet): void {
    this.engine?.send(encodePacket(packet));
  }

  /** The connection can take a write now (open, and its heartbeat not overdue). */
  writable(): boolean {
    return this.readyState === 'open' && !this.engine!.expired();
  }

  /** A socket stopped wanting the connection: with none left that wants it, it closes. */
  released(): void {
    for (const socket of this.sockets.values()) if (socket.active) return;
    this.close();
  }

  /**
   * Proves the link without server cooperation: a CONNECT for a namespace nobody serves is answered
   * (CONNECT or CONNECT_ERROR), and a CONNECT that succeeded is closed again.
   */
  probe(nsp: string): void {
    if (this.readyState === 'open' && !this.sockets.has(nsp)) this.write({ type: PacketType.Connect, nsp, data: {} });
  }

  private onOpen(): void {
    this.settings.scheduler.clear(this.connectTimer);
    this.readyState = 'open';
    this.fire('open');
    for (const socket of this.sockets.values()) if (socket.active) socket.onOpen();
  }

  private onMessage(frame: Frame): void {
    this.fire('packet');
    let packet: Packet | undefined;
    try {
      packet = this.decoder.decode(frame);
    } catch {
      return this.onClose('parse error');
    }
    if (!packet) return;
    const socket = this.sockets.get(packet.nsp);
    if (socket) socket.onPacket(packet);
    else if (packet.type === PacketType.Connect) this.write({ type: PacketType.Disconnect, nsp: packet.nsp });
  }

  private onClose(reason: string): void {
    this.settings.scheduler.clear(this.connectTimer);
    this.engine?.close();
    this.engine = undefined;
    this.readyState = 'closed';
    for (const socket of this.sockets.values()) if (socket.active) socket.onClose(reason);
    this.fire('close', reason);
  }

  private fail(message: string): void {
    this.settings.scheduler.clear(this.connectTimer);
    this.engine?.close();
    this.engine = undefined;
    this.readyState = 'closed';
    this.fire('error', new Error(message));
  }
}
