/**
 * What `npm start` starts (scripts/start.ts), in-process, for it and for the browser test of the
 * peer-to-peer page (test/browser/p2p-demo.test.ts): the HCW test server serving the web demo with
 * one seeded consultation, and the peer-to-peer demo (scripts/p2p-demo.ts) on the next port; and
 * the text `npm start` prints.
 */
import { fileURLToPath } from 'node:url';
import { startTestServer, type ProfileName, type TestServer, type TestServerLogger } from '../test-server/index.js';
import { P2P_ROOM, P2P_USERS, startP2pDemo, type P2pDemo } from './p2p-demo.js';

export const WEB_DEMO_DIR = fileURLToPath(new URL('../examples/web-demo/', import.meta.url));

export interface DemoServersOptions {
  readonly profile: ProfileName;
  /** The HCW test server's port (0: a free one). */
  readonly port: number;
  readonly host: string;
  /** The peer-to-peer demo's port. Default `port + 1` (a free one when `port` is 0). */
  readonly p2pPort?: number;
  readonly logger?: TestServerLogger;
}

export interface DemoServers {
  readonly hcw: TestServer;
  readonly p2p: P2pDemo;
  readonly consultationId: number;
  readonly practitionerId: string | number;
  readonly patientId: string | number;
  /** The web demo's page of one role. */
  pageUrl: (role: 'patient' | 'practitioner') => string;
  /** What `npm start` prints: the URLs to open and how to get a token. */
  readonly banner: string;
  close(): Promise<void>;
}

export async function startDemoServers(options: DemoServersOptions): Promise<DemoServers> {
  const { profile, port, host } = options;
  // The reference backend's users are numeric (Prisma ids), compared strictly: seed numbers there.
  const practitionerId = profile === 'reference' ? 101 : 'dr-demo';
  const patientId = profile === 'reference' ? 201 : 'patient-demo';
  const hcw = await startTestServer({ profile, port, host, staticDir: WEB_DEMO_DIR, logger: options.logger });
  let p2p: P2pDemo;
  try {
    p2p = await startP2pDemo({ host, port: options.p2pPort ?? (port === 0 ? 0 : port + 1) });
  } catch (error) {
    await hcw.close();
    throw error;
  }
  // GET /dev/consultations/:id/waiting: the waiting list the practitioner page loads (the app's REST API stand-in).
  const consultationId = hcw.createConsultation({ practitionerId, patientId });
  const ids = { patient: patientId, practitioner: practitionerId };
  const pageUrl = (role: 'patient' | 'practitioner') =>
    `${hcw.url}/index.html?role=${role}&consultationId=${consultationId}&userId=${ids[role]}`;
  return {
    hcw,
    p2p,
    consultationId,
    practitionerId,
    patientId,
    pageUrl,
    banner: banner({ hcw, p2p, host, consultationId, practitionerId, patientId, pageUrl }),
    close: async () => {
      await Promise.all([hcw.close(), p2p.close()]);
    },
  };
}

interface BannerInput {
  hcw: TestServer;
  p2p: P2pDemo;
  host: string;
  consultationId: number;
  practitionerId: string | number;
  patientId: string | number;
  pageUrl: (role: 'patient' | 'practitioner') => string;
}

function banner({ hcw, p2p, host, consultationId, practitionerId, patientId, pageUrl }: BannerInput): string {
  const base = hcw.url;
  const reference = hcw.profile.name === 'reference';
  const [first, second] = P2P_USERS;
  return `
HCW@Home test server (profile ${hcw.profile.name}) with the web demo on ${base}

Open in two browser windows (camera and microphone work on localhost / 127.0.0.1):
  Patient:       ${pageUrl('patient')}
  Practitioner:  ${pageUrl('practitioner')}

The patient enters the waiting room; the practitioner sees them in the live list and clicks Admit.${
    reference
      ? `
Reference profile (like the real HCW@Home backend): no /enhanced-consultation (no latency) and no
producer discovery (no video of the other side; local camera and microphone work); the page says so.
The waiting list of a practitioner who opens the page late comes from GET ${base}/dev/consultations/${consultationId}/waiting.
A practitioner's disconnect (a reload included) ends the consultation there (TERMINATED_OPEN).`
      : ''
  }

Peer-to-peer call over the plain-WebSocket contract (plain-ws test server, room ${P2P_ROOM}) on ${p2p.url}:
  ${pad(first)} ${p2p.pageUrl(first)}
  ${pad(second)} ${p2p.pageUrl(second)}

Tokens (development only): the pages fetch one themselves. For your own client:
  curl -s -X POST ${base}/dev/token -H 'content-type: application/json' \\
       -d '{"userId":${JSON.stringify(patientId)},"role":"PATIENT"}'
  curl -s -X POST ${p2p.url}/dev/token -H 'content-type: application/json' -d '{"userId":"${first}"}'   (plain-ws)
More consultations:
  curl -s -X POST ${base}/dev/consultations -H 'content-type: application/json' \\
       -d '{"practitionerId":${JSON.stringify(practitionerId)},"patientId":${JSON.stringify(reference ? 202 : 'patient-2')}}'
Waiting list: ${base}/dev/consultations/${consultationId}/waiting
Health: ${base}/dev/health

Ctrl-C stops both servers.${
    /^(127\.|localhost$|::1$)/.test(host)
      ? ''
      : `
Note: browsers only open the camera on https or localhost; from another machine use an https proxy.`
  }
`;
}

/** `alice` → `Alice:` padded like the web demo's labels. */
const pad = (user: string) => `${user[0]!.toUpperCase()}${user.slice(1)}:`.padEnd(14);
