/**
 * A test server built from any contract: real Socket.IO on loopback, one listener per client event
 * of each namespace (derived from the contract, payloads checked with `checkPayload`), the
 * contract's rooms kept as socket.io rooms, a JWT check with the `socket_error:*` connect errors
 * the SDK acts on, and fault hooks. It knows nothing of any system: the domain comes in as handlers.
 *
 * Layering: it imports the contract (`src/contract`), never the SDK client.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Namespace, type Socket } from 'socket.io';
import {
  checkAck,
  checkPayload,
  clientEventNames,
  eventSpec,
  samplePayload,
  serverEventNames,
  type AckPayload,
  type ClientEventName,
  type HasAck,
  type IncomingPayload,
  type NamespaceSpec,
  type OutgoingPayload,
  type ServerEventName,
} from '../../src/contract/index.js';
import { signToken, verifyToken } from '../auth/jwt.js';

/** A contract: namespaces by the key the client names their services with. */
export type Contract = { readonly [key: string]: NamespaceSpec };

type Rooms<NS extends NamespaceSpec> = NonNullable<NS['rooms']>;
/** The contract rooms of a namespace. */
export type RoomName<NS extends NamespaceSpec> = keyof Rooms<NS> & string;
/** What a room is joined with: the payload of its join event. */
export type JoinParams<NS extends NamespaceSpec, R extends RoomName<NS>> = Rooms<NS>[R] extends { join: infer J extends string }
  ? J extends ClientEventName<NS>
    ? IncomingPayload<NS, J>
    : never
  : never;

/** Where a server event goes: a contract room, one socket, a raw socket.io room; nothing = the whole namespace. */
export type Target<NS extends NamespaceSpec> =
  | { [R in RoomName<NS>]: { room: R; params: JoinParams<NS, R> } }[RoomName<NS>]
  | { socket: string }
  | { rawRoom: string | readonly string[] };

/** What a handler answers: the ack for acknowledged events (a valid one is derived from the contract when omitted). */
export type Answer<NS extends NamespaceSpec, E extends ClientEventName<NS>> =
  HasAck<NS['events'][E]> extends true ? AckPayload<NS, E> | Failure | void : void;
/** A failure ack, as servers answer (`{ error, code? }` or `{ success: false, message }`). */
export type Failure = { error: string; code?: string } | { success: false; message: string };

/** Thrown by a handler to refuse: a failure ack, or the contract's `error` event when the event has no ack. The room is not joined. */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly code = 'refused',
  ) {
    super(message);
  }
}

/** What a handler can do besides answering. */
export interface HandlerContext<C extends Contract, K extends keyof C> {
  readonly socket: Socket;
  /** The token's subject (without `auth`: the token itself). */
  readonly user: string | undefined;
  readonly server: ContractServer<C>;
  /** Sends a server event of the contract to this socket (validated). */
  readonly emit: <E extends ServerEventName<C[K]>>(event: E, payload: OutgoingPayload<C[K], E>) => void;
  /** Sends a server event to a target (default: the whole namespace), this socket excluded. */
  readonly broadcast: <E extends ServerEventName<C[K]>>(event: E, payload: OutgoingPayload<C[K], E>, target?: Target<C[K]>) => void;
}

export type EventHandler<C extends Contract, K extends keyof C, E extends ClientEventName<C[K]>> = (
  payload: IncomingPayload<C[K], E>,
  context: HandlerContext<C, K>,
) => Answer<C[K], E> | Promise<Answer<C[K], E>>;

/** The domain of one namespace. */
export interface NamespaceHandlers<C extends Contract, K extends keyof C> {
  /** A socket connected (after the token check). */
  connection?(context: HandlerContext<C, K>): void;
  disconnect?(context: HandlerContext<C, K>, reason: string): void;
  /** Per client event; events without one are validated, recorded and answered with a valid ack. */
  events?: { [E in ClientEventName<C[K]>]?: EventHandler<C, K, E> };
  /** The socket.io room of a contract room per join payload. Default: `<room>:<payload as JSON>`. */
  roomNames?: { [R in RoomName<C[K]>]?: (params: JoinParams<C[K], R>) => string };
}

export interface ContractServerOptions<C extends Contract> {
  handlers?: { [K in keyof C]?: NamespaceHandlers<C, K> };
  /**
   * HS256 JWTs in `auth.token` (or the `token` query parameter): a missing or invalid one is refused
   * with `socket_error:unauthorized`, an expired one with `socket_error:token_expired`. Without it
   * every token is accepted, and it is the user.
   */
  auth?: { secret: string };
  /** Engine.IO's packet size limit (socket.io's default: 1 MB). */
  maxHttpBufferSize?: number;
  /** socket.io connection-state recovery (default off: every reconnection is a new session, rooms lost). */
  recovery?: boolean;
  /** The address to listen on (default 127.0.0.1; a veth's address for a client in a network namespace). */
  host?: string;
}

/** A client event the server received (valid or not). */
export interface ReceivedEvent {
  namespace: string;
  event: string;
  payload: unknown;
  user: string | undefined;
  valid: boolean;
}

/** A handshake seen by the token check. */
export interface Attempt {
  namespace: string;
  outcome: 'accepted' | 'socket_error:unauthorized' | 'socket_error:token_expired';
}

export interface ContractServer<C extends Contract> {
  readonly url: string;
  readonly contract: C;
  /** The live socket.io server (a new one after `faults.restart`). */
  readonly io: Server;
  readonly received: ReceivedEvent[];
  readonly attempts: Attempt[];
  /** Contract breaks seen: invalid payloads, events the contract does not have, invalid answers. */
  readonly problems: string[];
  /** A token the server accepts (or, with a negative `ttlSeconds`, one it reports expired). */
  token(user: string, ttlSeconds?: number): string;
  /** Sends a server event of the contract (validated: throws on an invalid payload). */
  emit<K extends keyof C & string, E extends ServerEventName<C[K]>>(
    key: K,
    event: E,
    payload: OutgoingPayload<C[K], E>,
    target?: Target<C[K]>,
  ): void;
  /** Sends anything, bypassing the contract. */
  emitRaw<K extends keyof C & string>(key: K, event: string, payload: unknown, target?: Target<C[K]>): void;
  /** The connected sockets of a namespace. */
  sockets<K extends keyof C & string>(key: K): Socket[];
  /** Socket ids in a contract room. */
  members<K extends keyof C & string, R extends RoomName<C[K]>>(key: K, room: R, params: JoinParams<C[K], R>): string[];
  readonly faults: {
    /** Closes every Engine.IO connection without a Socket.IO disconnect: clients reconnect (sessions lost unless `recovery`). */
    dropTransport(): number;
    /** Server-side disconnect of every socket of one namespace (or all): clients do not reconnect by themselves. */
    kick(key?: keyof C & string): number;
    /** Stops the server, then starts a new one on the same port after `downMs`: every session and room is lost. */
    restart(downMs?: number): Promise<void>;
  };
  close(): Promise<void>;
}

/** The handlers as the server reads them (event names are strings at run time). */
interface UntypedHandlers {
  connection?(context: HandlerContext<Contract, string>): void;
  disconnect?(context: HandlerContext<Contract, string>, reason: string): void;
  events?: Record<string, ((payload: unknown, context: HandlerContext<Contract, string>) => unknown) | undefined>;
  roomNames?: Record<string, ((params: unknown) => string) | undefined>;
}

const failed = (answer: unknown): boolean =>
  typeof answer === 'object' &&
  answer !== null &&
  (typeof (answer as { error?: unknown }).error === 'string' || (answer as { success?: unknown }).success === false);

/** Starts a server speaking `contract` on 127.0.0.1 (or `options.host`), on a free port. */
export async function startContractServer<C extends Contract>(
  contract: C,
  options: ContractServerOptions<C> = {},
): Promise<ContractServer<C>> {
  const keys = Object.keys(contract) as (keyof C & string)[];
  const received: ReceivedEvent[] = [];
  const attempts: Attempt[] = [];
  const problems: string[] = [];
  let io: Server;
  let port = 0;
  const host = options.host ?? '127.0.0.1';

  const handlersOf = (key: keyof C) => (options.handlers?.[key] ?? {}) as unknown as UntypedHandlers;
  const specOf = (key: keyof C): NamespaceSpec => contract[key]!;

  const roomName = (key: keyof C, room: string, params: unknown): string => {
    const name = handlersOf(key).roomNames?.[room];
    return name ? name(params) : `${room}:${JSON.stringify(params)}`;
  };
  const resolveTarget = (key: keyof C, target: Target<NamespaceSpec> | undefined): string | string[] | undefined => {
    if (!target) return undefined;
    if ('socket' in target) return target.socket;
    if ('rawRoom' in target) return typeof target.rawRoom === 'string' ? target.rawRoom : [...target.rawRoom];
    return roomName(key, target.room, target.params);
  };

  /** Sends `event` after checking it against the contract: a test server never sends what the contract forbids. */
  const checked = (key: keyof C, event: string, payload: unknown): unknown => {
    const spec = specOf(key);
    if (!serverEventNames(spec).includes(event)) throw new Error(`${spec.name} ${event}: not a server event of the contract`);
    const result = checkPayload(spec, event, payload);
    if (!result.ok) throw new Error(`the test server would send an invalid payload: ${result.message}`);
    return payload;
  };
  const send = (key: keyof C, event: string, payload: unknown, target?: Target<NamespaceSpec>, from?: Socket) => {
    const room = resolveTarget(key, target);
    if (from) (room === undefined ? from.broadcast : from.to(room)).emit(event, payload);
    else (room === undefined ? io.of(specOf(key).name) : io.of(specOf(key).name).to(room)).emit(event, payload);
  };

  const context = (key: keyof C, socket: Socket): HandlerContext<Contract, string> => ({
    socket,
    user: (socket.data as { user?: string }).user,
    server: server as unknown as ContractServer<Contract>,
    emit: (event, payload) => socket.emit(event, checked(key, event, payload)),
    broadcast: (event, payload, target) => send(key, event, checked(key, event, payload), target, socket),
  });

  /** One listener per client event of the contract: validate, record, handle, answer, keep rooms. */
  const listen = (key: keyof C, socket: Socket) => {
    const spec = specOf(key);
    const handlers = handlersOf(key);
    const joins = new Map(Object.entries(spec.rooms ?? {}).map(([room, { join }]) => [join, room]));
    const leaves = new Map(Object.entries(spec.rooms ?? {}).flatMap(([room, { leave }]) => (leave ? [[leave, room] as const] : [])));
    const user = (socket.data as { user?: string }).user;
    const refuse = (event: string, refusal: Refusal, ack?: (answer: unknown) => void) => {
      if (ack) return ack({ error: refusal.message, code: refusal.code });
      if (!serverEventNames(spec).includes('error')) return;
      const notice = { message: refusal.message, code: refusal.code, event };
      if (checkPayload(spec, 'error', notice).ok) socket.emit('error', notice);
      else problems.push(`${spec.name} error: the contract's error event cannot carry a refusal`);
    };

    for (const event of clientEventNames(spec)) {
      const entry = eventSpec(spec, event)!;
      socket.on(event, async (payload: unknown, ...rest: unknown[]) => {
        const ack = typeof rest.at(-1) === 'function' ? (rest.at(-1) as (answer: unknown) => void) : undefined;
        const check = checkPayload(spec, event, payload);
        received.push({ namespace: spec.name, event, payload, user, valid: check.ok });
        if (!check.ok) {
          problems.push(`client sent ${check.message}`);
          return refuse(event, new Refusal(check.message, 'invalid_payload'), ack);
        }
        let answer: unknown;
        try {
          answer = await handlers.events?.[event]?.(check.value, context(key, socket));
        } catch (error) {
          if (error instanceof Refusal) return refuse(event, error, ack);
          problems.push(`${spec.name} ${event}: the handler threw ${String(error)}`);
          return refuse(event, new Refusal('internal error', 'internal'), ack);
        }
        if (!failed(answer)) {
          const room = joins.get(event) ?? leaves.get(event);
          if (room !== undefined) {
            const name = roomName(key, room, check.value);
            if (joins.has(event)) await socket.join(name);
            else await socket.leave(name);
          }
        }
        if (!entry.ack) return;
        answer ??= samplePayload(entry.ack);
        const valid = failed(answer) || checkAck(spec, event, answer).ok;
        if (!valid) problems.push(`${spec.name} ${event}: the handler answered an invalid ack`);
        ack?.(answer);
      });
    }
    // The bug class of a mismatch (two sides on different names) shows here, not as silence.
    socket.onAny((event: string) => {
      if (!clientEventNames(spec).includes(event)) problems.push(`${spec.name} ${event}: not a client event of the contract`);
    });
  };

  const authenticate = (namespace: string) => (socket: Socket, next: (error?: Error) => void) => {
    // Tokens travel only in `auth`, never in the URL.
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (!options.auth) {
      (socket.data as { user?: string }).user = typeof token === 'string' ? token : undefined;
      attempts.push({ namespace, outcome: 'accepted' });
      return next();
    }
    const verified = verifyToken(options.auth.secret, token);
    if (verified.ok) {
      (socket.data as { user?: string }).user = verified.claims.sub;
      attempts.push({ namespace, outcome: 'accepted' });
      return next();
    }
    const code = verified.reason === 'expired' ? 'socket_error:token_expired' : 'socket_error:unauthorized';
    attempts.push({ namespace, outcome: code });
    next(Object.assign(new Error(code === 'socket_error:token_expired' ? 'token expired' : 'unauthorized'), { data: { code } }));
  };

  const start = async () => {
    const http = createServer();
    io = new Server(http, {
      ...(options.maxHttpBufferSize ? { maxHttpBufferSize: options.maxHttpBufferSize } : {}),
      ...(options.recovery ? { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } } : {}),
    });
    for (const key of keys) {
      const nsp: Namespace = io.of(specOf(key).name);
      nsp.use(authenticate(specOf(key).name));
      nsp.on('connection', (socket) => {
        listen(key, socket);
        handlersOf(key).connection?.(context(key, socket));
        socket.on('disconnect', (reason) => handlersOf(key).disconnect?.(context(key, socket), reason));
      });
    }
    await new Promise<void>((resolve) => http.listen(port, host, resolve));
    port = (http.address() as AddressInfo).port;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      void io.close(() => resolve());
    });

  await start();
  const server: ContractServer<C> = {
    url: `http://${host}:${port}`,
    contract,
    get io() {
      return io;
    },
    received,
    attempts,
    problems,
    token: (user, ttlSeconds = 3600) => {
      if (!options.auth) return user;
      return signToken(options.auth.secret, user, 'user', ttlSeconds);
    },
    emit: (key, event, payload, target) => send(key, event, checked(key, event, payload), target as Target<NamespaceSpec>),
    emitRaw: (key, event, payload, target) => send(key, event, payload, target as Target<NamespaceSpec>),
    sockets: (key) => [...io.of(specOf(key).name).sockets.values()],
    members: (key, room, params) => [...(io.of(specOf(key).name).adapter.rooms.get(roomName(key, room, params)) ?? [])],
    faults: {
      dropTransport() {
        const engines = new Set(keys.flatMap((key) => server.sockets(key).map((socket) => socket.conn)));
        for (const engine of engines) engine.close();
        return engines.size;
      },
      kick(key) {
        let kicked = 0;
        for (const k of key === undefined ? keys : [key]) {
          for (const socket of io.of(specOf(k).name).sockets.values()) {
            socket.disconnect();
            kicked++;
          }
        }
        return kicked;
      },
      async restart(downMs = 0) {
        await stop();
        if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
        await start();
      },
    },
    close: stop,
  };
  return server;
}
