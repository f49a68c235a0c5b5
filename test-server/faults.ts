import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import { checkPayload, eventSpec, namespaceByName, payloadFields, samplePayload } from '../src/contract/index.js';
import type { InjectedFaults } from './app.js';
import { key, type Id } from './domain/errors.js';
import type { AuthState, HandshakeRecord } from './transport/auth.js';
import { dataOf } from './transport/context.js';
import type { Hub } from './transport/hub.js';

/** What `emitMalformed` sent. */
export interface MalformedPayload {
  payload: Record<string, unknown>;
  field: string;
}

/** Fault injection for tests: every hook acts on the live server. */
export interface TestServerFaults {
  /** Closes the Engine.IO connection(s) of a user without a Socket.IO disconnect packet: clients reconnect. Returns how many. */
  dropTransport(userId: Id): number;
  /** Server-side disconnect: one namespace's socket, or (no namespace) the whole connection. Clients do not reconnect by themselves. */
  kick(userId: Id, namespace?: string): number;
  /** Future handshakes of the user fail with `socket_error:unauthorized`; open connections are dropped (their reconnection is refused). */
  revokeUser(userId: Id): void;
  /** Undoes `revokeUser`. */
  restoreUser(userId: Id): void;
  /** Delays every server→client emit and ack by `ms` (0 restores). */
  delayEvents(ms: number): void;
  /** Emits anything to a user's socket(s) in a namespace, bypassing the contract. Returns how many sockets. */
  emitRaw(userId: Id, namespace: string, event: string, ...args: unknown[]): number;
  /** Emits a contract sample of `event` with one field (a required one when there is one) of the wrong type. */
  emitMalformed(userId: Id, namespace: string, event: string): MalformedPayload;
  /** A dead link: no Engine.IO pings, no emits, incoming packets ignored, new handshakes left hanging. */
  silence(on: boolean): void;
  /**
   * New connections that start with a websocket: accepted (default), refused (HTTP 403, as a proxy
   * that blocks websockets), or left hanging (a proxy that holds them). Long-polling handshakes and
   * upgrades of a long-polling connection are not affected.
   */
  websocketHandshakes(mode: 'accept' | 'refuse' | 'hang'): void;
  /** Open Engine.IO connections. */
  engineConnectionCount(): number;
  /** Handshake attempts seen by the auth middleware (accepted or rejected), all namespaces or one. */
  connectionAttempts(userId: Id, namespace?: string): number;
  /** The user's last handshakes (at most 100) as the middleware saw them: namespace, URL, query, outcome. */
  handshakes(userId: Id): HandshakeRecord[];
  /**
   * `admit_patient` fails as it does at run time on the reference backend: `error { message:
   * 'Failed to admit patient' }`, no ack, nothing changes (false restores; any profile).
   */
  failAdmissions(on: boolean): void;
}

type EngineSocket = {
  sendPacket: (...args: unknown[]) => void;
  emit: (event: string, ...args: unknown[]) => boolean;
  resetPingTimeout: () => void;
  schedulePing: () => void;
  pingTimeoutTimer: ReturnType<typeof setTimeout> | null;
  pingIntervalTimer: ReturnType<typeof setTimeout> | null;
  readyState: string;
  close: () => void;
};

/** A value of the wrong type for a sample value. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not-a-number';
  if (typeof value === 'boolean') return 'not-a-boolean';
  if (Array.isArray(value)) return 'not-an-array';
  if (value !== null && typeof value === 'object') return 'not-an-object';
  return 12345;
}

export function malformedPayload(namespace: string, event: string): MalformedPayload {
  const spec = namespaceByName(namespace);
  const entry = spec && eventSpec(spec, event);
  if (!spec || !entry) throw new Error(`${namespace} has no event ${event}`);
  const sample = samplePayload(entry.payload) as Record<string, unknown>;
  // A required field first; else an optional one (events whose fields are all optional).
  const fields = payloadFields(entry.payload).sort((a, b) => Number(b.required) - Number(a.required));
  for (const field of fields) {
    const payload = { ...sample, [field.name]: wrongType(sample[field.name]) };
    if (!checkPayload(spec, event, payload).ok) return { payload, field: field.name };
  }
  throw new Error(`${namespace} ${event}: no field whose wrong type the contract rejects`);
}

export class Faults implements TestServerFaults {
  silenced = false;
  private websocketMode: 'accept' | 'refuse' | 'hang' = 'accept';
  private readonly engines = new Set<EngineSocket>();
  private pendingHandshakes: ((error: string | null | undefined, ok: boolean) => void)[] = [];

  constructor(
    private readonly io: () => Server | undefined,
    private readonly hub: Hub,
    private readonly auth: AuthState,
    private readonly namespaces: readonly string[],
    private readonly injected: InjectedFaults,
  ) {}

  failAdmissions(on: boolean): void {
    this.injected.admissionFails = on;
  }

  /** Hooks a new Engine.IO server (called at start and after each restart). */
  attachEngine(io: Server): void {
    io.engine.on('connection', (conn: EngineSocket) => this.patch(conn));
  }

  /** Engine.IO `allowRequest`: during silence new handshakes hang, like an unreachable server. */
  allowRequest = (request: IncomingMessage, callback: (error: string | null | undefined, ok: boolean) => void): void => {
    const websocket = new URLSearchParams(request.url?.split('?')[1]).get('transport') === 'websocket';
    if (this.silenced || (websocket && this.websocketMode === 'hang')) this.pendingHandshakes.push(callback);
    else if (websocket && this.websocketMode === 'refuse') callback('websocket refused', false);
    else callback(null, true);
  };

  websocketHandshakes(mode: 'accept' | 'refuse' | 'hang'): void {
    this.websocketMode = mode;
  }

  private patch(conn: EngineSocket): void {
    this.engines.add(conn);
    const sendPacket = conn.sendPacket.bind(conn);
    const emit = conn.emit.bind(conn);
    const resetPingTimeout = conn.resetPingTimeout.bind(conn);
    conn.sendPacket = (...args) => {
      if (!this.silenced) sendPacket(...args);
    };
    conn.emit = (event, ...args) => {
      if (event === 'close') this.engines.delete(conn);
      if (this.silenced && (event === 'data' || event === 'message' || event === 'packet' || event === 'heartbeat')) return false;
      return emit(event, ...args);
    };
    // While silent the server does not time the client out either: only the client can tell.
    conn.resetPingTimeout = () => {
      if (!this.silenced) return resetPingTimeout();
      if (conn.pingTimeoutTimer) clearTimeout(conn.pingTimeoutTimer);
      conn.pingTimeoutTimer = null;
    };
  }

  private socketsOf(userId: Id, namespace?: string): Socket[] {
    const io = this.io();
    if (!io) return [];
    // Only namespaces this server has: `io.of()` would create a missing one.
    const names = (namespace ? [namespace] : this.namespaces).filter((name) => this.namespaces.includes(name));
    const found: Socket[] = [];
    for (const name of names) {
      for (const socket of io.of(name).sockets.values()) {
        if (dataOf(socket).user?.userId === key(userId)) found.push(socket);
      }
    }
    return found;
  }

  dropTransport(userId: Id): number {
    const conns = new Set(this.socketsOf(userId).map((socket) => socket.conn));
    for (const conn of conns) conn.close();
    return conns.size;
  }

  kick(userId: Id, namespace?: string): number {
    const sockets = this.socketsOf(userId, namespace);
    for (const socket of sockets) socket.disconnect(namespace === undefined);
    return sockets.length;
  }

  revokeUser(userId: Id): void {
    this.auth.revoked.add(key(userId));
    this.dropTransport(userId);
  }

  restoreUser(userId: Id): void {
    this.auth.revoked.delete(key(userId));
  }

  delayEvents(ms: number): void {
    this.hub.delayMs = Math.max(0, ms);
  }

  emitRaw(userId: Id, namespace: string, event: string, ...args: unknown[]): number {
    const sockets = this.socketsOf(userId, namespace);
    for (const socket of sockets) socket.emit(event, ...args);
    return sockets.length;
  }

  emitMalformed(userId: Id, namespace: string, event: string): MalformedPayload {
    const malformed = malformedPayload(namespace, event);
    this.emitRaw(userId, namespace, event, malformed.payload);
    return malformed;
  }

  silence(on: boolean): void {
    if (this.silenced === on) return;
    this.silenced = on;
    if (on) return;
    for (const conn of this.engines) {
      if (conn.readyState !== 'open') continue;
      if (conn.pingIntervalTimer) clearTimeout(conn.pingIntervalTimer);
      conn.schedulePing();
    }
    this.releaseHandshakes(true);
  }

  /** Lets hanging handshakes through (or refuses them when the server closes). */
  releaseHandshakes(ok: boolean): void {
    const pending = this.pendingHandshakes;
    this.pendingHandshakes = [];
    for (const callback of pending) {
      try {
        callback(ok ? null : 'server closing', ok);
      } catch {
        // the request may be gone already
      }
    }
  }

  engineConnectionCount(): number {
    return this.io()?.engine.clientsCount ?? 0;
  }

  handshakes(userId: Id): HandshakeRecord[] {
    return [...(this.auth.handshakes.get(key(userId)) ?? [])];
  }

  connectionAttempts(userId: Id, namespace?: string): number {
    const perNamespace = this.auth.attempts.get(key(userId));
    if (!perNamespace) return 0;
    if (namespace) return perNamespace.get(namespace) ?? 0;
    let total = 0;
    for (const count of perNamespace.values()) total += count;
    return total;
  }
}
