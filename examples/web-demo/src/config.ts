import type { Role } from '../../../src/index.js';
import type { WaitingPatientInput } from '../../../src/state/index.js';

/**
 * What the page is, from its URL: `?role=patient|practitioner&consultationId=1&userId=...&token=...`.
 * Ids that are all digits go out as numbers: the reference HCW@Home backend's ids are integers,
 * compared strictly (`201 !== '201'`); other ids stay strings.
 */
export interface DemoConfig {
  role: Extract<Role, 'PATIENT' | 'PRACTITIONER'>;
  consultationId: string | number;
  userId: string | number;
  /** A fixed token (otherwise the page asks the test server's `/dev/token` on every connection). */
  token: string | undefined;
  /** Server origin (default: the page's own). */
  serverUrl: string;
}

export function readConfig(search: string, origin: string): DemoConfig {
  const params = new URLSearchParams(search);
  const role = (params.get('role') ?? 'patient').toLowerCase() === 'practitioner' ? 'PRACTITIONER' : 'PATIENT';
  return {
    role,
    consultationId: wireId(params.get('consultationId') ?? '1'),
    userId: wireId(params.get('userId') ?? (role === 'PATIENT' ? 'patient-demo' : 'dr-demo')),
    token: params.get('token') ?? undefined,
    serverUrl: params.get('server') ?? origin,
  };
}

/** An id as the server wants it: a number when it is a canonical positive integer, else the string. */
export function wireId(raw: string): string | number {
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : raw;
}

/**
 * The waiting list from the test server's `GET /dev/consultations/:id/waiting`, standing in for
 * the app's own backend REST API: the reference backend tells a practitioner who connects after
 * the patient nothing about them over its sockets (`PractitionerWaitingRoom`'s `loadWaitingPatients`).
 */
export async function fetchWaitingPatients(config: DemoConfig): Promise<WaitingPatientInput[]> {
  const response = await fetch(
    new URL(`/dev/consultations/${encodeURIComponent(String(config.consultationId))}/waiting`, config.serverUrl),
  );
  if (!response.ok) throw new Error(`GET /dev/consultations/${config.consultationId}/waiting answered HTTP ${response.status}`);
  const body = (await response.json()) as unknown;
  if (!Array.isArray(body)) throw new Error('the waiting list is not an array');
  return body as WaitingPatientInput[];
}

/** Development tokens from the test server (`POST /dev/token`); a real app gets them from its backend. */
export async function fetchDevToken(config: DemoConfig): Promise<string> {
  if (config.token) return config.token;
  const response = await fetch(new URL('/dev/token', config.serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: config.userId, role: config.role }),
  });
  if (!response.ok) throw new Error(`POST /dev/token answered HTTP ${response.status}`);
  const body = (await response.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new Error('POST /dev/token returned no token');
  return body.token;
}
