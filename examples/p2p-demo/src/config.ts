/**
 * What the page is, from its URL: `?room=demo&user=alice`. The server is the page's own origin
 * (the plain-ws test server serves the page, its token endpoint and the WebSockets), so no port is
 * written anywhere. The token never goes in a URL: it is fetched on every connection attempt.
 */
export interface P2pDemoConfig {
  readonly room: string;
  readonly user: string;
  /** Where the WebSockets and `/dev/token` are: the page's origin. */
  readonly serverUrl: string;
}

export function readConfig(search: string, origin: string): P2pDemoConfig {
  const params = new URLSearchParams(search);
  return { room: params.get('room') || 'demo', user: params.get('user') || 'alice', serverUrl: origin };
}

/** A development token from the plain-ws test server (`POST /dev/token`); a real app gets its tokens from its backend. */
export async function fetchDevToken(config: P2pDemoConfig): Promise<string> {
  const response = await fetch(new URL('/dev/token', config.serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: config.user }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: unknown; error?: unknown };
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`POST /dev/token answered HTTP ${response.status}${typeof body.error === 'string' ? `: ${body.error}` : ''}`);
  }
  return body.token;
}
