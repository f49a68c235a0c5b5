/**
 * `hcw-realtime-sdk/websocket` as apps import it (the built package, `npm run build`; `npm test`
 * builds first): Node resolves its Node build (on `ws`, the token in a header) in ESM and CJS and
 * connects with it; browser bundles get the global-WebSocket build and never `ws`; the HCW chat app
 * ships none of the plain WebSocket code.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type * as PlainWs from '../../src/contracts/plain-ws.js';
import type * as Sdk from '../../src/index.js';
import type * as Ws from '../../src/websocket.node.js';
import { startPlainWsServer, type PlainWsServer } from '../../test-server/plain-ws/server.js';

const ROOT = resolve(import.meta.dirname, '../..');

let dir: string;
let server: PlainWsServer | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hcw-websocket-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'hcw-realtime-sdk'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'websocket-app', private: true, type: 'module' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const bundle = async (source: string, platform: 'browser' | 'node') => {
  const entry = join(dir, `app-${platform}-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(entry, source);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform,
    metafile: true,
    absWorkingDir: dir,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
};
const fromWs = (inputs: string[]) => inputs.filter((input) => /node_modules\/ws\//.test(input));

describe('hcw-realtime-sdk/websocket', () => {
  test('Node resolves the Node build in ESM and CJS', () => {
    const require = createRequire(join(dir, 'app.cjs'));
    expect(require.resolve('hcw-realtime-sdk/websocket')).toMatch(/dist[/\\]websocket\.node\.cjs$/);
    expect(require.resolve('hcw-realtime-sdk/contracts/plain-ws')).toMatch(/dist[/\\]contracts[/\\]plain-ws\.cjs$/);
    const esm = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "console.log(import.meta.resolve('hcw-realtime-sdk/websocket'))"],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(esm.stdout.trim()).toMatch(/dist\/websocket\.node\.js$/);
  });

  test('the built Node build connects with the token in the Authorization header (ESM and CJS)', async () => {
    server = await startPlainWsServer({ rooms: { r1: ['alice'] } });
    const require = createRequire(join(dir, 'app.cjs'));
    const esm = {
      sdk: (await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)) as typeof Sdk,
      ws: (await import(pathToFileURL(join(ROOT, 'dist/websocket.node.js')).href)) as typeof Ws,
      contracts: (await import(pathToFileURL(join(ROOT, 'dist/contracts/plain-ws.js')).href)) as typeof PlainWs,
    };
    const cjs = {
      sdk: require('hcw-realtime-sdk') as typeof Sdk,
      ws: require('hcw-realtime-sdk/websocket') as typeof Ws,
      contracts: require('hcw-realtime-sdk/contracts/plain-ws') as typeof PlainWs,
    };
    for (const [format, { sdk, ws, contracts }] of Object.entries({ esm, cjs })) {
      const client = sdk.createRealtimeClient(contracts.plainWsContract, {
        url: server.url,
        token: () => server!.token('alice'),
        handshake: { room: 'r1' },
        watchNetwork: false,
        transport: ws.webSocketTransport({ envelope: contracts.plainWsEnvelope }),
      });
      try {
        const hello = await new Promise((done) => client.services.user.on('connected').subscribe(done));
        expect(hello, format).toMatchObject({ userId: 'alice' });
      } finally {
        client.dispose();
      }
    }
    expect(server.handshakes.map((h) => [h.via, h.outcome])).toEqual([
      ['header', 'accepted'],
      ['header', 'accepted'],
    ]);
  });

  test('a browser bundle takes the global-WebSocket build: no `ws` in it; a Node bundle takes `ws`', async () => {
    const source = `import { webSocketTransport } from 'hcw-realtime-sdk/websocket';\nglobalThis.transport = webSocketTransport();\n`;
    const browser = await bundle(source, 'browser');
    expect(browser.inputs.some((input) => input.endsWith('dist/websocket.js'))).toBe(true);
    expect(fromWs(browser.inputs)).toEqual([]);
    const node = await bundle(source, 'node');
    expect(node.inputs.some((input) => input.endsWith('dist/websocket.node.js'))).toBe(true);
    expect(fromWs(node.inputs).length).toBeGreaterThan(0);
  });

  test('the HCW chat app ships none of the plain WebSocket code', async () => {
    const app = await bundle(
      `import { createHcwClient } from 'hcw-realtime-sdk';\nglobalThis.client = createHcwClient({ url: location.origin, consultationId: 1, userId: 'p', role: 'PATIENT', token: 't' });\n`,
      'browser',
    );
    expect(app.inputs.filter((input) => /dist[/\\](websocket|contracts[/\\]plain-ws)/.test(input))).toEqual([]);
    expect(app.code).not.toContain('a plain WebSocket has no acknowledgements');
    expect(app.code).not.toContain('base64url.');
    expect(fromWs(app.inputs)).toEqual([]);
  });
});
