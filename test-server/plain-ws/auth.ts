/**
 * The server half of the plain WebSocket transport's auth (src/core/websocket/auth.ts), written
 * from its documentation as a backend would: the token of an upgrade request comes from
 * `Authorization: Bearer <token>` (Node, React Native) or from the subprotocol offer
 * `Sec-WebSocket-Protocol: bearer, <token>` (browsers, which cannot set headers), the token then
 * being as it is or `base64url.<UTF-8 bytes, unpadded base64url>`. The server selects `bearer`.
 */
import type { IncomingMessage } from 'node:http';

export const BEARER = 'bearer';
const ENCODED = 'base64url.';

/** Where a request's token came from, and the token. */
export type Presented = { via: 'header' | 'protocol'; token: string } | { via: undefined; token: undefined };

/** The subprotocols a request offers, in order. */
export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  return typeof header === 'string'
    ? header
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean)
    : [];
}

export function presentedToken(request: IncomingMessage): Presented {
  const authorization = request.headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (bearer) return { via: 'header', token: bearer[1]! };
  const [first, second] = offeredProtocols(request);
  if (first === BEARER && second !== undefined) {
    const token = second.startsWith(ENCODED) ? Buffer.from(second.slice(ENCODED.length), 'base64url').toString('utf8') : second;
    return { via: 'protocol', token };
  }
  return { via: undefined, token: undefined };
}
