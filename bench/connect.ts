import { Socket as EngineSocket } from 'engine.io-client';
import { forgetWebsocketSuccess } from '../src/core/socketio/engine.js';
import type { Socket } from 'socket.io-client';
import { connected, rawSocket, sdkClient, sdkConnected } from './lib/clients.js';
import { alternate, median, ms, now, percentile, ratio, sleep, type Benchmark } from './lib/result.js';
import { benchServer, drained, namespaces, PATIENT, rawHandshake } from './lib/test-server.js';

const ROUNDS = 25;
type Transports = ('polling' | 'websocket')[] | undefined;
const POLLING_FIRST: Transports = ['polling', 'websocket'];

/**
 * engine.io-client and the SDK remember, per page (module), that a websocket worked, and with
 * `rememberUpgrade` open one directly next time. Every round forgets it first: each is a page's
 * first connection.
 */
const remembered = EngineSocket as unknown as { priorWebsocketSuccess: boolean };
const cold = (run: () => Promise<number>) => () => {
  remembered.priorWebsocketSuccess = false;
  forgetWebsocketSuccess();
  return run();
};

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

    await alternate(2, cold(sdk(undefined)), cold(raw(undefined))); // warm-up
    const defaults = await alternate(ROUNDS, cold(sdk(undefined)), cold(raw(undefined)));
    const polling = await alternate(ROUNDS, cold(sdk(POLLING_FIRST)), cold(raw(POLLING_FIRST)));
    const websocket = await alternate(ROUNDS, cold(sdk(['websocket'])), cold(raw(['websocket'])));
    await server.close();

    const [sdkMs, rawMs] = [median(defaults.sdk), median(defaults.baseline)];
    const [sdkPolling, rawPolling] = [median(polling.sdk), median(polling.baseline)];
    const [sdkWs, rawWs] = [median(websocket.sdk), median(websocket.baseline)];
    const speedup = rawMs / sdkMs;
    const paired = defaults.sdk.map((value, i) => defaults.baseline[i]! / value);
    return {
      target: 'raw / SDK ≥ 2× (SDK at least twice as fast)',
      value: `${ratio(speedup)} faster`,
      pass: speedup >= 2,
      context: [
        `defaults on both sides: SDK median ${ms(sdkMs)} (websocket first), four \`io()\` ${ms(rawMs)} (long-polling handshake, then websocket upgrade); raw / SDK of each round's pair p25–p75 ${ratio(percentile(paired, 25))}–${ratio(percentile(paired, 75))}`,
        `same transports, long-polling first on both (what the one shared connection alone saves): SDK ${ms(sdkPolling)}, four \`io()\` ${ms(rawPolling)} (${ratio(rawPolling / sdkPolling)} faster)`,
        `same transports, websocket only on both: SDK ${ms(sdkWs)}, four \`io()\` ${ms(rawWs)} (${ratio(rawWs / sdkWs)} faster)`,
        `${ROUNDS} rounds each, defaults (ms): SDK ${defaults.sdk.map((v) => v.toFixed(1)).join(', ')}; raw ${defaults.baseline.map((v) => v.toFixed(1)).join(', ')}`,
      ],
      notes:
        speedup >= 2
          ? []
          : [
              "On loopback a connection costs CPU, not round trips: the four `io()` connections handshake in parallel, so one shared connection saves the work of three Engine.IO handshakes but no waiting. Long-polling first, both sides wait for the handshake and then the websocket upgrade (the server holds the namespaces' CONNECT answers until it completes); the SDK's default opens a websocket at once and falls back to long-polling when it fails or hangs.",
            ],
      method:
        "Against the test server (auth, handshake checks, on-connect events) in the same process: from creating the client(s) to all four namespaces connected (SDK: aggregate state `connected`; raw: four `connect` events), a fresh token each round, every connection closed between rounds. Alternating order, median. Every round resets the memory of a working websocket (engine.io-client's `Socket.priorWebsocketSuccess`, the SDK's own) before each client, as on a fresh page load.",
    };
  },
};
export default connect;
