/**
 * The peer-to-peer demo of `npm start`: the plain-ws test server (test-server/plain-ws/) with one
 * room, `demo`, for `alice` and `bob`, serving on the same port the page of examples/p2p-demo/ and
 * its development token endpoint (`POST /dev/token`, test-server/plain-ws/dev-http.ts). The page
 * connects to its own origin: no port is written in it.
 */
import { fileURLToPath } from 'node:url';
import { createPlainWsDevHttp } from '../test-server/plain-ws/dev-http.js';
import { startPlainWsServer, type PlainWsServer } from '../test-server/plain-ws/server.js';

export const P2P_DEMO_DIR = fileURLToPath(new URL('../examples/p2p-demo/', import.meta.url));
export const P2P_ROOM = 'demo';
export const P2P_USERS = ['alice', 'bob'] as const;

export interface P2pDemo {
  /** `http://host:port`: the page, its token endpoint and the WebSockets. */
  readonly url: string;
  readonly server: PlainWsServer;
  /** The page of one participant: `<url>/?room=demo&user=<user>`. */
  pageUrl(user: string): string;
  close(): Promise<void>;
}

export interface P2pDemoOptions {
  readonly host: string;
  /** 0: a free one. */
  readonly port: number;
}

export async function startP2pDemo({ host, port }: P2pDemoOptions): Promise<P2pDemo> {
  const rooms = { [P2P_ROOM]: [...P2P_USERS] };
  let server: PlainWsServer | undefined;
  const onRequest = createPlainWsDevHttp({ staticDir: P2P_DEMO_DIR, rooms, token: (user) => server!.token(user) });
  // refuse: 'close': browsers hide a refused upgrade's HTTP status, they read a 4401/4403 close.
  server = await startPlainWsServer({ rooms, host, port, refuse: 'close', onRequest });
  const { url } = server;
  return {
    url,
    server,
    pageUrl: (user) => `${url}/?room=${encodeURIComponent(P2P_ROOM)}&user=${encodeURIComponent(user)}`,
    close: () => server.close(),
  };
}
