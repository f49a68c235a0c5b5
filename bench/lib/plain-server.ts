/**
 * Worker-thread module: a plain Socket.IO server (no SDK code, no contract checks) that emits bursts
 * to one socket and counts what it receives. The receive and emit benchmarks measure the client side
 * against it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { serve } from './worker.js';

const http = createServer();
const io = new Server(http, { transports: ['websocket'] });
const chat = io.of('/chat');
let expectation: { event: string; count: number; seen: number; done: () => void } | undefined;

chat.on('connection', (socket: Socket) => {
  socket.onAny((event: string) => {
    if (!expectation || event !== expectation.event) return;
    if (++expectation.seen === expectation.count) expectation.done();
  });
});

await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const port = (http.address() as AddressInfo).port;

export const methods = {
  url: () => `http://127.0.0.1:${port}`,
  /**
   * Sends `event` `count` times to the /chat socket `socketId`, as a stream: chunks of `chunk`
   * packets per event-loop turn, so the client processes while the server writes. The Socket.IO
   * packet (`2/chat,["event",payload]`, byte for byte what `socket.emit` writes) is encoded once:
   * the server's per-event cost stays far below the client's, so the client side is what is timed.
   */
  async stream(socketId: string, event: string, payload: unknown, count: number, chunk = 500) {
    const socket = chat.sockets.get(socketId);
    if (!socket) throw new Error(`no /chat socket ${socketId}`);
    const packet = `2/chat,${JSON.stringify([event, payload])}`;
    for (let sent = 0; sent < count;) {
      const end = Math.min(count, sent + chunk);
      for (; sent < end; sent++) socket.conn.write(packet);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return count;
  },
  /** Resolves once `count` `event` packets have arrived from clients (any /chat socket). */
  expect(event: string, count: number) {
    return new Promise<number>((resolve) => {
      expectation = { event, count, seen: 0, done: () => resolve(count) };
    });
  },
  sockets: () => chat.sockets.size,
  close: async () => {
    await io.close();
  },
};
export type PlainServerMethods = typeof methods;

serve(methods);
