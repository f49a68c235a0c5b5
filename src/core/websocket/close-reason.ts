/** Why a server refused a plain WebSocket connection: the `data.code` of the endpoint's `connect_error`. */
export type RefusalCode = 'unauthorized' | 'forbidden' | 'not_found';

/**
 * How a WebSocket ended, for the SDK:
 * - `refused`: the server said no (HTTP 401/403/404 at the upgrade, or close codes 4401/4403/4404
 *   and 1008 after it): not retried by itself (a 401 once with a fresh token);
 * - `ended`: the server closed it normally (1000): the namespace is `disconnected` (reason `server`);
 * - `lost`: anything else (the server restarting, the network, 1001, 1006, 1011, 1012...): reconnect.
 */
export type Ending = { kind: 'refused'; code: RefusalCode; message: string } | { kind: 'ended' } | { kind: 'lost'; cause: string };

const REFUSALS: Record<number, RefusalCode> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' };

/**
 * The HTTP status of a refused upgrade, where the platform tells it: `ws` ("Unexpected server
 * response: 401") and React Native ("... 401 ...") put it in the error event's message; browsers
 * hide it (the close is a bare 1006, and the attempt is retried).
 */
export function upgradeStatus(message: unknown): number | undefined {
  if (typeof message !== 'string') return undefined;
  const match = /response\D*\b(40[134])\b/i.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** What a close means; `status` is the refused upgrade's HTTP status, when known. */
export function endingOf(code: number, reason: string, status: number | undefined, opened: boolean): Ending {
  const refusal = status === undefined ? (code === 1008 ? 'forbidden' : REFUSALS[code - 4000]) : REFUSALS[status];
  if (refusal) {
    const why = reason || (status === undefined ? `closed with ${code}` : `HTTP ${status} at the upgrade`);
    return { kind: 'refused', code: refusal, message: `${refusal.replace('_', ' ')}: ${why}` };
  }
  if (code === 1000 && opened) return { kind: 'ended' };
  const detail = `${code}${reason ? ` ${reason}` : ''}`;
  return { kind: 'lost', cause: opened ? `transport close (${detail})` : `connection failed (${detail})` };
}
