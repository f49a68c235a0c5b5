/** What a WebSocket event carries, as far as the SDK reads it (the browser's, React Native's and `ws`'s agree). */
export interface WebSocketEventLike {
  /** `message`: the frame (a string for text frames). */
  readonly data?: unknown;
  /** `close`: the close code (1006 when the connection was lost or refused at the upgrade). */
  readonly code?: number;
  readonly reason?: string;
  /** `error`: React Native and `ws` say what failed (`Unexpected server response: 401`); browsers do not. */
  readonly message?: unknown;
}

/** The part of a WebSocket the SDK uses: the browser's, React Native's and the `ws` package's have it. */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The subprotocol the server selected (`''` for none). */
  readonly protocol: string;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: WebSocketEventLike) => void): void;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  /** How binary frames arrive; the Socket.IO transport asks for `arraybuffer`. */
  binaryType?: string;
  close(code?: number, reason?: string): void;
}

/**
 * A WebSocket class: `new WebSocket(url, protocols, { headers })`. The third argument is what
 * React Native and `ws` read to send headers; browsers ignore it (they cannot set headers).
 */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: { headers?: Record<string, string> },
) => WebSocketLike;

/** Where the transport finds its WebSocket class and whether that class sends headers. */
export interface WebSocketPlatform {
  /** Looked up at each connection (a polyfill installed after the client was created is found). */
  readonly WebSocket: () => WebSocketConstructor | undefined;
  /** The class sends the `headers` it is given (Node's `ws`, React Native), so the token can go in `Authorization`. */
  readonly headers: boolean;
}

/** React Native's JavaScript environment (its `navigator.product`). */
const isReactNative = () => (globalThis as { navigator?: { product?: unknown } }).navigator?.product === 'ReactNative';

/**
 * Browsers and React Native: the global `WebSocket`. React Native's accepts `{ headers }` as its
 * third argument; a browser's cannot send headers.
 */
export const globalPlatform: WebSocketPlatform = {
  WebSocket: () => (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket,
  get headers() {
    return isReactNative();
  },
};

/** Closes at once: `ws` sockets are terminated (no closing handshake to wait for on a dead link). */
export function closeNow(socket: WebSocketLike): void {
  if (socket.readyState > 1) return;
  const terminate = (socket as { terminate?: () => void }).terminate;
  try {
    if (typeof terminate === 'function') terminate.call(socket);
    else socket.close(1000);
  } catch {
    // a socket still connecting may refuse close() on some platforms: it is forgotten anyway
  }
}
