/**
 * The generated docs, rendered in memory: `scripts/generate-docs.ts` writes or checks them, the
 * contract tests compare them with the committed files.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { namespaces as contractNamespaces, type NamespaceSpec } from '../../src/contract/index.js';
import { ASYNCAPI_READING, buildAsyncApi } from './asyncapi.js';
import { renderEventsMarkdown } from './events-markdown.js';
import { SHIPPED_CONTRACTS, type ShippedContract } from './shipped.js';

export { buildAsyncApi, channelKey, ackMessageKey, operationKey } from './asyncapi.js';
export type { AsyncApiDocument, AsyncApiMessage, AsyncApiOperation, OperationAction } from './asyncapi.js';
export { renderEventsMarkdown, type EventsDocument } from './events-markdown.js';
export { SHIPPED_CONTRACTS, type ShippedContract } from './shipped.js';
export { describeType, describeFields, toJsonSchema, type JsonSchema } from './schema.js';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const packageVersion = (): string => (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** `docs/asyncapi.json` as written: two-space JSON and a final newline. */
export const renderAsyncApi = (): string => `${JSON.stringify(buildAsyncApi({ version: packageVersion() }), null, 2)}\n`;

const isPrimitive = (value: unknown) => value === null || typeof value !== 'object';
/** What Prettier prints inline in an array: primitives, `{}` and `[]`. */
const isInline = (value: unknown) => isPrimitive(value) || Object.keys(value as object).length === 0;

/**
 * JSON as Prettier prints it (two spaces, objects expanded, arrays of primitives, `{}` and `[]` on one line when
 * they fit in `width`), so that the shipped contracts' documents pass `prettier --check` as they are
 * generated. (docs/asyncapi.json keeps `JSON.stringify`'s layout: Prettier ignores it.)
 */
export function prettierJson(value: unknown, width = 140): string {
  /** `used`: the characters on the line around the value (before it, and a trailing comma). */
  const render = (node: unknown, indent: string, used: number): string => {
    if (isPrimitive(node)) return JSON.stringify(node);
    const inner = `${indent}  `;
    if (Array.isArray(node)) {
      if (node.length === 0) return '[]';
      const flat = `[${node.map((item) => JSON.stringify(item)).join(', ')}]`;
      if (node.every(isInline) && used + flat.length <= width) return flat;
      const items = node.map((item, i) => inner + render(item, inner, inner.length + (i < node.length - 1 ? 1 : 0)));
      return `[\n${items.join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(node as Record<string, unknown>).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([key, item], i) => {
      const head = `${inner}${JSON.stringify(key)}: `;
      return head + render(item, inner, head.length + (i < entries.length - 1 ? 1 : 0));
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  };
  return `${render(value, '', 0)}\n`;
}

/** A generated pair of docs: the events table and the AsyncAPI document of one contract's namespaces. */
export interface ContractDocs {
  /** `HCW@Home` or a shipped contract's name. */
  name: string;
  specs: readonly NamespaceSpec[];
  events: string;
  asyncapi: string;
}

/** A plain WebSocket endpoint's handshake: its path parameters and query keys, the token never in the URL. */
const webSocketHandshake = (spec: NamespaceSpec) => {
  const params = spec.handshake.filter((key) => spec.name.includes(`:${key}`));
  const query = spec.handshake.filter((key) => !params.includes(key));
  const parts = [
    ...(params.length > 0 ? [`path parameters ${params.map((key) => `\`:${key}\``).join(', ')}`] : []),
    ...(query.length > 0 ? [`query keys ${query.map((key) => `\`${key}\``).join(', ')}`] : []),
  ];
  return `A plain WebSocket endpoint${parts.length > 0 ? ` (${parts.join('; ')}, from the client's \`handshake\`)` : ''}: the token travels in the \`Authorization\` header or the \`Sec-WebSocket-Protocol\` offer \`bearer, <token>\`, never in the URL.`;
};

const shippedEvents = (shipped: ShippedContract) =>
  renderEventsMarkdown(Object.values(shipped.contract), {
    title: `${shipped.title}: realtime events`,
    source: `src/contracts/${shipped.name}.ts`,
    intro: [
      `The contract \`hcw-realtime-sdk/contracts/${shipped.name}\` (\`src/contracts/${shipped.name}.ts\`), transcribed from`,
      `[the system's description](../../upstream/related-systems/${shipped.upstream}). ${shipped.summary}`,
      '',
      shipped.transport === 'websocket'
        ? 'One plain WebSocket per namespace (an endpoint path), JSON envelopes; the bearer token travels in the `Authorization` header or the subprotocol offer, never in the URL. No acknowledgements.'
        : 'One Socket.IO connection (path `/socket.io`); the bearer token travels in `handshake.auth.token`, never in the query.',
    ],
    ...(shipped.transport === 'websocket' ? { handshake: webSocketHandshake } : {}),
  });

const shippedAsyncApi = (shipped: ShippedContract) => {
  const websocket = shipped.transport === 'websocket';
  const info = {
    title: `${shipped.title}: realtime server`,
    description:
      `The realtime API of this server over ${websocket ? 'plain WebSocket (one per channel address, JSON envelopes)' : 'Socket.IO 4 (path /socket.io)'}, as the hcw-realtime-sdk contract ` +
      `hcw-realtime-sdk/contracts/${shipped.name} defines it (from docs/upstream/related-systems/${shipped.upstream}). ` +
      `${shipped.summary} ${ASYNCAPI_READING}`,
  };
  const describeChannel = websocket ? (spec: NamespaceSpec) => webSocketHandshake(spec).replace(/`/g, '') : undefined;
  return prettierJson(
    buildAsyncApi({
      version: packageVersion(),
      specs: Object.values(shipped.contract),
      info,
      ...(describeChannel ? { describeChannel } : {}),
    }),
  );
};

/** The HCW contract's docs, then each shipped contract's (docs/contracts/<name>/). */
export const CONTRACT_DOCS: readonly ContractDocs[] = [
  { name: 'HCW@Home', specs: contractNamespaces, events: 'docs/events.md', asyncapi: 'docs/asyncapi.json' },
  ...SHIPPED_CONTRACTS.map((shipped) => ({
    name: shipped.name,
    specs: Object.values(shipped.contract),
    events: `docs/contracts/${shipped.name}/events.md`,
    asyncapi: `docs/contracts/${shipped.name}/asyncapi.json`,
  })),
];

/** Every generated file, by path relative to the root, with its renderer. */
export const DOC_FILES: readonly { path: string; render: () => string }[] = [
  { path: 'docs/events.md', render: () => renderEventsMarkdown() },
  { path: 'docs/asyncapi.json', render: renderAsyncApi },
  ...SHIPPED_CONTRACTS.flatMap((shipped) => [
    { path: `docs/contracts/${shipped.name}/events.md`, render: () => shippedEvents(shipped) },
    { path: `docs/contracts/${shipped.name}/asyncapi.json`, render: () => shippedAsyncApi(shipped) },
  ]),
];

/** Renders every doc file: path relative to the root → content. */
export function renderDocs(): Map<string, string> {
  return new Map(DOC_FILES.map((file) => [file.path, file.render()]));
}
