/**
 * The README's "Using it" example really runs: the first ```ts block under "## Using it" is written,
 * unchanged, as `hello.mts` (the name the README gives) into a throw-away app that is what
 * `npm init -y` makes (no "type" field, so CommonJS: the `.mts` extension is what makes the
 * top-level await work) with the package installed by name, type-checked, and run with tsx against
 * a test server seeded like `npm start` (consultation 1, patient-demo). The only input is the
 * `HCW_URL` environment variable the example documents.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-server/index.js';
import { ROOT, TSX, consumerProject, runNode, typecheck } from './support.js';

/** The first ```ts block after the `## Using it` heading (and before the next `## ` heading). */
function usingItExample(markdown: string): string {
  const lines = markdown.split('\n');
  const heading = lines.findIndex((line) => line.trim() === '## Using it');
  if (heading < 0) throw new Error('README.md has no "## Using it" section');
  let start = -1;
  for (let i = heading + 1; i < lines.length; i++) {
    if (/^## /.test(lines[i]!)) break;
    if (lines[i]!.trim() === '```ts') {
      start = i + 1;
      break;
    }
  }
  if (start < 0) throw new Error('no ```ts block under "## Using it"');
  const end = lines.findIndex((line, i) => i >= start && line.trim() === '```');
  return lines.slice(start, end).join('\n');
}

const example = usingItExample(readFileSync(resolve(ROOT, 'README.md'), 'utf8'));
let server: TestServer;
let app: ReturnType<typeof consumerProject>;
let file: string;

beforeAll(async () => {
  server = await startTestServer({ port: 0, media: false });
  // Seeded as `npm start` seeds it; the example uses these ids literally.
  expect(server.createConsultation({ practitionerId: 'dr-demo', patientId: 'patient-demo' })).toBe(1);
  // A default `npm init -y` package.json: no "type", so .js and .ts files there are CommonJS.
  app = consumerProject('readme', { version: '1.0.0', main: 'index.js', license: 'ISC' });
  file = app.write('hello.mts', example);
});
afterAll(async () => {
  app?.remove();
  await server?.close();
});

test('the example is short and imports the package by name; the README says to save it as hello.mts', () => {
  expect(example).toContain("from 'hcw-realtime-sdk'");
  expect(readFileSync(resolve(ROOT, 'README.md'), 'utf8')).toContain('`npx tsx hello.mts`');
  expect(example.split('\n').length).toBeLessThanOrEqual(22);
});

test('it type-checks in a strict app (NodeNext, Node types)', async () => {
  app.write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        lib: ['ES2022', 'DOM'],
        types: ['node'],
        typeRoots: [resolve(ROOT, 'node_modules/@types')],
      },
      files: ['hello.mts'],
    }),
  );
  const result = await typecheck(join(app.dir, 'tsconfig.json'), app.dir);
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);
}, 60_000);

test('it runs against the test server: connects, the message reaches the server, the process exits', async () => {
  const result = await runNode([TSX, file], { cwd: app.dir, env: { HCW_URL: server.url }, timeoutMs: 30_000 });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const stored = server.domain.chat.all(1).filter((message) => message.content === 'Hello doctor');
  expect(stored).toHaveLength(1);
  expect(String(stored[0]!.userId)).toBe('patient-demo');
  const lines = result.stdout.trim().split('\n');
  expect(lines).toContain('connection connected');
  expect(lines).toContain('message Hello doctor');
  expect(lines).toContain(`sent ${String(stored[0]!.id)}`);
}, 60_000);
