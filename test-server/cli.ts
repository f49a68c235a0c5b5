import { parseArgs } from 'node:util';
import { consoleLogger } from './options.js';
import { startTestServer } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4000' },
    host: { type: 'string', default: '127.0.0.1' },
    static: { type: 'string' },
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

  npm run test-server -- [--port 4000] [--host 127.0.0.1] [--static dir] [--no-media] [--announced-ip ip] [--heartbeat-ms 30000]
                         [--profile full|reference] [--patient-waiting-debounce-ms 60000] [--quiet]

  --profile full       (default) the whole contract plus the test server's extensions, announced by server_features
  --profile reference  behaves like the real HCW@Home backend (shared/notes/reference-backend.md): /consultation,
                       /chat and /mediasoup only, no recovery, no extensions, numeric ids (see test-server/profile.ts)`);
  process.exit(0);
}

if (values.profile !== 'full' && values.profile !== 'reference') {
  console.error(`--profile must be full or reference (got ${values.profile})`);
  process.exit(2);
}
const profile = values.profile;

const server = await startTestServer({
  profile,
  port: Number(values.port),
  host: values.host,
  media: !values['no-media'],
  ...(values.static ? { staticDir: values.static } : {}),
  ...(values['announced-ip'] ? { announcedIp: values['announced-ip'] } : {}),
  ...(values['heartbeat-ms'] ? { heartbeatIntervalMs: Number(values['heartbeat-ms']) } : {}),
  ...(values['patient-waiting-debounce-ms'] ? { patientWaitingDebounceMs: Number(values['patient-waiting-debounce-ms']) } : {}),
  ...(values.quiet ? {} : { logger: consoleLogger }),
});

// The reference backend's users are numeric (Prisma ids).
const practitionerId = profile === 'reference' ? '1' : 'dr-demo';
const patientId = profile === 'reference' ? '2' : 'patient-demo';
const consultationId = server.createConsultation({ practitionerId, patientId });

console.log(`
HCW test server on ${server.url} (profile ${server.profile.name})
  Socket.IO namespaces: ${server.profile.namespaces.join(' ')} (path /socket.io)
  Demo consultation ${consultationId}: practitioner "${practitionerId}", patient "${patientId}"
  Media: ${server.options.media ? `mediasoup, WebRTC on ${server.options.listenIp}` : 'off'}${values.static ? `\n  Static files: ${values.static}` : ''}

Dev endpoints:
  GET  ${server.url}/dev/health
  POST ${server.url}/dev/token          { "userId", "role", "ttlSeconds"? }      -> { "token" }
  POST ${server.url}/dev/consultations  { "practitionerId", "patientId", "status"? } -> { "consultationId" }

Get a token:
  curl -s -X POST ${server.url}/dev/token -H 'Content-Type: application/json' -d '{"userId":"${patientId}","role":"PATIENT"}'

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
