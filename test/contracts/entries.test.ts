/**
 * The shipped contracts as apps import them (the built package, `npm run build`; `npm test` builds
 * first): each subpath loads in ESM and CJS, and an app bundling one contract ships none of the
 * others and nothing of the HCW contract ("a contract is data").
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Each entry, what it exports, and strings only its own contract has. */
const ENTRIES = {
  'ws-app': {
    exports: ['wsAppContract', 'wsAppNamespace', 'conversationMessages', 'WS_APP_MAX_PAYLOAD_BYTES'],
    own: ['conversations:join', '/ws/app'],
  },
  'clinic-queue': {
    exports: ['clinicQueueContract', 'clinicQueueNamespace', 'coalesceRefetch', 'queueRefetches', 'REFETCH_EVENTS'],
    own: ['join_queue_room'],
  },
  'root-prefixed': { exports: ['rootPrefixedContract', 'rootPrefixedNamespace'], own: ['webrtc:offer'] },
  'plain-ws': {
    exports: ['plainWsContract', 'plainWsUserNamespace', 'plainWsRoomNamespace', 'plainWsEnvelope', 'chatMessages', 'videoSignals'],
    own: ['/ws/comms/chat-rooms/:room', 'video.ice-candidate'],
  },
} as const;
type Entry = keyof typeof ENTRIES;
/** Strings of the HCW contract (event names of its four namespaces). */
const HCW = ['request_message_history', 'getRouterRtpCapabilities', '/enhanced-consultation', 'admit_patient'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hcw-contracts-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'hcw-realtime-sdk'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'contracts-app', private: true, type: 'module' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(Object.keys(ENTRIES) as Entry[])('hcw-realtime-sdk/contracts/%s', (entry) => {
  const { exports, own } = ENTRIES[entry];

  test('loads in ESM and CJS with its contract and helpers', async () => {
    const esm = (await import(join(dir, 'node_modules/hcw-realtime-sdk/dist/contracts', `${entry}.js`))) as Record<string, unknown>;
    const cjs = createRequire(join(dir, 'app.cjs'))(`hcw-realtime-sdk/contracts/${entry}`) as Record<string, unknown>;
    for (const name of exports) {
      expect(esm[name], `ESM ${name}`).toBeDefined();
      expect(cjs[name], `CJS ${name}`).toBeDefined();
    }
  });

  test('an app importing it ships no other contract', async () => {
    const app = join(dir, `${entry}.js`);
    writeFileSync(app, `import * as contract from 'hcw-realtime-sdk/contracts/${entry}';\nglobalThis.contract = contract;\n`);
    const result = await build({
      entryPoints: [app],
      bundle: true,
      write: false,
      minify: true,
      format: 'esm',
      platform: 'browser',
      absWorkingDir: dir,
    });
    const code = result.outputFiles[0]!.text;
    for (const text of own) expect(code, text).toContain(text);
    for (const text of HCW) expect(code, `HCW's ${text}`).not.toContain(text);
    for (const other of Object.keys(ENTRIES).filter((name) => name !== entry) as Entry[]) {
      for (const text of ENTRIES[other].own) expect(code, `${other}'s ${text}`).not.toContain(text);
    }
    // The notes are documentation (docs/contracts), left out of the bundle as the HCW contract's are.
    expect(code).not.toContain('docs/upstream');
    expect(code).not.toMatch(/Was `/);
    console.info(`contracts/${entry}: ${(gzipSync(code, { level: 9 }).length / 1024).toFixed(2)} kB gz, its dependencies included`);
  });
});
