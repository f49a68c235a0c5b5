/**
 * Plain HTTP next to the plain-ws test server's WebSockets (its `onRequest`), for a page served by
 * the server itself, as the peer-to-peer demo of `npm start` is:
 *
 * - `POST /dev/token` `{ "userId" }` → `{ "token" }` for a participant of one of the server's rooms
 *   (403 for anyone else). **Development only**: anyone who reaches the port gets a token for any
 *   participant, with no password; a real app gets its tokens from its own backend. No CORS
 *   headers: a page of another origin cannot read a token. Tokens are never logged nor put in a URL.
 * - `GET` of the files under `staticDir` (a folder: its index.html).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveStatic } from '../transport/http.js';

export interface PlainWsDevHttpOptions {
  /** The page's folder. */
  readonly staticDir: string;
  /** Who may get a token: the participants of the server's rooms. */
  readonly rooms: Readonly<Record<string, readonly string[]>>;
  /** Signs a token for a user (the server's `token()`). */
  readonly token: (userId: string) => string;
}

const MAX_BODY = 4 * 1024;

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readUserId(request: IncomingMessage): Promise<string | undefined> {
  let text = '';
  for await (const chunk of request) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > MAX_BODY) return undefined;
  }
  try {
    const body: unknown = JSON.parse(text);
    const userId = typeof body === 'object' && body !== null ? (body as { userId?: unknown }).userId : undefined;
    return typeof userId === 'string' && userId !== '' ? userId : undefined;
  } catch {
    return undefined;
  }
}

/** The request handler: `startPlainWsServer({ rooms, onRequest: createPlainWsDevHttp({ staticDir, rooms, token }) })`. */
export function createPlainWsDevHttp(options: PlainWsDevHttpOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const participants = new Set(Object.values(options.rooms).flat());
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname === '/dev/token') {
      if (request.method !== 'POST') return json(response, 405, { error: 'POST /dev/token { "userId" }' });
      const userId = await readUserId(request);
      if (userId === undefined) return json(response, 400, { error: 'the body must be { "userId": "<a participant>" }' });
      if (!participants.has(userId)) return json(response, 403, { error: `${userId} is not a participant of any room here` });
      return json(response, 200, { token: options.token(userId) });
    }
    if (request.method === 'GET' && !pathname.startsWith('/dev/') && (await serveStatic(options.staticDir, pathname, response))) return;
    json(response, 404, { error: 'not found' });
  };
  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 400, { error: error instanceof Error ? error.message : String(error) });
      else response.destroy();
    });
  };
}
