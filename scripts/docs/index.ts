/**
 * The generated docs, rendered in memory: `scripts/generate-docs.ts` writes or checks them, the
 * contract tests compare them with the committed files.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAsyncApi } from './asyncapi.js';
import { renderEventsMarkdown } from './events-markdown.js';

export { buildAsyncApi, channelKey, ackMessageKey, operationKey } from './asyncapi.js';
export type { AsyncApiDocument, AsyncApiMessage, AsyncApiOperation, OperationAction } from './asyncapi.js';
export { renderEventsMarkdown } from './events-markdown.js';
export { describeType, describeFields, toJsonSchema, type JsonSchema } from './schema.js';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const packageVersion = (): string => (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** `docs/asyncapi.json` as written: two-space JSON and a final newline. */
export const renderAsyncApi = (): string => `${JSON.stringify(buildAsyncApi({ version: packageVersion() }), null, 2)}\n`;

/** Every generated file, by path relative to the root, with its renderer. */
export const DOC_FILES: readonly { path: string; render: () => string }[] = [
  { path: 'docs/events.md', render: renderEventsMarkdown },
  { path: 'docs/asyncapi.json', render: renderAsyncApi },
];

/** Renders every doc file: path relative to the root → content. */
export function renderDocs(): Map<string, string> {
  return new Map(DOC_FILES.map((file) => [file.path, file.render()]));
}
