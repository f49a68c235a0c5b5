import type { Socket } from 'socket.io-client';
import { ChatStore } from '../src/state/index.js';
import { connected, rawSocket, sdkClient, sdkConnected } from './lib/clients.js';
import { median, ms, now, percentile, ratio, sleep, until, type Benchmark } from './lib/result.js';
import { startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy.js';
import { benchServer, namespaces, PATIENT, PRACTITIONER, rawHandshake } from './lib/test-server.js';

const ROUNDS = 7;
const OUTAGE_ROUNDS = 3;
const OUTAGE_MS = 3000;

/**
 * Server restart → every namespace connected and the chat resynced, timed from the moment the
 * restarted server accepts connections. SDK (default options, ChatStore) vs four `io()` sockets
 * with socket.io-client's default reconnection that re-read the history themselves.
 */
const recovery: Benchmark = {
  name: 'recovery',
  title: 'Recovery after a server restart',
  async run() {
    const quick = await scenario(ROUNDS, 0);
    const outage = await scenario(OUTAGE_ROUNDS, OUTAGE_MS);
    const { sdkTimes, rawTimes, downtimes } = quick;
    const [sdk, raw] = [median(sdkTimes), median(rawTimes)];
    const worst = Math.max(...sdkTimes);
    return {
      target: 'SDK ≤ 1 s (every restart)',
      value: `median ${ms(sdk)}, worst ${ms(worst)}`,
      pass: worst <= 1000,
      context: [
        `SDK (default options): median ${ms(sdk)}, worst ${ms(Math.max(...sdkTimes))}; four \`io()\` with default reconnection: median ${ms(raw)}, worst ${ms(Math.max(...rawTimes))} (SDK ${ratio(raw / sdk)} faster)`,
        `${ROUNDS} restarts (ms): SDK ${sdkTimes.map((v) => v.toFixed(0)).join(', ')}; raw ${rawTimes.map((v) => v.toFixed(0)).join(', ')}`,
        `server down for ${ms(percentile(downtimes, 50))} per restart (median; close every connection, then listen again on the same port)`,
        `after a ${OUTAGE_MS / 1000} s outage (restart while a proxy refuses connections for ${OUTAGE_MS / 1000} s, timed from when it accepts again), ${OUTAGE_ROUNDS} rounds: SDK ${outage.sdkTimes.map((v) => v.toFixed(0)).join(', ')} ms; raw ${outage.rawTimes.map((v) => v.toFixed(0)).join(', ')} ms — the wait is the reconnection backoff reached during the outage`,
      ],
      notes:
        Math.max(...outage.sdkTimes) <= 1000
          ? []
          : [
              `The target is met for a restart that takes milliseconds, not after a real outage: once the server has been away for ${OUTAGE_MS / 1000} s, the SDK waits up to ${ms(Math.max(...outage.sdkTimes))} after it is back. That wait is socket.io's reconnection backoff with the SDK's defaults (src/core/options.ts \`reconnection\`: first delay 200 ms, doubling up to \`maxDelayMs\` 5000, jitter ±50 %): after ${OUTAGE_MS / 1000} s of refused attempts the next one is scheduled up to ~5 s later. A lower \`maxDelayMs\` (about 1 s) would bound it, at the cost of more attempts against a server that is down (jitter spreads them).`,
            ],
      method:
        'The test server (same process) restarts with its domain kept and no connection-state recovery possible; before each restart a message is stored without being broadcast. Time from the restarted server listening to: SDK aggregate state `connected` on all four namespaces and the message in the `ChatStore`; baseline: four sockets reconnected and the message in a `message_history` answer. Both run in the same restarts.',
    };
  },
};
export default recovery;

/**
 * `rounds` restarts; with `outageMs` > 0 the clients go through a TCP proxy that refuses
 * connections for that long around the restart, and time counts from when it accepts again.
 */
async function scenario(rounds: number, outageMs: number) {
  const { server, consultationId } = await benchServer();
  const proxy: TcpProxy | undefined = outageMs > 0 ? await startTcpProxy(server.port) : undefined;
  const url = proxy?.url ?? server.url;
  const client = sdkClient({ url, consultationId, userId: PATIENT, role: 'PATIENT', token: () => server.createToken(PATIENT, 'PATIENT') });
  void [client.consultation, client.mediasoup, client.enhanced];
  const store = new ChatStore(client.chat, client.identity);

  // Baseline: a practitioner's frontend as the reference apps open it, one io() per namespace.
  const identity = { consultationId, userId: PRACTITIONER, role: 'PRACTITIONER' as const };
  const token = server.createToken(PRACTITIONER, 'PRACTITIONER');
  const sockets: Socket[] = namespaces.map((spec) => rawSocket(url, spec.name, rawHandshake(spec, identity, token)));
  const chat = sockets[namespaces.findIndex((spec) => spec.name === '/chat')]!;
  const rawSeen = new Set<string>();
  chat.on('message_history', (page: { messages: { id: number }[] }) => page.messages.forEach((m) => rawSeen.add(String(m.id))));
  chat.on('connect', () => chat.emit('request_message_history', { consultationId, limit: 50, offset: 0 }));
  await Promise.all([sdkConnected(client), ...sockets.map((socket) => connected(socket))]);
  await sleep(200);

  const sdkTimes: number[] = [];
  const rawTimes: number[] = [];
  const downtimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // A message the clients have not seen (stored, not broadcast): resynced = it is in the chat.
    const marker = String(
      server.domain.chat.add({
        consultationId,
        userId: PRACTITIONER,
        role: 'PRACTITIONER',
        firstName: 'Bench',
        lastName: 'Marker',
        content: `marker ${round}`,
      }).id,
    );
    const stopped = now();
    proxy?.refuse(true);
    await server.restart();
    if (proxy) {
      await sleep(outageMs);
      proxy.refuse(false);
    }
    const start = now(); // the (restarted) server accepts connections from here
    downtimes.push(start - stopped);
    const sdkDone = until(
      () => client.state.status === 'connected' && store.messages.some((entry) => entry.key === marker),
      30_000,
      'SDK recovery',
    ).then(() => now() - start);
    const rawDone = until(() => sockets.every((socket) => socket.connected) && rawSeen.has(marker), 30_000, 'raw recovery').then(
      () => now() - start,
    );
    const [sdk, raw] = await Promise.all([sdkDone, rawDone]);
    sdkTimes.push(sdk);
    rawTimes.push(raw);
    await sleep(300);
  }
  store.dispose();
  client.dispose();
  for (const socket of sockets) socket.disconnect();
  await proxy?.close();
  await server.close();
  return { sdkTimes, rawTimes, downtimes };
}
