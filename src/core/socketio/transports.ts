import { closeNow, type WebSocketConstructor, type WebSocketLike } from '../websocket/platform.js';
import type { Binary } from './packets.js';
import { httpRequest } from './platform.js';

/** An Engine.IO packet as a transport carries it: text (`<type><data>`) or a binary message. */
export type Frame = string | Binary;

/** What a transport tells its engine. */
export interface TransportEvents {
  frames(frames: Frame[]): void;
  /** The transport is gone (never opened, lost, or closed by the server). */
  closed(reason: string): void;
}

/** One way to carry an Engine.IO session: a WebSocket, or HTTP long-polling. */
export interface EngineTransport {
  readonly name: 'websocket' | 'polling';
  send(frames: Frame[]): void;
  /** Stops, telling the server where the transport can (a long-polling close packet). No event. */
  close(): void;
}

/** Engine.IO over one WebSocket: each frame is one packet; sends before the socket opens wait for it. */
export class WebSocketTransport implements EngineTransport {
  readonly name = 'websocket';
  private readonly socket: WebSocketLike;
  private waiting: Frame[] | undefined = [];
  private closed = false;

  constructor(url: string, WebSocket: WebSocketConstructor, events: TransportEvents) {
    const socket = (this.socket = new WebSocket(url));
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      const waiting = this.waiting ?? [];
      this.waiting = undefined;
      for (const frame of waiting) socket.send(frame);
    });
    socket.addEventListener('message', (event) => !this.closed && events.frames([event.data as Frame]));
    // A failed connection closes afterwards; `ws` throws an error nobody listens to.
    socket.addEventListener('error', () => {});
    socket.addEventListener('close', () => {
      if (this.closed) return;
      this.closed = true;
      events.closed('transport close');
    });
  }

  send(frames: Frame[]): void {
    if (this.waiting) this.waiting.push(...frames);
    else for (const frame of frames) this.socket.send(frame);
  }

  close(): void {
    this.closed = true;
    closeNow(this.socket);
  }
}

const SEPARATOR = '\x1e';
let requests = 0;

/**
 * Engine.IO over HTTP long-polling (`fetch`): one GET waiting for the server's packets at a time,
 * one POST carrying the client's at a time (the server refuses overlapping ones), packets joined by
 * a record separator, binary ones as base64 (`b…`).
 */
export class PollingTransport implements EngineTransport {
  readonly name = 'polling';
  /** The session, once the handshake gave it: every request but the first carries it. */
  sid: string | undefined;
  private readonly abort = new AbortController();
  private readonly queue: Frame[] = [];
  private polling = false;
  private posting = false;
  private stopped = false;
  private onPaused: (() => void) | undefined;

  constructor(
    private readonly url: string,
    private readonly events: TransportEvents,
  ) {
    this.poll();
  }

  send(frames: Frame[]): void {
    this.queue.push(...frames);
    this.post();
  }

  /** Stops polling once the requests under way end (an upgrade to a WebSocket); `done` then. */
  pause(done: () => void): void {
    this.onPaused = done;
    this.pausedIfIdle();
  }

  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.sid !== undefined)
      httpRequest(this.address(), { method: 'POST', body: '1', signal: new AbortController().signal }).catch(() => {});
    this.abort.abort();
  }

  private address(): string {
    return `${this.url}${this.sid === undefined ? '' : `&sid=${encodeURIComponent(this.sid)}`}&t=${(requests++).toString(36)}`;
  }

  private poll(): void {
    this.polling = true;
    this.request(undefined, (text) => {
      this.polling = false;
      this.events.frames(text.split(SEPARATOR).map(decodeFrame));
      if (!this.stopped && !this.onPaused) this.poll();
      this.pausedIfIdle();
    });
  }

  private post(): void {
    if (this.posting || this.queue.length === 0 || this.sid === undefined || this.stopped) return;
    this.posting = true;
    this.request(this.queue.splice(0).map(encodeFrame).join(SEPARATOR), () => {
      this.posting = false;
      this.post();
      this.pausedIfIdle();
    });
  }

  private request(body: string | undefined, done: (text: string) => void): void {
    const init = { signal: this.abort.signal, ...(body === undefined ? {} : { method: 'POST' as const, body }) };
    httpRequest(this.address(), init)
      .then((response) => (response.status === 200 ? response.text : Promise.reject(new Error(`HTTP ${response.status}`))))
      .then(
        (text) => !this.stopped && done(text),
        () => {
          if (this.stopped) return;
          this.stopped = true;
          this.abort.abort();
          this.events.closed('transport error');
        },
      );
  }

  private pausedIfIdle(): void {
    if (!this.onPaused || this.polling || this.posting) return;
    const done = this.onPaused;
    this.onPaused = undefined;
    this.stopped = true;
    done();
  }
}

function decodeFrame(text: string): Frame {
  if (text[0] !== 'b') return text;
  const bytes = atob(text.slice(1));
  const buffer = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) buffer[i] = bytes.charCodeAt(i);
  return buffer.buffer;
}

function encodeFrame(frame: Frame): string {
  if (typeof frame === 'string') return frame;
  const view = frame instanceof ArrayBuffer ? new Uint8Array(frame) : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  let bytes = '';
  for (let i = 0; i < view.length; i++) bytes += String.fromCharCode(view[i]!);
  return `b${btoa(bytes)}`;
}
