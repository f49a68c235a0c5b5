import net from 'node:net';

/** A loopback TCP proxy that can cut, blackhole or refuse traffic: a controllable network for tests. */
export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  /** Bytes forwarded client → server so far. */
  readonly bytesToServer: number;
  /** Stop forwarding in both directions without closing anything, closes included (a dead link). */
  blackhole(on: boolean): void;
  /** Destroy every open connection (a transport drop). */
  dropAll(): void;
  /** Refuse new connections (server unreachable) until called with false. */
  refuse(on: boolean): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let blackholed = false;
  let refusing = false;
  let bytesToServer = 0;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.on('data', (chunk) => {
      if (blackholed) return;
      bytesToServer += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!blackholed) client.write(chunk);
    });
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // While blackholed, a side's close reaches nobody (a silent network delivers no FIN either):
    // the other side stays open, half-open, until something is written to it after the network
    // is back (as a peer's kernel answers with a RST) or the proxy drops it.
    const closeUnlessBlackholed = (side: net.Socket) => () => {
      if (!blackholed) return close();
      side.destroy();
      const other = side === client ? upstream : client;
      other.removeAllListeners('data');
      other.on('data', () => {
        if (!blackholed) close();
      });
    };
    client.on('close', closeUnlessBlackholed(client)).on('error', closeUnlessBlackholed(client));
    upstream.on('close', closeUnlessBlackholed(upstream)).on('error', closeUnlessBlackholed(upstream));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const dropAll = () => {
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get bytesToServer() {
      return bytesToServer;
    },
    blackhole(on) {
      blackholed = on;
    },
    dropAll,
    refuse(on) {
      refusing = on;
      if (on) dropAll();
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
