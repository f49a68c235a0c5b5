import type { Socket } from 'socket.io-client';
import { connected, rawSocket, sdkClient, sdkConnected } from './lib/clients.js';
import { alternate, median, ms, now, percentile, ratio, sleep, type Benchmark } from './lib/result.js';
import { benchServer, drained, namespaces, PATIENT, rawHandshake } from './lib/test-server.js';

const ROUNDS = 25;
type Transports = ('polling' | 'websocket')[] | undefined;

/** All four namespaces: the SDK's one connection vs four `io()` connections (`forceNew`), as the reference frontends do. */
const connect: Benchmark = {
  name: 'connect',
  title: 'Connect all four namespaces',
  async run() {
    const { server, consultationId } = await benchServer();
    const identity = { consultationId, userId: PATIENT, role: 'PATIENT' as const };

    const sdk = (transports: Transports) => async () => {
      const token = server.createToken(PATIENT, 'PATIENT');
      const start = now();
      const client = sdkClient({ url: server.url, ...identity, token, ...(transports ? { transports } : {}) });
      void [client.consultation, client.chat, client.mediasoup, client.enhanced];
      await sdkConnected(client);
      const elapsed = now() - start;
      client.dispose();
      await drained(server);
      await sleep(20);
      return elapsed;
    };
    const raw = (transports: Transports) => async () => {
      const token = server.createToken(PATIENT, 'PATIENT');
      const start = now();
      const sockets: Socket[] = namespaces.map((spec) =>
        rawSocket(server.url, spec.name, { ...rawHandshake(spec, identity, token), ...(transports ? { transports } : {}) }),
      );
      await Promise.all(sockets.map((socket) => connected(socket)));
      const elapsed = now() - start;
      for (const socket of sockets) socket.disconnect();
      await drained(server);
      await sleep(20);
      return elapsed;
    };

    await alternate(2, sdk(undefined), raw(undefined)); // warm-up
    const polling = await alternate(ROUNDS, sdk(undefined), raw(undefined));
    const websocket = await alternate(ROUNDS, sdk(['websocket']), raw(['websocket']));
    await server.close();

    const [sdkMs, rawMs] = [median(polling.sdk), median(polling.baseline)];
    const [sdkWs, rawWs] = [median(websocket.sdk), median(websocket.baseline)];
    const speedup = rawMs / sdkMs;
    const paired = polling.sdk.map((value, i) => polling.baseline[i]! / value);
    return {
      target: 'raw / SDK ≥ 2× (SDK at least twice as fast)',
      value: `${ratio(speedup)} faster`,
      pass: speedup >= 2,
      context: [
        `default transports (HTTP long-polling handshake, then upgrade): SDK median ${ms(sdkMs)}, four \`io()\` ${ms(rawMs)}`,
        `websocket only: SDK ${ms(sdkWs)}, four \`io()\` ${ms(rawWs)} (${ratio(rawWs / sdkWs)} faster)`,
        `spread: raw / SDK of each round's pair, p25–p75 ${ratio(percentile(paired, 25))}–${ratio(percentile(paired, 75))} (default transports)`,
        `${ROUNDS} rounds each, default transports (ms): SDK ${polling.sdk.map((v) => v.toFixed(1)).join(', ')}; raw ${polling.baseline.map((v) => v.toFixed(1)).join(', ')}`,
      ],
      notes:
        speedup >= 2
          ? []
          : [
              'On loopback a connection costs CPU, not round trips: the four `io()` connections handshake in parallel, so one shared connection saves the work of three Engine.IO handshakes and upgrades but no waiting, while the four namespace CONNECTs (JWT check, on-connect events: session sync, history, waiting-room notices) cost the same either way. A CPU profile of 50 SDK connects shows no SDK function among the top entries: the time is in socket.io-client, Engine.IO and the server. With default transports both sides wait for the long-polling handshake and the websocket upgrade; websocket-only connects are ~3× faster for both, and SDK vs `io()` narrows because there is less per-connection work to save.',
            ],
      method:
        'Against the test server (auth, handshake checks, on-connect events) in the same process: from creating the client(s) to all four namespaces connected (SDK: aggregate state `connected`; raw: four `connect` events), a fresh token each round, every connection closed between rounds. Alternating order, median.',
    };
  },
};
export default connect;
