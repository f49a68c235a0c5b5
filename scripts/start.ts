/**
 * `npm start`: the test server on port 4000 (or $PORT) serving the web demo, with one seeded
 * consultation (practitioner `dr-demo`, patient `patient-demo`). Prints the two URLs to open and
 * how to get a token. Ctrl-C (or SIGTERM) closes everything cleanly.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { consoleLogger } from '../test-server/options.js';
import { startTestServer } from '../test-server/index.js';

const demoDir = fileURLToPath(new URL('../examples/web-demo/', import.meta.url));
const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? '127.0.0.1';
const practitionerId = 'dr-demo';
const patientId = 'patient-demo';

if (!existsSync(new URL('dist/demo.js', `file://${demoDir}`))) {
  console.warn('The demo bundle is missing: run `npm run build:demo` (npm start builds it) — the page will not load without it.');
}

const server = await startTestServer({ port, host, staticDir: demoDir, logger: process.env.VERBOSE ? consoleLogger : undefined });
const consultationId = await server.createConsultation({ practitionerId, patientId });
const base = server.url;
const page = (role: string, userId: string) => `${base}/index.html?role=${role}&consultationId=${consultationId}&userId=${userId}`;

console.log(`
HCW@Home test server with the web demo on ${base}

Open in two browser windows (camera and microphone work on localhost / 127.0.0.1):
  Patient:       ${page('patient', patientId)}
  Practitioner:  ${page('practitioner', practitionerId)}

The patient enters the waiting room; the practitioner sees them in the live list and clicks Admit.

Tokens (development only): the page fetches one itself. For your own client:
  curl -s -X POST ${base}/dev/token -H 'content-type: application/json' \\
       -d '{"userId":"${patientId}","role":"PATIENT"}'
More consultations:
  curl -s -X POST ${base}/dev/consultations -H 'content-type: application/json' \\
       -d '{"practitionerId":"${practitionerId}","patientId":"patient-2"}'
Health: ${base}/dev/health

Ctrl-C stops the server.${/^(127\.|localhost$|::1$)/.test(host) ? '' : `
Note: browsers only open the camera on https or localhost; from another machine use an https proxy.`}
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
