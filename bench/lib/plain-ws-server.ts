/**
 * Child-process module: a raw `ws` server (no SDK code, no contract checks) that streams bursts of
 * one `{ event, payload }` message to one connection, told apart by the last segment of its path
 * (`/ws/comms/chat-rooms/<id>`). The plain WebSocket receive benchmark measures the client side.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveChild } from './child-process.js';

const http = createServer();
const wss = new WebSocketServer({ server: http, handleProtocols: (protocols) => (protocols.has('bearer') ? 'bearer' : false) });
const connections = new Map<string, WebSocket>();
wss.on('connection', (socket, request) => {
  const id = (request.url ?? '').split('/').pop() ?? '';
  connections.set(id, socket);
  socket.on('close', () => connections.get(id) === socket && connections.delete(id));
});

await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const port = (http.address() as AddressInfo).port;

export const methods = {
  url: () => `http://127.0.0.1:${port}`,
  /** Whether the connection `id` is open. */
  has: (id: string) => connections.has(id),
  /**
   * Sends `{ event, payload }` `count` times to connection `id`, `chunk` messages per event-loop
   * turn, encoded once: the server's cost per message stays far below the client's.
   */
  async stream(id: string, event: string, payload: unknown, count: number, chunk = 500) {
    const socket = connections.get(id);
    if (!socket) throw new Error(`no connection ${id}`);
    const text = JSON.stringify({ event, payload });
    for (let sent = 0; sent < count;) {
      const end = Math.min(count, sent + chunk);
      for (; sent < end; sent++) socket.send(text);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return count;
  },
  close: async () => {
    for (const socket of connections.values()) socket.terminate();
    await new Promise<void>((resolve) => wss.close(() => http.close(() => resolve())));
  },
};
export type PlainWsServerMethods = typeof methods;

serveChild(methods);
