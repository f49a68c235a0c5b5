import type { Namespace } from 'socket.io';

/**
 * A client back with its session id (connection state recovery) while this server still holds the
 * old connection of that session: the old one is dead (the client opened a new one), it just has
 * not been noticed yet (a silent drop or a link outage on the client's side: the server finds out
 * at its next ping timeout, up to pingInterval + pingTimeout later). Socket.IO restores a session
 * only once its socket has disconnected, so without this the client comes back as a new session
 * and rebuilds what it had (a full media rebuild, its rooms). The old connection is closed first
 * ("forced close", a recoverable reason: its session is kept), then the session is restored as
 * usual. The session id is a secret of the session (never sent to others), and the middlewares
 * still check the credentials of the new connection afterwards.
 */
export function takeOverStaleSessions(nsp: Namespace): void {
  const adapter = nsp.adapter as unknown as { restoreSession(pid: string, offset: string): Promise<unknown> };
  const restore = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = (pid, offset) => {
    for (const socket of nsp.sockets.values()) {
      if ((socket as unknown as { pid?: string }).pid === pid) socket.conn.close(true);
    }
    return restore(pid, offset);
  };
}
