/**
 * The built package as an app consumes it, installed by name (a throw-away project whose
 * `node_modules/hcw-realtime-sdk` links this repository, next to the app's own rxjs):
 *  - native ESM (`import`) and CommonJS (`require`) in a child Node process, each connecting to the
 *    test server and sending a message, with the app's rxjs being the SDK's (a peer, not a copy);
 *  - the UMD bundle as a `<script>` global in real Chromium, connecting from the page;
 *  - the public types in a strict consumer under `moduleResolution` `bundler` (declaration files
 *    checked too: skipLibCheck off) and `node16` (an ESM and a CommonJS file).
 * test/contract/build.test.ts covers the rest (dist/ contents, exports map from the repository
 * itself, NodeNext types, UMD in a bare vm context).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-server/index.js';
import { ROOT, consumerProject, runNode, typecheck } from './support.js';
import { BASE_ARGS, CHROMIUM } from '../support/chromium.js';

const dist = (file: string) => resolve(ROOT, 'dist', file);
const LAUNCH_ARGS = BASE_ARGS;

let server: TestServer;
let consultationId: number;
let app: ReturnType<typeof consumerProject>;

beforeAll(async () => {
  const missing = ['index.js', 'index.cjs', 'media.js', 'media.cjs', 'index.d.ts', 'index.d.cts', 'hcw-realtime.umd.js'].filter(
    (file) => !existsSync(dist(file)),
  );
  if (missing.length > 0) throw new Error(`dist/ lacks ${missing.join(', ')}: run \`npm run build\` first (npm test does)`);
  server = await startTestServer({ port: 0, media: false });
  consultationId = server.createConsultation({ practitionerId: 'dr-1', patientId: 'patient-1' });
  app = consumerProject('formats');
  // The app's own rxjs (a peer dependency), the very one the SDK's dist/ resolves.
  symlinkSync(resolve(ROOT, 'node_modules/rxjs'), join(app.dir, 'node_modules', 'rxjs'), 'dir');
});
afterAll(async () => {
  app?.remove();
  await server?.close();
});

/** Environment of the child processes: where to connect, with a token for patient-1. */
const childEnv = () => ({
  HCW_URL: server.url,
  HCW_CONSULTATION: String(consultationId),
  HCW_TOKEN: server.createToken('patient-1', 'PATIENT'),
});

const stored = () => server.domain.chat.all(consultationId).map((message) => message.content);

describe('Node', () => {
  test('native ESM: import by name (., ./contract, ./media), connect, send; one rxjs; the process exits by itself', async () => {
    const file = app.write(
      'app.mjs',
      `
import { createHcwClient, contract, HcwError } from 'hcw-realtime-sdk';
import { contract as contractOnly } from 'hcw-realtime-sdk/contract';
import { createMediaManager } from 'hcw-realtime-sdk/media';
import { Observable } from 'rxjs';

const client = createHcwClient({
  url: process.env.HCW_URL, consultationId: Number(process.env.HCW_CONSULTATION), userId: 'patient-1', role: 'PATIENT',
  token: process.env.HCW_TOKEN,
});
const media = createMediaManager(client);
const { message } = await client.chat.sendMessage('hello from native ESM');
console.log(JSON.stringify({
  resolved: [import.meta.resolve('hcw-realtime-sdk'), import.meta.resolve('hcw-realtime-sdk/contract'), import.meta.resolve('hcw-realtime-sdk/media')],
  content: message.content,
  sameContract: contract === contractOnly,
  appRxjs: client.state$ instanceof Observable,
  errorClass: typeof HcwError,
  media: typeof media.join,
}));
await media.dispose();
client.dispose();
`,
    );
    const result = await runNode([file], { cwd: app.dir, env: childEnv(), timeoutMs: 20_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      // Node takes ./media through media.node.js (`node-addons` condition): it loads media.js, with a
      // clear error where mediasoup-client is missing (test/package/pack.test.ts).
      resolved: ['index.node.js', 'contract.js', 'media.node.js'].map((file) => pathToFileURL(dist(file)).href),
      content: 'hello from native ESM',
      sameContract: true,
      appRxjs: true,
      errorClass: 'function',
      media: 'function',
    });
    expect(stored()).toContain('hello from native ESM');
  });

  test('CommonJS: require by name (., ./contract, ./media), connect, send; one rxjs; the process exits by itself', async () => {
    const file = app.write(
      'app.cjs',
      `
const { createHcwClient, contract } = require('hcw-realtime-sdk');
const { contract: contractOnly } = require('hcw-realtime-sdk/contract');
const { createMediaManager } = require('hcw-realtime-sdk/media');
const { Observable } = require('rxjs');

(async () => {
  const client = createHcwClient({
    url: process.env.HCW_URL, consultationId: Number(process.env.HCW_CONSULTATION), userId: 'patient-1', role: 'PATIENT',
    token: process.env.HCW_TOKEN,
  });
  const media = createMediaManager(client);
  const { message } = await client.chat.sendMessage('hello from CommonJS');
  console.log(JSON.stringify({
    resolved: [require.resolve('hcw-realtime-sdk'), require.resolve('hcw-realtime-sdk/contract'), require.resolve('hcw-realtime-sdk/media')],
    version: require('hcw-realtime-sdk/package.json').version,
    content: message.content,
    sameContract: contract === contractOnly,
    appRxjs: client.state$ instanceof Observable,
    media: typeof media.join,
  }));
  await media.dispose();
  client.dispose();
})().catch((error) => { console.error(error); process.exitCode = 1; });
`,
    );
    const result = await runNode([file], { cwd: app.dir, env: childEnv(), timeoutMs: 20_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      resolved: ['index.node.cjs', 'contract.cjs', 'media.node.cjs'].map(dist),
      version: expect.any(String),
      content: 'hello from CommonJS',
      sameContract: true,
      appRxjs: true,
      media: 'function',
    });
    expect(stored()).toContain('hello from CommonJS');
  });
});

describe('Chromium', () => {
  test('the UMD bundle as a <script>: window.HcwRealtime (client, contract, media) connects from the page and sends', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: sudo bash scripts/install-system-deps.sh (npm test runs it), or set CHROMIUM_PATH`,
      );
    }
    // A page served by a test server of its own (same origin for Socket.IO's polling and /dev/token).
    const site = mkdtempSync(join(tmpdir(), 'hcw-umd-'));
    copyFileSync(dist('hcw-realtime.umd.js'), join(site, 'hcw-realtime.umd.js'));
    writeFileSync(
      join(site, 'index.html'),
      '<!doctype html><title>UMD</title><link rel="icon" href="data:,"><script src="/hcw-realtime.umd.js"></script>',
    );
    const pageServer = await startTestServer({ port: 0, media: false, staticDir: site });
    const pageConsultation = pageServer.createConsultation({ practitionerId: 'dr-1', patientId: 'patient-1' });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      await page.goto(`${pageServer.url}/index.html`);
      const shape = await page.evaluate(() => {
        const sdk = (window as unknown as { HcwRealtime: Record<string, any> }).HcwRealtime;
        return {
          createHcwClient: typeof sdk.createHcwClient,
          createMediaManager: typeof sdk.createMediaManager,
          chatNamespace: sdk.contract?.chat?.name,
          valid: sdk.checkPayload(sdk.contract.chat, 'send_message', { consultationId: 1, userId: 2, content: 'hi' }).ok,
          invalid: sdk.checkPayload(sdk.contract.chat, 'send_message', { consultationId: 1, userId: 2, content: 3 }).ok,
          moduleSystems: [typeof (window as any).require, typeof (window as any).define, typeof (window as any).module],
        };
      });
      expect(shape).toEqual({
        createHcwClient: 'function',
        createMediaManager: 'function',
        chatNamespace: '/chat',
        valid: true,
        invalid: false,
        moduleSystems: ['undefined', 'undefined', 'undefined'],
      });

      const sent = await page.evaluate(async (consultationId) => {
        const sdk = (window as unknown as { HcwRealtime: Record<string, any> }).HcwRealtime;
        const client = sdk.createHcwClient({
          url: location.origin,
          consultationId,
          userId: 'patient-1',
          role: 'PATIENT',
          token: async () => {
            const response = await fetch('/dev/token', { method: 'POST', body: JSON.stringify({ userId: 'patient-1', role: 'PATIENT' }) });
            return (await response.json()).token;
          },
        });
        const states: string[] = [];
        client.state$.subscribe((state: { status: string }) => states.push(state.status));
        const { message } = await client.chat.sendMessage('hello from the UMD bundle');
        const media = sdk.createMediaManager(client);
        const result = { content: message.content, states, media: typeof media.join };
        await media.dispose();
        client.dispose();
        return result;
      }, pageConsultation);
      expect(sent.content).toBe('hello from the UMD bundle');
      expect(sent.states).toContain('connected');
      expect(sent.media).toBe('function');
      expect(pageServer.domain.chat.all(pageConsultation).map((message) => message.content)).toContain('hello from the UMD bundle');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await pageServer.close();
      rmSync(site, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('types in a consumer project', () => {
  /** A strict app using the public API of the three entry points (and misusing it twice). */
  const consumer = `
import { createHcwClient, isHcwError, type ConnectionState, type HcwClient } from 'hcw-realtime-sdk';
import { ChatStore, PatientWaitingRoom, type ChatEntry } from 'hcw-realtime-sdk/state';
import { checkPayload, contract, type ChatNamespace, type OutgoingPayload } from 'hcw-realtime-sdk/contract';
import { createMediaManager, type MediaManager, type RemoteTrack } from 'hcw-realtime-sdk/media';
import { Observable } from 'rxjs';

const client: HcwClient = createHcwClient({ url: 'https://hcw.example.org', consultationId: 1, userId: 'p', role: 'PATIENT', token: async () => 't' });
export const state$: Observable<ConnectionState> = client.state$;
export const chat = new ChatStore(client.chat, client.identity);
export const entry: Promise<ChatEntry> = chat.send('hi');
export const room = new PatientWaitingRoom(client);
export const content: Promise<string> = client.chat.sendMessage('hello').then(({ message }) => message.content);
export const media: MediaManager = createMediaManager(client, { handlerName: 'ReactNative106' });
export const tracks: Observable<readonly RemoteTrack[]> = media.remoteTracks$;
export const payload: OutgoingPayload<ChatNamespace, 'send_message'> = { consultationId: 1, userId: 'p', content: 'hi' };
export const ok: boolean = checkPayload(contract.chat, 'send_message', payload).ok;
export function reasonOf(error: unknown): string | undefined {
  return isHcwError(error) ? error.reason : undefined;
}
// @ts-expect-error not a role
createHcwClient({ url: '', consultationId: 1, userId: 'p', role: 'NURSE', token: '' });
// @ts-expect-error not an event of /chat
client.chat.on('no_such_event');
`;
  const strict = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: false,
    skipDefaultLibCheck: true,
    lib: ['ES2022', 'DOM'],
    types: [],
  };

  /** Runs tsc in the consumer project; checks which declaration files of the package it read. */
  async function check(
    name: string,
    compilerOptions: Record<string, unknown>,
    files: Record<string, string>,
    expected: string[],
    unexpected: string[],
  ) {
    const dir = join(app.dir, name);
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...strict, ...compilerOptions }, files: Object.keys(files) }),
    );
    const result = await typecheck(join(dir, 'tsconfig.json'), dir);
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
    for (const file of expected) expect(result.files, file).toContain(dist(file));
    for (const file of unexpected) expect(result.files, file).not.toContain(dist(file));
  }

  test('moduleResolution bundler (module ESNext): the import conditions, .d.ts, themselves type-checked', async () => {
    await check(
      'bundler',
      { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler' },
      { 'app.ts': consumer },
      ['index.d.ts', 'contract.d.ts', 'media.d.ts'],
      ['index.d.cts', 'contract.d.cts', 'media.d.cts'],
    );
  }, 90_000);

  test('moduleResolution node16: an ES module resolves the .d.ts, a CommonJS module the .d.cts twins', async () => {
    await check(
      'node16',
      // The declaration files were checked above; here only what node16 resolves matters.
      { target: 'ES2022', module: 'node16', moduleResolution: 'node16', skipLibCheck: true },
      { 'app.mts': consumer, 'app.cts': consumer },
      ['index.d.ts', 'contract.d.ts', 'media.d.ts', 'index.d.cts', 'contract.d.cts', 'media.d.cts'],
      [],
    );
  }, 90_000);
});
