/**
 * `npm start`: the test server on port 4000 (or $PORT) serving the web demo, with one seeded
 * consultation, and prints the two URLs to open and how to get a token. Ctrl-C (or SIGTERM)
 * closes everything cleanly.
 *
 * `npm start -- --profile reference`: the same against the profile that behaves like the real
 * HCW@Home backend (numeric users: practitioner 101, patient 201; what the page cannot show
 * there is explained on it).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { consoleLogger } from '../test-server/options.js';
import { startTestServer } from '../test-server/index.js';

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: process.env.PROFILE ?? 'full' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`npm start [-- --profile full|reference]   (PORT, HOST, VERBOSE=1 in the environment)

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

const demoDir = fileURLToPath(new URL('../examples/web-demo/', import.meta.url));
const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? '127.0.0.1';
// The reference backend's users are numeric (Prisma ids), compared strictly: seed numbers there.
const practitionerId = profile === 'reference' ? 101 : 'dr-demo';
const patientId = profile === 'reference' ? 201 : 'patient-demo';

if (!existsSync(new URL('dist/demo.js', `file://${demoDir}`))) {
  console.warn('The demo bundle is missing: run `npm run build:demo` (npm start builds it) — the page will not load without it.');
}

const server = await startTestServer({ profile, port, host, staticDir: demoDir, logger: process.env.VERBOSE ? consoleLogger : undefined });
// GET /dev/consultations/:id/waiting: the waiting list the practitioner page loads (the app's REST API stand-in).
const consultationId = server.createConsultation({ practitionerId, patientId });
const base = server.url;
const page = (role: string, userId: string | number) => `${base}/index.html?role=${role}&consultationId=${consultationId}&userId=${userId}`;
const reference = profile === 'reference';

console.log(`
HCW@Home test server (profile ${server.profile.name}) with the web demo on ${base}

Open in two browser windows (camera and microphone work on localhost / 127.0.0.1):
  Patient:       ${page('patient', patientId)}
  Practitioner:  ${page('practitioner', practitionerId)}

The patient enters the waiting room; the practitioner sees them in the live list and clicks Admit.${
  reference
    ? `
Reference profile (like the real HCW@Home backend): no /enhanced-consultation (no latency) and no
producer discovery (no video of the other side; local camera and microphone work); the page says so.
The waiting list of a practitioner who opens the page late comes from GET ${base}/dev/consultations/${consultationId}/waiting.
A practitioner's disconnect (a reload included) ends the consultation there (TERMINATED_OPEN).`
    : ''
}

Tokens (development only): the page fetches one itself. For your own client:
  curl -s -X POST ${base}/dev/token -H 'content-type: application/json' \\
       -d '{"userId":${JSON.stringify(patientId)},"role":"PATIENT"}'
More consultations:
  curl -s -X POST ${base}/dev/consultations -H 'content-type: application/json' \\
       -d '{"practitionerId":${JSON.stringify(practitionerId)},"patientId":${JSON.stringify(reference ? 202 : 'patient-2')}}'
Waiting list: ${base}/dev/consultations/${consultationId}/waiting
Health: ${base}/dev/health

Ctrl-C stops the server.${
  /^(127\.|localhost$|::1$)/.test(host)
    ? ''
    : `
Note: browsers only open the camera on https or localhost; from another machine use an https proxy.`
}
`);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  console.log(`\n${signal}: closing the server…`);
  const force = setTimeout(() => {
    console.error('Could not close within 5 s; exiting.');
    process.exit(1);
  }, 5000);
  force.unref();
  try {
    await server.close();
    console.log('Closed.');
    process.exit(0);
  } catch (error) {
    console.error('Error while closing:', error);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
