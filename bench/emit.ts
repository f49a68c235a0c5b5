import { chatNamespace, checkPayload } from '../src/contract/index.js';
import { sendMessagePayload } from './lib/payloads.js';
import type { PlainServerMethods } from './lib/plain-server.js';
import { alternate, median, microseconds, ms, now, ratio, type Benchmark } from './lib/result.js';
import { connected, rawSocket, sdkClient, sdkConnected } from './lib/clients.js';
import { startWorker } from './lib/worker.js';

const EVENTS = 100_000;
const ROUNDS = 7;

/** 100k validated `svc.emit()` vs raw `socket.emit`, until the server has received them all. */
const emit: Benchmark = {
  name: 'emit',
  title: 'Emit path: 100k client events',
  async run() {
    const server = await startWorker<PlainServerMethods>(new URL('./lib/plain-server.ts', import.meta.url));
    const url = await server.call('url');
    const payload = sendMessagePayload();
    const client = sdkClient({ url, transports: ['websocket'] });
    void client.chat; // services open on first use
    const raw = rawSocket(url, '/chat', { transports: ['websocket'] });
    await Promise.all([sdkConnected(client), connected(raw)]);

    const loops = { sdk: [] as number[], raw: [] as number[] };
    const measure = (name: 'sdk' | 'raw', n: number, send: () => void) => async () => {
      const received = server.call('expect', 'send_message', n);
      await new Promise((resolve) => setImmediate(resolve)); // the expectation is set in the worker
      await new Promise((resolve) => setTimeout(resolve, 5));
      const start = now();
      for (let i = 0; i < n; i++) send();
      loops[name].push(now() - start);
      await received;
      return now() - start;
    };
    const sdkSend = () => void client.chat.emit('send_message', payload);
    const rawSend = () => void raw.emit('send_message', payload);
    await alternate(2, measure('sdk', 10_000, sdkSend), measure('raw', 10_000, rawSend));
    loops.sdk.length = 0;
    loops.raw.length = 0;
    const samples = await alternate(ROUNDS, measure('sdk', EVENTS, sdkSend), measure('raw', EVENTS, rawSend));

    const encoder = new TextEncoder();
    const validationUs = microseconds(() => checkPayload(chatNamespace, 'send_message', payload));
    const stringifyUs = microseconds(() => JSON.stringify(payload));
    const encodeUs = microseconds(() => encoder.encode(JSON.stringify(payload)).length) - stringifyUs;

    client.dispose();
    raw.disconnect();
    await server.call('close');
    await server.close();

    const sdk = median(samples.sdk);
    const base = median(samples.baseline);
    const value = sdk / base;
    const [sdkLoop, rawLoop] = [median(loops.sdk), median(loops.raw)];
    return {
      target: 'SDK / raw (no target set; reported)',
      value: ratio(value),
      pass: null,
      context: [
        `SDK \`chat.emit('send_message')\` (validated, size-checked): median ${ms(sdk)} per 100k until the server has them all = ${Math.round(EVENTS / (sdk / 1000)).toLocaleString('en')} events/s`,
        `raw \`socket.emit('send_message')\`: median ${ms(base)} per 100k = ${Math.round(EVENTS / (base / 1000)).toLocaleString('en')} events/s`,
        `the synchronous emit loop alone: SDK ${ms(sdkLoop)}, raw ${ms(rawLoop)} (${ratio(sdkLoop / rawLoop)}); per call ${((sdkLoop * 1000) / EVENTS).toFixed(2)} µs vs ${((rawLoop * 1000) / EVENTS).toFixed(2)} µs ` +
          "(the SDK's Socket.IO client writes each packet to the WebSocket at once; socket.io-client queues them during the loop and writes them after it, so only the end-to-end time compares like with like)",
        `in isolation, per call: contract validation ${validationUs.toFixed(2)} µs, \`JSON.stringify\` for the size check ${stringifyUs.toFixed(2)} µs (UTF-8 encoding, ${Math.max(0, encodeUs).toFixed(2)} µs, is skipped unless the payload is longer than a third of \`maxPayloadBytes\`)`,
        `${ROUNDS} rounds each (ms): SDK ${samples.sdk.map((v) => v.toFixed(0)).join(', ')}; raw ${samples.baseline.map((v) => v.toFixed(0)).join(', ')}`,
      ],
      method:
        'One websocket-only /chat connection each; 100k `send_message` payloads (as the chat store sends them) emitted in one loop, timed until a plain Socket.IO server in a worker thread of the same process has received the 100k-th. SDK and raw measured alternately.',
    };
  },
};
export default emit;
