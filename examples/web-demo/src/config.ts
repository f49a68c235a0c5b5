import type { Role } from '../../../src/index.js';

/** What the page is, from its URL: `?role=patient|practitioner&consultationId=1&userId=...&token=...`. */
export interface DemoConfig {
  role: Extract<Role, 'PATIENT' | 'PRACTITIONER'>;
  consultationId: string | number;
  userId: string;
  /** A fixed token (otherwise the page asks the test server's `/dev/token` on every connection). */
  token: string | undefined;
  /** Server origin (default: the page's own). */
  serverUrl: string;
}

export function readConfig(search: string, origin: string): DemoConfig {
  const params = new URLSearchParams(search);
  const role = (params.get('role') ?? 'patient').toLowerCase() === 'practitioner' ? 'PRACTITIONER' : 'PATIENT';
  const rawId = params.get('consultationId') ?? '1';
  return {
    role,
    // The reference backend uses integer ids; keep strings for other deployments.
    consultationId: /^\d+$/.test(rawId) ? Number(rawId) : rawId,
    userId: params.get('userId') ?? (role === 'PATIENT' ? 'patient-demo' : 'dr-demo'),
    token: params.get('token') ?? undefined,
    serverUrl: params.get('server') ?? origin,
  };
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
