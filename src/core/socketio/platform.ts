import type { WebSocketConstructor } from '../websocket/platform.js';

/** One long-polling request: its status and text, or a rejection when the network failed. */
export type HttpRequest = (
  url: string,
  init: { method?: 'POST'; body?: string; signal: AbortSignal },
) => Promise<{ status: number; text: string }>;

/** What a connection needs of its host beyond the standard globals. */
export interface SocketIoPlatform {
  readonly WebSocket: WebSocketConstructor;
  readonly request: HttpRequest;
}

/** What Node's entry registered (`ws`, `node:http`): Node 20 has no global WebSocket, and its `fetch` can hang on a reset connection. */
let registered: SocketIoPlatform | undefined;

/** Node's entry (`hcw-realtime-sdk`'s `node` export condition) gives its connections `ws` and `node:http`. */
export function useNodePlatform(platform: SocketIoPlatform): void {
  registered = platform;
}

/** The class each attempt uses: the registered one, else the global (browsers, React Native). */
export const webSocketClass = (): WebSocketConstructor | undefined =>
  registered?.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;

/** Long-polling requests: the registered way, else `fetch`. */
export const httpRequest: HttpRequest = (url, init) =>
  registered
    ? registered.request(url, init)
    : fetch(url, init).then(async (response) => ({ status: response.status, text: await response.text() }));
