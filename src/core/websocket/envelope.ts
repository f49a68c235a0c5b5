/** One event as it crosses a plain WebSocket: its name and its payload. */
export interface Envelope {
  readonly event: string;
  readonly payload: unknown;
}

/**
 * How events are framed on a plain WebSocket (one JSON text message per event). `encode` writes
 * what the SDK sends; `decode` reads what the server sends, `undefined` for a message that carries
 * no event (not JSON, no name).
 */
export interface EnvelopeCodec {
  encode(event: string, payload: unknown): string;
  decode(text: string): Envelope | undefined;
}

/**
 * Reads both shapes: `{ event, payload }` (what the servers of
 * `docs/upstream/related-systems/plain-websocket-envelope.md` send) and `{ type, data }` (what its
 * clients send); liberal in what it accepts. `event` wins when both names are there (a relayed
 * `video.offer` is `{ event, payload: { type, from, data } }`).
 */
export function decodeEnvelope(text: string): Envelope | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const { event, type, payload, data } = message as Record<string, unknown>;
  const name = typeof event === 'string' ? event : typeof type === 'string' ? type : undefined;
  if (name === undefined || name === '') return undefined;
  return { event: name, payload: 'payload' in message ? payload : data };
}

/**
 * Sends `{ type, data }`, reads both shapes: the envelope of the plain-WebSocket platform's own
 * client examples and of what its handlers read (`type: 'ping'`, `type: 'chat.message'`). The
 * default of `webSocketTransport()`. `data` is left out when the payload is `undefined`
 * (`{ "type": "ping" }`, as the document sends it).
 */
export const typeDataEnvelope: EnvelopeCodec = {
  encode: (event, payload) => JSON.stringify({ type: event, data: payload }),
  decode: decodeEnvelope,
};

/** Sends `{ event, payload }`, reads both shapes: for servers that read the envelope they send. */
export const eventPayloadEnvelope: EnvelopeCodec = {
  encode: (event, payload) => JSON.stringify({ event, payload }),
  decode: decodeEnvelope,
};
