import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { consoleLogger } from './options.js';
import { startTestServer } from './index.js';

/** The web demo, served when its bundle is built (`npm run build:demo`; `npm start` builds it). */
const DEMO_DIR = fileURLToPath(new URL('../examples/web-demo/', import.meta.url));

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4000' },
    host: { type: 'string', default: '127.0.0.1' },
    static: { type: 'string' },
    'no-demo': { type: 'boolean', default: false },
    'no-media': { type: 'boolean', default: false },
    'announced-ip': { type: 'string' },
    'heartbeat-ms': { type: 'string' },
    profile: { type: 'string', default: 'full' },
    'patient-waiting-debounce-ms': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`HCW@Home test server

  npm run test-server -- [--port 4000] [--host 127.0.0.1] [--static dir] [--no-demo] [--no-media] [--announced-ip ip]
                         [--heartbeat-ms 30000] [--profile full|reference] [--patient-waiting-debounce-ms 60000] [--quiet]

  The web demo (examples/web-demo) is served at /index.html when its bundle is built (npm run build:demo,
  or npm start, the main command, which builds and serves it); --no-demo or --static dir serve nothing or dir instead.

  --profile full       (default) the whole contract plus the test server's extensions, announced by server_features
  --profile reference  behaves like the real HCW@Home backend (docs/upstream/reference-backend.md): /consultation,
                       /chat and /mediasoup only, no recovery, no extensions, numeric ids (see test-server/profile.ts)`);
  process.exit(0);
}

if (values.profile !== 'full' && values.profile !== 'reference') {
  console.error(`--profile must be full or reference (got ${values.profile})`);
  process.exit(2);
}
const profile = values.profile;
const staticDir = values.static ?? (!values['no-demo'] && existsSync(`${DEMO_DIR}dist/demo.js`) ? DEMO_DIR : undefined);

const server = await startTestServer({
  profile,
  port: Number(values.port),
  host: values.host,
  media: !values['no-media'],
  ...(staticDir ? { staticDir } : {}),
  ...(values['announced-ip'] ? { announcedIp: values['announced-ip'] } : {}),
  ...(values['heartbeat-ms'] ? { heartbeatIntervalMs: Number(values['heartbeat-ms']) } : {}),
  ...(values['patient-waiting-debounce-ms'] ? { patientWaitingDebounceMs: Number(values['patient-waiting-debounce-ms']) } : {}),
  ...(values.quiet ? {} : { logger: consoleLogger }),
});

// GET /dev/consultations/:id/waiting (the demo's stand-in for the app's REST waiting list).
// The reference backend's users are numeric (Prisma ids), compared strictly.
const practitionerId = profile === 'reference' ? 101 : 'dr-demo';
const patientId = profile === 'reference' ? 201 : 'patient-demo';
const consultationId = server.createConsultation({ practitionerId, patientId });
const demoPage = (role: string, userId: string | number) =>
  `${server.url}/index.html?role=${role}&consultationId=${consultationId}&userId=${userId}`;
const demo =
  staticDir === DEMO_DIR
    ? `\n  Web demo:  patient ${demoPage('patient', patientId)}\n             practitioner ${demoPage('practitioner', practitionerId)}`
    : staticDir
      ? `\n  Static files: ${staticDir}`
      : `\n  Web demo: not built (npm run build:demo, or use npm start)`;

console.log(`
HCW test server on ${server.url} (profile ${server.profile.name})
  Socket.IO namespaces: ${server.profile.namespaces.join(' ')} (path /socket.io)
  Demo consultation ${consultationId}: practitioner "${practitionerId}", patient "${patientId}"
  Media: ${server.options.media ? `mediasoup, WebRTC on ${server.options.listenIp}` : 'off'}${demo}

Dev endpoints:
  GET  ${server.url}/dev/health
  POST ${server.url}/dev/token          { "userId", "role", "ttlSeconds"? }      -> { "token" }
  POST ${server.url}/dev/consultations  { "practitionerId", "patientId", "status"? } -> { "consultationId" }
  GET  ${server.url}/dev/consultations/${consultationId}/waiting  -> [{ "patientId", "consultationId", "firstName", "joinedAt" }]
                                         (stands in for the app's own backend REST API: the waiting list)

Get a token:
  curl -s -X POST ${server.url}/dev/token -H 'Content-Type: application/json' -d '{"userId":${JSON.stringify(patientId)},"role":"PATIENT"}'

Ctrl-C to stop.
`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: closing...`);
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
