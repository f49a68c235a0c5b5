import type { Socket } from 'socket.io-client';
import type { HcwClient } from '../src/index.node.js';
import { openFileLimit, SCALE_FDS_NEEDED } from './lib/fd-limit.js';
import { builtSdk } from './lib/built.js';
import { connected, rawSocket } from './lib/clients.js';
import { median, ms, now, percentile, ratio, sleep, until, type Benchmark } from './lib/result.js';
import { chatNamespace, handshakeQuery } from '../src/contract/index.js';
import type { TestServerMethods } from './lib/test-server-worker.js';
import { startWorker, type WorkerServer } from './lib/worker.js';

const CONSULTATIONS = 500; // × 2 clients (practitioner + patient) = 1,000 clients
const ROUNDS = 3;
const WINDOW_MS = 2000;

interface Member {
  userId: string;
  role: 'PATIENT' | 'PRACTITIONER';
  consultationId: number;
  token: string;
}

/** What one client type (SDK or raw) must provide to the scenario. */
interface Fleet {
  /** Opens every client; resolves with each one's connect time (ms from the start). */
  connect(onMessage: (member: number, clientUuid: string, senderId: string) => void): Promise<number[]>;
  send(member: number, clientUuid: string): void;
  /** How many clients have their connection upgraded to websocket. */
  upgraded(): number;
  close(): Promise<void>;
}

/** 1,000 clients in this process against one test server: connect time and chat fan-out latency. */
const scale: Benchmark = {
  name: 'scale',
  title: 'Scale: 1,000 clients, one test server',
  async run() {
    const limit = openFileLimit();
    if (limit && limit.soft < SCALE_FDS_NEEDED) {
      throw new Error(
        `open-file limit ${limit.soft} < ${SCALE_FDS_NEEDED}: run through npm run bench (it raises it with ulimit -n when the hard limit allows)`,
      );
    }
    const builtPackage = await builtSdk();
    // The server runs in a worker thread of this process: one core for it, one for the 1,000 clients.
    const server = await startWorker<TestServerMethods>(new URL('./lib/test-server-worker.ts', import.meta.url));
    const pairs = Array.from({ length: CONSULTATIONS }, (_, i) => ({ practitionerId: `dr-${i}`, patientId: `patient-${i}` }));
    const { url, ids } = await server.call('start', { chatRateLimit: { max: 1_000_000, windowMs: 1000 } }, pairs);
    const users = pairs.flatMap((pair, i) => [
      { userId: pair.practitionerId, role: 'PRACTITIONER' as const, consultationId: ids[i]! },
      { userId: pair.patientId, role: 'PATIENT' as const, consultationId: ids[i]! },
    ]);
    const tokens = await server.call('createTokens', users);
    const members: Member[] = users.map((user, i) => ({ ...user, token: tokens[i]! }));

    // Three passes each, order alternating (drift hits both alike). Percentiles are the median over
    // passes: one pass disturbed by other work on the machine does not decide the result.
    const passes: Record<'sdk' | 'raw', Outcome[]> = { sdk: [], raw: [] };
    for (const [i, kind] of (['sdk', 'raw', 'raw', 'sdk', 'sdk', 'raw'] as const).entries()) {
      const fleet = kind === 'sdk' ? sdkFleet(url, members, builtPackage) : rawFleet(url, members);
      passes[kind].push(await scenario(server, members, fleet, `${kind}${i}`));
    }
    const [sdk, raw] = [pool(passes.sdk), pool(passes.raw)];
    const heapPerClient = sdk.heapPerClient;
    const violations = await server.call('contractViolations');
    await server.call('close');
    await server.close();

    const p = (values: number[], q: number) => percentile(values, q);
    const perPass = (kind: 'sdk' | 'raw', q: number) => passes[kind].map((o) => p(o.latencies, q));
    const [sdkP50, sdkP99, rawP50, rawP99] = [
      median(perPass('sdk', 50)),
      median(perPass('sdk', 99)),
      median(perPass('raw', 50)),
      median(perPass('raw', 99)),
    ];
    const list99 = (kind: 'sdk' | 'raw') =>
      perPass(kind, 99)
        .map((v) => v.toFixed(1))
        .join(', ');
    return {
      target: 'none set: reported, SDK vs 1,000 raw sockets',
      value: `all connected in ${ms(sdk.connectMs)} (${ratio(sdk.connectMs / raw.connectMs)} raw); fan-out p50 ${ms(sdkP50)}, p99 ${ms(sdkP99)} (p99 ${ratio(sdkP99 / rawP99)} raw)`,
      pass: null,
      context: [
        `SDK, 1,000 clients: all connected in ${ms(sdk.connectMs)} (passes ${passes.sdk.map((o) => o.connectMs.toFixed(0)).join(', ')} ms; per client p50 ${ms(median(sdk.connectTimes))}, p99 ${ms(p(sdk.connectTimes, 99))}; all upgraded to websocket at ${ms(sdk.upgradedMs)}); fan-out latency p50 ${ms(sdkP50)}, p99 ${ms(sdkP99)} (per pass ${list99('sdk')} ms), max ${ms(Math.max(...sdk.latencies))} over ${sdk.latencies.length} deliveries; ${(heapPerClient / 1024).toFixed(1)} kB of heap per connected client`,
        `raw socket.io-client, 1,000 sockets: all connected in ${ms(raw.connectMs)} (passes ${passes.raw.map((o) => o.connectMs.toFixed(0)).join(', ')} ms; per client p50 ${ms(median(raw.connectTimes))}, p99 ${ms(p(raw.connectTimes, 99))}; upgraded at ${ms(raw.upgradedMs)}); fan-out p50 ${ms(rawP50)}, p99 ${ms(rawP99)} (per pass ${list99('raw')} ms), max ${ms(Math.max(...raw.latencies))}; ${(raw.heapPerClient / 1024).toFixed(1)} kB per client`,
        `load: ${ROUNDS} rounds, in each every client sends one message at a random moment of a ${WINDOW_MS / 1000} s window (${(2 * CONSULTATIONS) / (WINDOW_MS / 1000)} messages/s, each delivered to the peer and echoed to the sender); open-file limit ${limit ? `${limit.soft} (hard ${limit.hard})` : 'unknown'}; contract violations on the server: ${violations.length}`,
      ],
      method:
        "500 ACTIVE consultations × (practitioner + patient) = 1,000 clients of the built package (dist/index.node.js, as a Node app runs it; rebuilt first when src/ is newer), each opening /chat with default options (the SDK opens a websocket at once; raw socket.io-client a long-polling handshake, then a websocket upgrade), all started at once against the test server running in a worker thread of the same process (chat rate limit lifted). Connect time: start → last client connected. Fan-out latency, once every connection is upgraded to websocket: `chat.sendMessage()` call (raw: `socket.emit`) → the other participant's `new_message` listener. The same with 1,000 raw socket.io-client sockets; three passes each in alternating order, percentiles = median over the passes, connect time = mean.",
    };
  },
};
export default scale;

async function scenario(server: WorkerServer<TestServerMethods>, members: Member[], fleet: Fleet, tag: string) {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let expected = 0;
  const onMessage = (member: number, clientUuid: string, senderId: string) => {
    if (senderId === members[member]!.userId) return; // the sender's own echo
    const at = sentAt.get(clientUuid);
    if (at === undefined) return;
    latencies.push(now() - at);
  };
  const heapBefore = await heapAfterGc();
  const start = now();
  const connectTimes = await fleet.connect(onMessage);
  const connectMs = now() - start;
  // Chat latency is measured on a settled fleet: every connection on a websocket (raw ones upgrade
  // from long-polling; while an upgrade is in flight, engine.io holds writes back for up to hundreds of ms).
  await until(() => fleet.upgraded() === members.length, 60_000, 'every connection upgraded to websocket', 20);
  const upgradedMs = now() - start;
  await sleep(500);
  const heapPerClient = ((await heapAfterGc()) - heapBefore) / members.length;

  for (let round = 0; round < ROUNDS; round++) {
    expected += members.length;
    for (let i = 0; i < members.length; i++) {
      setTimeout(() => {
        const clientUuid = `${tag}-r${round}-m${i}`; // unique per phase: the server deduplicates by clientUuid
        sentAt.set(clientUuid, now());
        fleet.send(i, clientUuid);
      }, Math.random() * WINDOW_MS);
    }
    await until(() => latencies.length >= expected, 60_000, `round ${round + 1}: ${expected} deliveries`, 20);
    await sleep(500);
  }
  await fleet.close();
  await drained(server);
  return { connectMs, upgradedMs, connectTimes, latencies, heapPerClient };
}

type Outcome = Awaited<ReturnType<typeof scenario>>;

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Passes of one kind pooled: mean connect time, every latency and connect sample. */
function pool(outcomes: Outcome[]): Outcome {
  return {
    connectMs: mean(outcomes.map((o) => o.connectMs)),
    upgradedMs: mean(outcomes.map((o) => o.upgradedMs)),
    connectTimes: outcomes.flatMap((o) => o.connectTimes),
    latencies: outcomes.flatMap((o) => o.latencies),
    heapPerClient: mean(outcomes.map((o) => o.heapPerClient)),
  };
}

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed;
}

async function drained(server: WorkerServer<TestServerMethods>): Promise<void> {
  const start = Date.now();
  while ((await server.call('engineConnectionCount')) > 0) {
    if (Date.now() - start > 30_000) throw new Error('connections still open on the server');
    await sleep(100);
  }
}

function payload(member: Member, clientUuid: string) {
  return {
    consultationId: member.consultationId,
    userId: member.userId,
    role: member.role,
    content: `hello from ${member.userId}`,
    clientUuid,
  };
}

function sdkFleet(url: string, members: Member[], sdk: Awaited<ReturnType<typeof builtSdk>>): Fleet {
  const clients: HcwClient[] = [];
  return {
    async connect(onMessage) {
      const start = now();
      const times: number[] = [];
      await Promise.all(
        members.map((member, i) => {
          const client = sdk.createHcwClient({
            url,
            consultationId: member.consultationId,
            userId: member.userId,
            role: member.role,
            token: member.token,
          });
          clients.push(client);
          client.chat
            .on('new_message')
            .subscribe((event) => onMessage(i, event.clientUuid ?? '', String(event.senderId ?? event.message?.senderId)));
          return new Promise<void>((resolve) => {
            const subscription = client.chat.state$.subscribe((state) => {
              if (state.status !== 'connected') return;
              times.push(now() - start);
              queueMicrotask(() => subscription.unsubscribe());
              resolve();
            });
          });
        }),
      );
      return times;
    },
    upgraded: () => clients.filter((client) => client.connection.manager.engine?.transport?.name === 'websocket').length,
    send(i, clientUuid) {
      const member = members[i]!;
      void clients[i]!.chat.sendMessage(payload(member, clientUuid).content, { clientUuid }).catch(() => undefined);
    },
    async close() {
      for (const client of clients) client.dispose();
    },
  };
}

function rawFleet(url: string, members: Member[]): Fleet {
  const sockets: Socket[] = [];
  return {
    async connect(onMessage) {
      const start = now();
      const times: number[] = [];
      await Promise.all(
        members.map((member, i) => {
          const socket = rawSocket(url, '/chat', { query: handshakeQuery(member, [chatNamespace]), auth: { token: member.token } });
          sockets.push(socket);
          socket.on('new_message', (event: { clientUuid?: string; senderId?: string }) =>
            onMessage(i, event.clientUuid ?? '', String(event.senderId)),
          );
          return connected(socket, 60_000).then(() => void times.push(now() - start));
        }),
      );
      return times;
    },
    upgraded: () => sockets.filter((socket) => socket.io.engine?.transport?.name === 'websocket').length,
    send(i, clientUuid) {
      sockets[i]!.emit('send_message', payload(members[i]!, clientUuid));
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
    },
  };
}
