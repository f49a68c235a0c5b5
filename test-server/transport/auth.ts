import type { Socket } from 'socket.io';
import { role as roleSchema, type Role } from '../../src/contract/index.js';
import { verifyToken } from '../auth/jwt.js';
import type { SocketUser } from './context.js';

export const UNAUTHORIZED = 'socket_error:unauthorized';
export const TOKEN_EXPIRED = 'socket_error:token_expired';

/** The auth state fault injection works on. */
export interface AuthState {
  secret: string;
  revoked: Set<string>;
  /** Handshake attempts per user and namespace, accepted or rejected. */
  attempts: Map<string, Map<string, number>>;
}

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

function rejection(code: string, message: string): Error & { data: { code: string; message: string } } {
  const error = new Error(code === TOKEN_EXPIRED ? 'token expired' : 'unauthorized') as Error & { data: { code: string; message: string } };
  error.data = { code, message };
  return error;
}

function count(state: AuthState, userId: string, namespace: string): void {
  let perNamespace = state.attempts.get(userId);
  if (!perNamespace) state.attempts.set(userId, (perNamespace = new Map()));
  perNamespace.set(namespace, (perNamespace.get(namespace) ?? 0) + 1);
}

/**
 * Namespace middleware: a valid HS256 token whose `sub` is the handshake's user (and whose role is
 * the handshake's role, when one is sent), not revoked. Rejections carry
 * `data.code` = `socket_error:unauthorized` or `socket_error:token_expired`.
 */
export function authMiddleware(state: AuthState, namespace: string) {
  return (socket: Socket, next: (error?: Error) => void) => {
    const queryUser = queryValue(socket, 'userId');
    const verified = verifyToken(state.secret, tokenOf(socket));
    count(state, queryUser ?? (verified.ok ? verified.claims.sub : 'anonymous'), namespace);
    if (!verified.ok) {
      return next(verified.reason === 'expired' ? rejection(TOKEN_EXPIRED, 'token has expired') : rejection(UNAUTHORIZED, 'missing or invalid token'));
    }
    const { sub, role } = verified.claims;
    const queryRole = queryValue(socket, 'role') ?? queryValue(socket, 'userRole');
    if (queryUser !== undefined && queryUser !== sub) return next(rejection(UNAUTHORIZED, 'token subject does not match userId'));
    if (queryRole !== undefined && queryRole !== role) return next(rejection(UNAUTHORIZED, 'token role does not match the handshake role'));
    if (!roleSchema.safeParse(role).success) return next(rejection(UNAUTHORIZED, `unknown role ${role}`));
    if (state.revoked.has(sub)) return next(rejection(UNAUTHORIZED, 'access revoked'));
    const user: SocketUser = { userId: sub, role: role as Role, consultationId: queryValue(socket, 'consultationId') };
    socket.data.user = user;
    next();
  };
}
