import type { TimerHandle } from '../scheduler.js';
import type { TransportError, TransportSocket } from '../transport-socket.js';
import { Emitter } from '../emitter.js';
import type { SocketIoManager } from './manager.js';
import { PacketType, type Packet } from './packets.js';

/** The CONNECT packet's data of each attempt (the token, asked for again every time). */
export type AuthProvider = (callback: (data: object) => void) => void;

/** Lifecycle names: a server event of these names is not delivered. */
const RESERVED = new Set(['connect', 'disconnect', 'connect_error']);

interface Ack {
  settle(error: Error | null, value?: unknown): void;
}

/**
 * One Socket.IO namespace over a {@link SocketIoManager}, as a {@link TransportSocket}: CONNECT with
 * the auth of each attempt, events both ways, acknowledgements with timeouts, the offline send
 * buffer flushed on connect, and connection-state recovery (the session id and the last offset go
 * back in the next CONNECT; `recovered` when the server restored the session).
 */
export class NamespaceSocket extends Emitter implements TransportSocket {
  connected = false;
  /** Wants the connection: `connect()` called, and neither a refusal, the server's end nor `disconnect()` since. */
  active = false;
  recovered = false;
  /** The server's id of this socket while connected. */
  id: string | undefined;
  readonly sendBuffer: Packet[] = [];
  private readonly received: Packet[] = [];
  private readonly outgoing: ((event: string, payload: unknown) => void)[] = [];
  private readonly acks = new Map<number, Ack>();
  private nextAckId = 0;
  /** Connection-state recovery: the session the server gave, the offset of the last event received. */
  private pid: string | undefined;
  private offset: string | undefined;

  constructor(
    readonly nsp: string,
    private readonly manager: SocketIoManager,
    private readonly auth: AuthProvider,
  ) {
    super();
  }

  connect(): this {
    if (this.connected) return this;
    this.active = true;
    if (this.manager.readyState === 'open') this.onOpen();
    else this.manager.open();
    return this;
  }

  disconnect(): this {
    const wasConnected = this.connected;
    if (wasConnected) this.manager.write({ type: PacketType.Disconnect, nsp: this.nsp });
    this.release();
    if (wasConnected) this.onClose('io client disconnect');
    return this;
  }

  emit(event: string, payload: unknown): this {
    this.send({ type: PacketType.Event, nsp: this.nsp, data: [event, payload] });
    return this;
  }

  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> } {
    return {
      emitWithAck: (event, payload) =>
        new Promise((resolve, reject) => {
          const id = this.nextAckId++;
          const { scheduler } = this.manager.settings;
          const timer: TimerHandle = scheduler.setTimeout(() => {
            this.acks.delete(id);
            const buffered = this.sendBuffer.findIndex((packet) => packet.id === id);
            if (buffered >= 0) this.sendBuffer.splice(buffered, 1);
            reject(new Error('operation has timed out'));
          }, ms);
          this.acks.set(id, {
            settle: (error, value) => {
              scheduler.clear(timer);
              if (error) reject(error);
              else resolve(value);
            },
          });
          this.send({ type: PacketType.Event, nsp: this.nsp, id, data: [event, payload] });
        }),
    };
  }

  onAnyOutgoing(listener: (event: string, payload: unknown) => void): this {
    this.outgoing.push(listener);
    return this;
  }

  override removeAllListeners(): this {
    this.outgoing.length = 0;
    return super.removeAllListeners();
  }

  /** The connection opened: asks to join the namespace. */
  onOpen(): void {
    this.auth((data) => {
      const resume = this.pid === undefined ? {} : { pid: this.pid, offset: this.offset };
      this.manager.write({ type: PacketType.Connect, nsp: this.nsp, data: { ...resume, ...data } });
    });
  }

  onPacket(packet: Packet): void {
    const data = packet.data as unknown[] & { sid?: unknown; pid?: unknown; message?: unknown; data?: unknown };
    switch (packet.type) {
      case PacketType.Connect:
        this.id = typeof data?.sid === 'string' ? data.sid : undefined;
        return this.onConnect(typeof data?.pid === 'string' ? data.pid : undefined);
      case PacketType.Event:
      case PacketType.BinaryEvent:
        // A recovered session's missed events come before its CONNECT: delivered right after it.
        if (this.connected) this.deliver(packet);
        else this.received.push(packet);
        return;
      case PacketType.Ack:
      case PacketType.BinaryAck: {
        const ack = this.acks.get(packet.id ?? -1);
        this.acks.delete(packet.id ?? -1);
        return ack?.settle(null, data[0]);
      }
      case PacketType.Disconnect:
        this.release();
        return this.onClose('io server disconnect');
      default: {
        this.release();
        const refusal: { message?: unknown; data?: unknown } = typeof data === 'string' ? { message: data } : data;
        const error: TransportError = Object.assign(new Error(String(refusal.message)), { data: refusal.data });
        this.fire('connect_error', error);
      }
    }
  }

  /** The connection closed (or this socket left it): acks of packets already written fail. */
  onClose(reason: string): void {
    this.connected = false;
    this.fire('disconnect', reason);
    for (const [id, ack] of this.acks) {
      if (this.sendBuffer.some((packet) => packet.id === id)) continue;
      this.acks.delete(id);
      ack.settle(new Error('socket has been disconnected'));
    }
  }

  private onConnect(pid: string | undefined): void {
    this.recovered = pid !== undefined && pid === this.pid;
    this.pid = pid;
    this.connected = true;
    for (const packet of this.received.splice(0)) this.deliver(packet);
    // In order, before `connect`: the channel resolves the queued sends when it fires.
    for (const packet of this.sendBuffer.splice(0)) this.write(packet);
    this.fire('connect');
  }

  private deliver(packet: Packet): void {
    const data = packet.data as [string, ...unknown[]];
    const last = data[data.length - 1];
    if (this.pid !== undefined && packet.id === undefined && data.length > 1 && typeof last === 'string') this.offset = last;
    if (!RESERVED.has(data[0])) this.fire(...data);
  }

  private send(packet: Packet): void {
    if (this.connected && this.manager.writable()) this.write(packet);
    else this.sendBuffer.push(packet);
  }

  private write(packet: Packet): void {
    const [event, payload] = packet.data as [string, unknown];
    for (const listener of this.outgoing) listener(event, payload);
    this.manager.write(packet);
  }

  private release(): void {
    this.active = false;
    this.manager.released();
  }
}
