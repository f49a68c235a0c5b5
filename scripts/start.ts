/**
 * `npm start`: the test server on port 4000 (or $PORT) serving the web demo, with one seeded
 * consultation, and the peer-to-peer demo over the plain-WebSocket contract on the next port (or
 * $P2P_PORT); prints the URLs to open and how to get a token (scripts/demo-servers.ts starts
 * both). Ctrl-C (or SIGTERM) closes everything cleanly.
 *
 * `npm start -- --profile reference`: the same against the profile that behaves like the real
 * HCW@Home backend (numeric users: practitioner 101, patient 201; what the page cannot show
 * there is explained on it).
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { consoleLogger } from '../test-server/options.js';
import { startDemoServers, WEB_DEMO_DIR } from './demo-servers.js';
import { P2P_DEMO_DIR } from './p2p-demo.js';

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: process.env.PROFILE ?? 'full' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`npm start [-- --profile full|reference]   (PORT, P2P_PORT, HOST, VERBOSE=1 in the environment)

  --profile full       (default) the whole contract plus the test server's extensions
  --profile reference  like the real HCW@Home backend: /consultation, /chat, /mediasoup only, numeric ids,
                       no extensions (the demo says what it cannot show there)`);
  process.exit(0);
}
if (values.profile !== 'full' && values.profile !== 'reference') {
  console.error(`--profile must be full or reference (got ${values.profile})`);
  process.exit(2);
}
const profile = values.profile;

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? '127.0.0.1';
const p2pPort = process.env.P2P_PORT === undefined ? undefined : Number(process.env.P2P_PORT);

for (const bundle of [join(WEB_DEMO_DIR, 'dist/demo.js'), join(P2P_DEMO_DIR, 'dist/p2p-demo.js')]) {
  if (!existsSync(bundle)) {
    console.warn(
      `${relative(process.cwd(), bundle)} is missing: run \`npm run build:demo\` (npm start builds it) — its page will not load without it.`,
    );
  }
}

const servers = await startDemoServers({
  profile,
  port,
  host,
  ...(p2pPort === undefined ? {} : { p2pPort }),
  logger: process.env.VERBOSE ? consoleLogger : undefined,
});
console.log(servers.banner);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  console.log(`\n${signal}: closing the servers…`);
  const force = setTimeout(() => {
    console.error('Could not close within 5 s; exiting.');
    process.exit(1);
  }, 5000);
  force.unref();
  try {
    await servers.close();
    console.log('Closed.');
    process.exit(0);
  } catch (error) {
    console.error('Error while closing:', error);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
