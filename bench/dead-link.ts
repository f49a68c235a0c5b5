import { resolveOptions } from '../src/core/options.js';
import { startTcpProxy } from '../test/support/tcp-proxy.js';
import { connected, rawSocket, sdkClient, sdkConnected } from './lib/clients.js';
import { median, ms, now, sleep, type Benchmark } from './lib/result.js';
import { benchServer, namespaces, PATIENT, PRACTITIONER, rawHandshake } from './lib/test-server.js';

const SDK_ROUNDS = 3;

/** How long until a client notices a dead link (silent server, half-open TCP) with default options. */
const deadLink: Benchmark = {
  name: 'dead-link',
  title: 'Dead-link detection with a silent server',
  async run() {
    const { server, consultationId } = await benchServer(); // Engine.IO defaults: pingInterval 25 s, pingTimeout 20 s
    const { pingInterval, pingTimeout } = server.options;
    const { deadLinkTimeoutMs, probeAfterMs } = resolveOptions({ url: '', token: '' }).heartbeat;

    /** SDK through its own proxy: blackholed right after an inbound packet (worst case), time until it leaves `connected`. */
    const sdkRound = async () => {
      const proxy = await startTcpProxy(server.port);
      const client = sdkClient({
        url: proxy.url,
        consultationId,
        userId: PATIENT,
        role: 'PATIENT',
        token: () => server.createToken(PATIENT, 'PATIENT'),
      });
      void client.chat; // services open on first use
      await sdkConnected(client);
      await sleep(500);
      const start = await new Promise<number>((resolve) =>
        client.connection.manager.once('packet', () => {
          proxy.blackhole(true);
          resolve(now());
        }),
      );
      const detected = await new Promise<number>((resolve) => {
        const subscription = client.state$.subscribe((state) => {
          if (state.status === 'connected') return;
          queueMicrotask(() => subscription.unsubscribe());
          resolve(now());
        });
      });
      client.dispose();
      await proxy.close();
      return detected - start;
    };

    /** Plain socket.io-client: blackholed right after a ping (worst case), time until `disconnect` ("ping timeout"). */
    const rawRound = async () => {
      const proxy = await startTcpProxy(server.port);
      const identity = { consultationId, userId: PRACTITIONER, role: 'PRACTITIONER' as const };
      const spec = namespaces.find((entry) => entry.name === '/chat')!;
      const socket = rawSocket(proxy.url, '/chat', rawHandshake(spec, identity, server.createToken(PRACTITIONER, 'PRACTITIONER')));
      await connected(socket);
      const start = await new Promise<number>((resolve) =>
        socket.io.once('ping', () => {
          proxy.blackhole(true);
          resolve(now());
        }),
      );
      const reason = await new Promise<string>((resolve) => socket.once('disconnect', (why) => resolve(why)));
      const elapsed = now() - start;
      socket.disconnect();
      await proxy.close();
      return { elapsed, reason };
    };

    // The baseline takes ~45 s, so it runs once, alongside the SDK's first round.
    const [first, raw] = await Promise.all([sdkRound(), rawRound()]);
    const sdkTimes = [first];
    for (let round = 1; round < SDK_ROUNDS; round++) sdkTimes.push(await sdkRound());
    await server.close();

    const worst = Math.max(...sdkTimes);
    return {
      target: 'SDK ≤ 10 s (default options)',
      value: `median ${ms(median(sdkTimes))}, worst ${ms(worst)}`,
      pass: worst <= 10_000,
      context: [
        `SDK, ${SDK_ROUNDS} rounds (ms): ${sdkTimes.map((v) => v.toFixed(0)).join(', ')} — defaults: dead after \`heartbeat.deadLinkTimeoutMs\` ${deadLinkTimeoutMs} ms of silence, liveness probe after ${probeAfterMs} ms`,
        `plain socket.io-client (measured once): ${ms(raw.elapsed)} until \`disconnect\` ("${raw.reason}"); computed bound pingInterval + pingTimeout = ${pingInterval / 1000} + ${pingTimeout / 1000} = ${(pingInterval + pingTimeout) / 1000} s after the last ping (server defaults)`,
        `SDK ${(raw.elapsed / median(sdkTimes)).toFixed(1)}× sooner than the baseline's measured time`,
      ],
      notes:
        worst <= 10_000
          ? []
          : [
              `The SDK declares the link dead after \`heartbeat.deadLinkTimeoutMs\` (default ${deadLinkTimeoutMs} ms) without inbound traffic; \`LivenessWatch\` (src/core/liveness.ts) checks it on an interval, then closes the engine. Detection lands at the threshold plus up to one check interval (measured worst: ${ms(worst)}), so the default threshold plus the interval must stay under the target.`,
            ],
      method:
        'Test server with Engine.IO defaults; each client connects through its own loopback TCP proxy that is then blackholed (both directions dropped, nothing closed: a half-open link). Each is cut at its longest possible silence: the SDK right after an inbound packet, the baseline right after a ping. Time until the SDK leaves `connected` / the baseline fires `disconnect`.',
    };
  },
};
export default deadLink;
