/**
 * How the token reaches a plain WebSocket server, on every connection attempt. Never in the URL.
 *
 * - `header`: `Authorization: Bearer <token>` on the upgrade request. Where the WebSocket class
 *   sends headers: Node (`ws`) and React Native.
 * - `protocol`: browsers cannot set WebSocket headers, so the token is offered as a subprotocol:
 *   `Sec-WebSocket-Protocol: bearer, <token>`. The server reads the token from the second entry and
 *   selects `bearer` (it must answer with it: a browser fails a connection whose server selects no
 *   offered subprotocol). A token that is not a valid subprotocol value (RFC 6455: no spaces,
 *   commas, `/`, `=`, ...) is sent as `base64url.<its UTF-8 bytes in unpadded base64url>`;
 *   JWTs are valid as they are.
 */
export type WebSocketAuth = 'header' | 'protocol';

/** The subprotocol a server selects to accept `protocol` auth. */
export const BEARER_PROTOCOL = 'bearer';

/** What the WebSocket constructor gets for the token. */
export interface Credentials {
  readonly protocols?: string[];
  readonly headers?: Record<string, string>;
}

export function credentials(auth: WebSocketAuth, token: string): Credentials {
  return auth === 'header' ? { headers: { Authorization: `Bearer ${token}` } } : { protocols: [BEARER_PROTOCOL, protocolToken(token)] };
}

/** RFC 6455 §4.1: a subprotocol is an RFC 2616 token (visible ASCII, no separators). */
const PROTOCOL_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Marks a token sent encoded (it was not a valid subprotocol value as it is). */
export const ENCODED_PREFIX = 'base64url.';

/** The token as a subprotocol value: as it is when valid, else encoded (see {@link WebSocketAuth}). */
export function protocolToken(token: string): string {
  return PROTOCOL_TOKEN.test(token) && !token.startsWith(ENCODED_PREFIX) ? token : ENCODED_PREFIX + base64url(token);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url of the UTF-8 bytes of `text` (no `btoa`: React Native may lack it). */
function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += ALPHABET[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}
