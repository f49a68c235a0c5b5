/**
 * A plain WebSocket server of docs/upstream/related-systems/plain-websocket-envelope.md, on `ws`
 * (what the Hono platform does, as the document describes it): `/ws/user` (personal notifications)
 * and `/ws/comms/chat-rooms/:room` (chat, typing, WebRTC signalling relayed to the room's other
 * participants: the sender is excluded), `{ event, payload }` envelopes from the server, client
 * messages read in either shape (`{ type, data }` as the document's clients send them, or
 * `{ event, payload }`), every payload checked against the contract (src/contracts/plain-ws.ts).
 *
 * Auth on the upgrade request (auth.ts): a bearer token in `Authorization` or in the subprotocol
 * offer; an invalid one is refused with HTTP 401 (as the platform's `authMiddleware` does), a user
 * who is not a participant of the room with 403, an unknown path with 404. With `refuse: 'close'`
 * the upgrade is accepted and then closed with 4401/4403, which browsers can read (they hide the
 * HTTP status of a refused upgrade). Messages over `maxPayloadBytes` close the connection (1009).
 *
 * Fault hooks: drop every connection, restart on the same port, go silent (stop answering and
 * sending on the open connections while keeping their TCP connections open), end with a close code.
 *
 * Layering: it imports the contract only, never the SDK client.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  checkPayload,
  clientEventNames,
  serverEventNames,
  type NamespaceSpec,
  type OutgoingPayload,
  type ServerEventName,
} from '../../src/contract/index.js';
import { plainWsRoomNamespace, plainWsUserNamespace, type PlainWsUserNamespace } from '../../src/contracts/plain-ws.js';
import { signToken, verifyToken } from '../auth/jwt.js';
import { BEARER, offeredProtocols, presentedToken } from './auth.js';

export type Route = 'user' | 'room';

/** An upgrade request as the server saw it. */
export interface Handshake {
  /** The request's path and query, as sent (a token must never be there). */
  readonly url: string;
  readonly route: Route | undefined;
  readonly room?: string;
  /** The `Authorization` header, if any. */
  readonly authorization: string | undefined;
  /** The subprotocols offered. */
  readonly protocols: readonly string[];
  /** Where the token came from. */
  readonly via: 'header' | 'protocol' | undefined;
  readonly user?: string;
  readonly outcome: 'accepted' | 'unauthorized' | 'forbidden' | 'not_found';
}

/** A client message (valid or not). */
export interface ReceivedMessage {
  readonly route: Route;
  readonly room?: string;
  readonly user: string;
  readonly event: string;
  readonly payload: unknown;
  /** The envelope shape it came in. */
  readonly shape: 'type/data' | 'event/payload' | 'none';
  readonly valid: boolean;
}

export interface PlainWsServerOptions {
  /** HS256 secret of the tokens. */
  secret?: string;
  /** The participants of each room (user ids); a room not listed has none. */
  rooms?: Record<string, readonly string[]>;
  /** Largest client message (bytes) before the server closes the connection with 1009. Default 16 KiB. */
  maxPayloadBytes?: number;
  /** How refusals are told: the upgrade's HTTP status (default) or a close code after accepting it. */
  refuse?: 'http' | 'close';
  /** Port to listen on. Default 0: a free one. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** What answers plain HTTP requests (not upgrades). Default: 426 Upgrade Required. */
  onRequest?: (request: IncomingMessage, response: ServerResponse) => void;
}

export interface PlainWsServer {
  /** `http://<host>:<port>` (127.0.0.1 unless `host`): what the client is given as `url`. */
  readonly url: string;
  readonly handshakes: Handshake[];
  readonly received: ReceivedMessage[];
  /** Contract breaks seen (invalid client payloads, unknown events, undecodable messages). */
  readonly problems: string[];
  token(user: string, ttlSeconds?: number): string;
  /** Sends a `/ws/user` event to every connection of `userId` (validated); returns how many got it. */
  notify<E extends ServerEventName<PlainWsUserNamespace>>(
    userId: string,
    event: E,
    payload: OutgoingPayload<PlainWsUserNamespace, E>,
  ): number;
  /** Sends a raw text message to every connection of `route` (bypassing the contract). */
  sendRaw(route: Route, text: string): number;
  /** Open connections (of a route). */
  connections(route?: Route): number;
  /** Users connected to a room. */
  members(room: string): string[];
  readonly faults: {
    /** Terminates every connection (no close frame): clients see the link lost (1006). */
    drop(): number;
    /** Stops listening and drops every connection, then listens again on the same port after `downMs`. */
    restart(downMs?: number): Promise<void>;
    /** The open connections go silent: nothing answered, nothing sent, TCP kept open (a half-open link). New ones are served. */
    silence(): number;
    /** Closes every connection with `code` (1000: the server ended it; 4401/4403: an in-band refusal). */
    end(code?: number, reason?: string): number;
  };
  close(): Promise<void>;
}

interface Client {
  readonly socket: WebSocket;
  readonly route: Route;
  readonly room?: string;
  readonly user: string;
  silent: boolean;
}

const ROOM_PATH = /^\/ws\/comms\/chat-rooms\/([^/]+)$/;
const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };
const CLOSE_CODES = { unauthorized: 4401, forbidden: 4403 } as const;

/** Starts the server on 127.0.0.1 (or `host`), on a free port (or `port`). */
export async function startPlainWsServer(options: PlainWsServerOptions = {}): Promise<PlainWsServer> {
  const secret = options.secret ?? 'plain-ws-secret';
  const rooms = options.rooms ?? {};
  const handshakes: Handshake[] = [];
  const received: ReceivedMessage[] = [];
  const problems: string[] = [];
  const clients = new Set<Client>();
  let messageIds = 0;
  const host = options.host ?? '127.0.0.1';
  let port = options.port ?? 0;
  let http = createServer();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? 16 * 1024,
    // Browsers fail a connection whose server selects none of the offered subprotocols.
    handleProtocols: (protocols) => (protocols.has(BEARER) ? BEARER : false),
  });

  const specOf = (route: Route): NamespaceSpec => (route === 'user' ? plainWsUserNamespace : plainWsRoomNamespace);
  const now = () => new Date().toISOString();

  /** Sends a server event of the contract (checked: a test server never sends what the contract forbids). */
  const send = (client: Client, event: string, payload: unknown) => {
    const spec = specOf(client.route);
    if (!serverEventNames(spec).includes(event)) throw new Error(`${spec.name} ${event}: not a server event of the contract`);
    const check = checkPayload(spec, event, payload);
    if (!check.ok) throw new Error(`the test server would send an invalid payload: ${check.message}`);
    if (client.silent || client.socket.readyState !== 1) return false;
    client.socket.send(JSON.stringify({ event, payload }));
    return true;
  };
  /** The room's other participants: the sender is excluded (echo prevention). */
  const others = (from: Client) => [...clients].filter((client) => client.route === 'room' && client.room === from.room && client !== from);

  const refuseHttp = (socket: Duplex, status: number) => {
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = request.url ?? '/';
    const path = new URL(url, 'http://localhost').pathname;
    const roomMatch = ROOM_PATH.exec(path);
    const route: Route | undefined = path === '/ws/user' ? 'user' : roomMatch ? 'room' : undefined;
    const room = roomMatch ? decodeURIComponent(roomMatch[1]!) : undefined;
    const presented = presentedToken(request);
    const base = {
      url,
      route,
      ...(room === undefined ? {} : { room }),
      authorization: request.headers.authorization,
      protocols: offeredProtocols(request),
      via: presented.via,
    };
    if (!route) {
      handshakes.push({ ...base, outcome: 'not_found' });
      return refuseHttp(socket, 404);
    }
    const verified = verifyToken(secret, presented.token);
    const user = verified.ok ? verified.claims.sub : undefined;
    const outcome = !user ? 'unauthorized' : route === 'room' && !(rooms[room!] ?? []).includes(user) ? 'forbidden' : 'accepted';
    handshakes.push({ ...base, ...(user === undefined ? {} : { user }), outcome });
    if (outcome !== 'accepted' && options.refuse !== 'close') return refuseHttp(socket, outcome === 'unauthorized' ? 401 : 403);
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (outcome !== 'accepted') return ws.close(CLOSE_CODES[outcome], outcome);
      accept(ws, route, user!, room);
    });
  };

  const accept = (socket: WebSocket, route: Route, user: string, room: string | undefined) => {
    const client: Client = { socket, route, user, silent: false, ...(room === undefined ? {} : { room }) };
    clients.add(client);
    socket.on('error', () => {}); // a message over the cap: ws closes with 1009 and reports it here
    socket.on('message', (data, isBinary) => onMessage(client, isBinary ? '' : (data as Buffer).toString('utf8')));
    socket.on('close', () => {
      clients.delete(client);
      if (route === 'room') for (const other of others(client)) send(other, 'user.left', { userId: user, timestamp: now() });
    });
    if (route === 'user') send(client, 'connected', { userId: user, timestamp: now() });
    else {
      send(client, 'connected', { roomId: room!, userId: user, timestamp: now() });
      for (const other of others(client)) send(other, 'user.joined', { userId: user, timestamp: now() });
    }
  };

  const onMessage = (client: Client, text: string) => {
    const spec = specOf(client.route);
    const base = { route: client.route, user: client.user, ...(client.room === undefined ? {} : { room: client.room }) };
    let message: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) message = parsed as Record<string, unknown>;
    } catch {
      // not JSON: reported below
    }
    const { event: named, type, payload: inPayload, data } = message ?? {};
    const shape = typeof named === 'string' ? 'event/payload' : typeof type === 'string' ? 'type/data' : 'none';
    const event = typeof named === 'string' ? named : typeof type === 'string' ? type : '';
    const payload = shape === 'type/data' ? data : inPayload;
    if (shape === 'none' || !clientEventNames(spec).includes(event)) {
      received.push({ ...base, event, payload, shape, valid: false });
      problems.push(`${spec.name}: not a client event of the contract: ${text.slice(0, 80)}`);
      return;
    }
    const check = checkPayload(spec, event, payload);
    // What a client sends of the two-way events: `{ text }`, not a ChatMessage.
    const valid = check.ok && (event !== 'chat.message' || typeof (payload as { text?: unknown }).text === 'string');
    received.push({ ...base, event, payload, shape, valid });
    if (!valid) {
      problems.push(`client sent ${check.ok ? `${spec.name} chat.message without text` : check.message}`);
      return;
    }
    if (!client.silent) handle(client, event, payload); // a silent server reads, and answers nothing
  };

  const handle = (client: Client, event: string, payload: unknown) => {
    if (event === 'ping') {
      send(client, 'pong', { timestamp: now() });
      return;
    }
    if (event === 'chat.message') {
      const timestamp = now();
      const message = {
        id: `msg-${++messageIds}`,
        chatRoom: client.room!,
        sender: client.user,
        timestamp,
        messageType: 'text',
        message: (payload as { text: string }).text,
        videoCallData: null,
        createdAt: timestamp,
        updatedAt: timestamp,
        createdBy: client.user,
        updatedBy: client.user,
      };
      for (const other of others(client)) send(other, 'chat.message', message);
      return;
    }
    if (event === 'chat.typing') {
      for (const other of others(client))
        send(other, 'chat.typing', { from: client.user, isTyping: (payload as { isTyping: boolean }).isTyping });
      return;
    }
    // video.offer, video.answer, video.ice-candidate: relayed as `{ type, from, data }`.
    for (const other of others(client)) send(other, event, { type: event, from: client.user, data: payload });
  };

  const listen = async () => {
    http = createServer(options.onRequest ?? ((_request: IncomingMessage, response: ServerResponse) => response.writeHead(426).end()));
    http.on('upgrade', onUpgrade);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    port = (http.address() as AddressInfo).port;
  };
  const dropAll = () => {
    const count = clients.size;
    for (const client of clients) client.socket.terminate();
    return count;
  };
  const stop = async () => {
    dropAll();
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
  };

  await listen();
  return {
    url: `http://${host}:${port}`,
    handshakes,
    received,
    problems,
    token: (user, ttlSeconds = 3600) => signToken(secret, user, 'user', ttlSeconds),
    notify(userId, event, payload) {
      let sent = 0;
      for (const client of clients) if (client.route === 'user' && client.user === userId && send(client, event, payload)) sent++;
      return sent;
    },
    sendRaw(route, text) {
      let sent = 0;
      for (const client of clients) {
        if (client.route !== route || client.silent) continue;
        client.socket.send(text);
        sent++;
      }
      return sent;
    },
    connections: (route) => [...clients].filter((client) => route === undefined || client.route === route).length,
    members: (room) => [...clients].filter((client) => client.route === 'room' && client.room === room).map((client) => client.user),
    faults: {
      drop: dropAll,
      async restart(downMs = 0) {
        await stop();
        if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
        await listen();
      },
      silence() {
        for (const client of clients) client.silent = true;
        return clients.size;
      },
      end(code = 1000, reason = '') {
        const count = clients.size;
        for (const client of clients) client.socket.close(code, reason);
        return count;
      },
    },
    async close() {
      await stop();
      wss.close();
    },
  };
}
