import type { NamespaceSpec } from '../../contract/index.js';
import { HcwError } from '../errors.js';

/** `:name` segments of an endpoint path (`/ws/comms/chat-rooms/:room`). */
const PARAM = /:([A-Za-z_][A-Za-z0-9_]*)/g;

/** The path parameters of a namespace's name, in order. */
export function pathParams(name: string): string[] {
  return [...name.matchAll(PARAM)].map((match) => match[1]!);
}

/**
 * The WebSocket URL of one endpoint: the client's `url` (`https://` becomes `wss://`, `http://`
 * `ws://`; a path there is a prefix) joined with the namespace's name, its `:params` filled from
 * the handshake values; the namespace's other handshake keys go in the query. Identity only: the
 * token never goes in a URL.
 */
export function endpointUrl(base: string, spec: NamespaceSpec, values: Readonly<Record<string, string>>): string {
  const url = new URL(base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : url.protocol === 'http:' ? 'ws:' : url.protocol;
  const params = pathParams(spec.name);
  for (const param of params) {
    if (!spec.handshake.includes(param)) {
      throw new HcwError('invalid_contract', `${spec.name}: the path parameter :${param} must be one of the namespace's handshake keys`, {
        namespace: spec.name,
      });
    }
  }
  const path = spec.name.replace(PARAM, (_, param: string) => encodeURIComponent(values[param] ?? ''));
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  for (const key of spec.handshake) if (!params.includes(key) && values[key] !== undefined) url.searchParams.set(key, values[key]);
  return url.toString();
}
