import { Manager, type Socket } from 'socket.io-client';
import { handshakeQuery, namespaces, type Role } from '../../src/contract/index.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../../test-server/index.js';

/** One client connection (one Manager) with sockets on some namespaces. */
export interface Peer {
  userId: string;
  role: Role;
  manager: Manager;
  socket(namespace: string): Socket;
  close(): void;
}

export interface PeerOptions {
  userId: string;
  role: Role;
  consultationId: string | number;
  namespaces?: string[];
  /** Token to send; default a valid one. `null` sends none. */
  token?: string | null;
  transports?: ('polling' | 'websocket')[];
  /** Wait for every namespace to connect (default true). */
  connect?: boolean;
}

const servers: TestServer[] = [];
const peers: Peer[] = [];

/** Starts a server on a random port; `cleanup()` closes it with its peers. */
export async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const started = await startTestServer({ port: 0, ...options });
  servers.push(started);
  return started;
}

export async function cleanup(): Promise<void> {
  for (const peer of peers.splice(0)) peer.close();
  const closing = servers.splice(0).map((s) => s.close());
  await Promise.all(closing);
}

/** Connects a client to the test server like the SDK does: one Manager, the union of handshake keys. */
export async function peer(srv: TestServer, options: PeerOptions): Promise<Peer> {
  const names = options.namespaces ?? ['/consultation'];
  const query = handshakeQuery(
    { consultationId: options.consultationId, userId: options.userId, role: options.role },
    namespaces.filter((spec) => names.includes(spec.name)),
  );
  const manager = new Manager(srv.url, {
    query,
    transports: options.transports ?? ['websocket'],
    reconnectionDelay: 20,
    reconnectionDelayMax: 100,
    randomizationFactor: 0,
  });
  const token = options.token === undefined ? srv.createToken(options.userId, options.role) : options.token;
  const sockets = new Map<string, Socket>();
  for (const name of names) sockets.set(name, manager.socket(name, token === null ? {} : { auth: { token } }));
  const created: Peer = {
    userId: options.userId,
    role: options.role,
    manager,
    socket(name) {
      const socket = sockets.get(name);
      if (!socket) throw new Error(`peer has no socket for ${name}`);
      return socket;
    },
    close() {
      for (const socket of sockets.values()) socket.disconnect();
      manager.engine?.close();
    },
  };
  peers.push(created);
  if (options.connect !== false) await Promise.all([...sockets.values()].map((socket) => connected(socket)));
  return created;
}

/** The namespace of a client socket (private in the typings). */
const nameOf = (socket: Socket) => (socket as unknown as { nsp: string }).nsp;

export function connected(socket: Socket, timeoutMs = 3000): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${nameOf(socket)} did not connect`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The next `event` on `socket` (matching `predicate`), or a timeout error. */
export function next<T = any>(
  socket: Socket,
  event: string,
  predicate: (payload: T) => boolean = () => true,
  timeoutMs = 3000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} on ${nameOf(socket)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** Records every payload of `event`. */
export function record<T = any>(socket: Socket, event: string): T[] {
  const values: T[] = [];
  socket.on(event, (payload: T) => values.push(payload));
  return values;
}

/** Emits with an ack and resolves with the answer. */
export function request<T = any>(socket: Socket, event: string, payload: unknown, timeoutMs = 5000): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(condition: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A server with one consultation and its two users. */
export async function scenario(options: TestServerOptions & { status?: 'SCHEDULED' | 'ACTIVE' | 'WAITING' } = {}) {
  const { status, ...serverOptions } = options;
  const srv = await server(serverOptions);
  const practitionerId = 'dr-1';
  const patientId = 'patient-1';
  const consultationId = srv.createConsultation({ practitionerId, patientId, ...(status ? { status } : {}) });
  const join = (role: Role, userId: string, names: string[] = ['/consultation'], extra: Partial<PeerOptions> = {}) =>
    peer(srv, { userId, role, consultationId, namespaces: names, ...extra });
  return {
    server: srv,
    consultationId,
    practitionerId,
    patientId,
    patient: (names?: string[], extra?: Partial<PeerOptions>) => join('PATIENT', patientId, names, extra),
    practitioner: (names?: string[], extra?: Partial<PeerOptions>) => join('PRACTITIONER', practitionerId, names, extra),
    join,
  };
}
