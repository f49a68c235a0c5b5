import type { Socket } from 'socket.io';
import { role as roleSchema, type Role } from '../../src/contract/index.js';
import { verifyToken } from '../auth/jwt.js';
import { dataOf, type SocketUser } from './context.js';

export const UNAUTHORIZED = 'socket_error:unauthorized';
export const TOKEN_EXPIRED = 'socket_error:token_expired';

/** One handshake as the server saw it (tests check that no token travels in the URL or query). */
export interface HandshakeRecord {
  namespace: string;
  url: string;
  query: Record<string, unknown>;
  accepted: boolean;
  /** `socket_error:*` code of a rejection. */
  code?: string;
  at: string;
}

/** At most this many handshakes are kept per user. */
export const MAX_HANDSHAKES = 100;

/** The auth state fault injection works on. */
export interface AuthState {
  secret: string;
  revoked: Set<string>;
  /** Handshake attempts per user and namespace, accepted or rejected. */
  attempts: Map<string, Map<string, number>>;
  /** The last handshakes per user. */
  handshakes: Map<string, HandshakeRecord[]>;
}

type Rejection = Error & { data: { code: string; message: string } };

/** First value of a query parameter. */
export function queryValue(socket: Socket, name: string): string | undefined {
  const value = socket.handshake.query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.length > 0 ? first : undefined;
}

function tokenOf(socket: Socket): unknown {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (auth?.token !== undefined) return auth.token;
  const header = socket.handshake.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header) : null;
  // Never from the query string: tokens there end up in logs and proxies.
  return match?.[1];
}

function rejection(code: string, message: string): Rejection {
  const error = new Error(code === TOKEN_EXPIRED ? 'token expired' : 'unauthorized') as Rejection;
  error.data = { code, message };
  return error;
}

function remember(state: AuthState, userId: string, namespace: string, socket: Socket, error?: Rejection): void {
  let perNamespace = state.attempts.get(userId);
  if (!perNamespace) state.attempts.set(userId, (perNamespace = new Map<string, number>()));
  perNamespace.set(namespace, (perNamespace.get(namespace) ?? 0) + 1);
  let list = state.handshakes.get(userId);
  if (!list) state.handshakes.set(userId, (list = []));
  list.push({
    namespace,
    url: socket.handshake.url ?? '',
    query: { ...socket.handshake.query },
    accepted: !error,
    ...(error ? { code: error.data.code } : {}),
    at: new Date().toISOString(),
  });
  if (list.length > MAX_HANDSHAKES) list.splice(0, list.length - MAX_HANDSHAKES);
}

/** Why a handshake is refused, or undefined when it is accepted. */
function check(
  state: AuthState,
  socket: Socket,
  verified: ReturnType<typeof verifyToken>,
  queryUser: string | undefined,
): Rejection | undefined {
  if (!verified.ok) {
    return verified.reason === 'expired'
      ? rejection(TOKEN_EXPIRED, 'token has expired')
      : rejection(UNAUTHORIZED, 'missing or invalid token');
  }
  const { sub, role } = verified.claims;
  const queryRole = queryValue(socket, 'role') ?? queryValue(socket, 'userRole');
  if (queryUser !== undefined && queryUser !== sub) return rejection(UNAUTHORIZED, 'token subject does not match userId');
  if (queryRole !== undefined && queryRole !== role) return rejection(UNAUTHORIZED, 'token role does not match the handshake role');
  if (!roleSchema.safeParse(role).success) return rejection(UNAUTHORIZED, `unknown role ${role}`);
  if (state.revoked.has(sub)) return rejection(UNAUTHORIZED, 'access revoked');
  return undefined;
}

/**
 * Namespace middleware (namespaces of `profile.tokenNamespaces`; the others take the identity from
 * the query): a valid HS256 token whose `sub` is the handshake's user (and whose role is
 * the handshake's role, when one is sent), not revoked. Rejections carry
 * `data.code` = `socket_error:unauthorized` or `socket_error:token_expired`. Every attempt is
 * counted and remembered (URL and query, never the token).
 */
export function authMiddleware(state: AuthState, namespace: string, tokenRequired = true) {
  return (socket: Socket, next: (error?: Error) => void) => {
    const queryUser = queryValue(socket, 'userId');
    if (!tokenRequired) {
      // Reference /consultation and /chat check no token: who the client is comes from the query
      // (checked on connection: invalid values get `error` + disconnect).
      remember(state, queryUser ?? 'anonymous', namespace, socket);
      const role = (queryValue(socket, 'role') ?? queryValue(socket, 'userRole') ?? '') as Role;
      dataOf(socket).user = { userId: queryUser ?? '', role, consultationId: queryValue(socket, 'consultationId') } satisfies SocketUser;
      return next();
    }
    const verified = verifyToken(state.secret, tokenOf(socket));
    const refused = check(state, socket, verified, queryUser);
    remember(state, queryUser ?? (verified.ok ? verified.claims.sub : 'anonymous'), namespace, socket, refused);
    if (refused || !verified.ok) return next(refused);
    const user: SocketUser = {
      userId: verified.claims.sub,
      role: verified.claims.role as Role,
      consultationId: queryValue(socket, 'consultationId'),
    };
    dataOf(socket).user = user;
    next();
  };
}
