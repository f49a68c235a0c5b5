/**
 * The built package (`npm run build`; `npm test` builds first): ESM and CJS entry points load in
 * Node and expose the public API, the exports map resolves, the declaration files type-check a
 * consumer, and the UMD bundle is self-contained and defines the global `HcwRealtime`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const dist = (file: string) => resolve(ROOT, 'dist', file);
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
const runtimePackages = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)];

/** What both the SDK entry and the contract entry must export. */
const CONTRACT_EXPORTS = [
  'contract',
  'checkPayload',
  'checkAck',
  'checkIncoming',
  'eventSpec',
  'handshakeQuery',
  'namespaces',
  'samplePayload',
  'payloadFields',
];
/** What only the SDK entry exports. */
const SDK_EXPORTS = ['createHcwClient', 'NamespaceService', 'HcwError', 'exponentialBackoff', 'systemScheduler'];
/** Internals that must not be reachable from the package. */
const PRIVATE = ['Channel', 'Connection', 'PendingRequests'];
/** What the media entry (`hcw-realtime-sdk/media`, mediasoup-client inside) exports. */
const MEDIA_EXPORTS = ['createMediaManager', 'MediaManager', 'MediaAccessError'];
const ENTRIES = ['index', 'contract', 'media'];

type ContractModule = {
  contract: Record<'consultation' | 'chat' | 'mediasoup' | 'enhanced', { name: string; events: Record<string, unknown> }>;
  checkPayload: (spec: unknown, event: string, value: unknown) => { ok: boolean; message?: string };
  checkIncoming: (spec: unknown, event: string, value: unknown) => { ok: boolean; drift?: { path: string }[] };
};

/** Uses the entry the way an app would: a valid payload passes, a wrong type is named. */
function exerciseContract(mod: ContractModule) {
  expect(Object.keys(mod.contract)).toEqual(['consultation', 'chat', 'mediasoup', 'enhanced']);
  expect(mod.contract.chat.name).toBe('/chat');
  expect(mod.checkPayload(mod.contract.chat, 'send_message', { consultationId: 1, userId: 2, content: 'hi' }).ok).toBe(true);
  expect(mod.checkPayload(mod.contract.chat, 'send_message', { consultationId: 1, userId: 2, content: 3 }).message).toMatch(
    /^\/chat send_message: content: /,
  );
  // `requires` survives the bundling (only `note`/`extension` are stripped): drift is delivered, a missing id refused.
  const deleted = { consultationId: 1, timestamp: 1, message: { id: 1, content: 'x', senderRole: 'DOCTOR' } };
  expect(mod.checkIncoming(mod.contract.chat, 'message_deleted', deleted).drift?.map((issue) => issue.path)).toEqual([
    'message.senderRole',
  ]);
  expect(mod.checkIncoming(mod.contract.chat, 'message_deleted', { ...deleted, message: { content: 'x' } }).ok).toBe(false);
}

beforeAll(() => {
  const missing = [
    ...ENTRIES.flatMap((entry) => ['js', 'cjs', 'd.ts', 'd.cts'].map((ext) => `${entry}.${ext}`)),
    'hcw-realtime.umd.js',
  ].filter((file) => !existsSync(dist(file)));
  if (missing.length > 0) throw new Error(`dist/ lacks ${missing.join(', ')}: run \`npm run build\` first (npm test does)`);
});

describe('ESM', () => {
  test('dist/index.js exports the SDK and the contract', async () => {
    const mod = (await import(pathToFileURL(dist('index.js')).href)) as Record<string, unknown>;
    for (const name of PRIVATE) expect(mod[name], name).toBeUndefined();
    for (const name of [...CONTRACT_EXPORTS, ...SDK_EXPORTS]) expect(mod[name], name).toBeDefined();
    expect(typeof mod.createHcwClient).toBe('function');
    exerciseContract(mod as unknown as ContractModule);
  });

  test('dist/contract.js stands alone, and dist/index.js shares its contract (shipped once)', async () => {
    const contractMod = (await import(pathToFileURL(dist('contract.js')).href)) as Record<string, unknown>;
    const indexMod = (await import(pathToFileURL(dist('index.js')).href)) as Record<string, unknown>;
    for (const name of CONTRACT_EXPORTS) expect(contractMod[name], name).toBeDefined();
    for (const name of SDK_EXPORTS) expect(contractMod[name], name).toBeUndefined();
    exerciseContract(contractMod as unknown as ContractModule);
    expect(indexMod.contract).toBe(contractMod.contract);
  });

  test('dist/media.js exports the media manager and imports mediasoup-client', async () => {
    const media = (await import(pathToFileURL(dist('media.js')).href)) as Record<string, unknown>;
    for (const name of MEDIA_EXPORTS) expect(media[name], name).toBeDefined();
    expect(media.contract).toBeUndefined();
    expect(readFileSync(dist('media.js'), 'utf8')).toMatch(/^import \{[^}]*\} from 'mediasoup-client';$/m);
  });

  test('code shared by entries is shipped once (HcwError: one class, so instanceof holds across entries)', () => {
    const files = readdirSync(dist('.'), { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.js') && !file.endsWith('.umd.js'),
    );
    const definitions = files.filter((file) => /\bclass HcwError\b/.test(readFileSync(dist(file), 'utf8')));
    expect(definitions).toHaveLength(1);
  });

  test("the contract's prose (`note`, `extension`) stays in the docs: no built file ships it, the built contract still works", async () => {
    const { namespaces } = await import('../../src/contract/index.js');
    const texts = new Set(namespaces.flatMap((ns) => Object.values(ns.events).flatMap((event) => [event.note, event.extension])));
    texts.delete(undefined);
    expect(texts.size).toBeGreaterThan(20);
    const files = readdirSync(dist('.'), { recursive: true, encoding: 'utf8' }).filter((file) => /\.(c?js)$/.test(file));
    const shipped = files.flatMap((file) => {
      const source = readFileSync(dist(file), 'utf8');
      return [...texts]
        .filter((text) => source.includes(JSON.stringify(text!).slice(1, -1).slice(0, 60)))
        .map((text) => `${file}: ${text}`);
    });
    expect(shipped).toEqual([]);
    const built = (await import(pathToFileURL(dist('contract.js')).href)) as ContractModule & {
      samplePayload: (schema: unknown) => unknown;
    };
    const getProducers = built.contract.mediasoup.events.getProducers as { extension?: string; responses?: unknown; ack?: unknown };
    expect(getProducers.extension).toBeUndefined();
    expect(getProducers.ack).toBeDefined();
    // Nothing else is touched: every event's sample (some carry a `note` key of their own) is the same.
    const source = await import('../../src/contract/index.js');
    for (const [key, spec] of Object.entries(source.contract)) {
      for (const [event, entry] of Object.entries(spec.events)) {
        const builtEntry = built.contract[key as keyof typeof source.contract].events[event] as { payload: unknown };
        expect(built.samplePayload(builtEntry.payload), `${spec.name} ${event}`).toEqual(source.samplePayload(entry.payload));
      }
    }
  });

  test('dependencies and peers stay imports, nothing else is imported', () => {
    for (const file of ENTRIES.map((entry) => `${entry}.js`)) {
      const source = readFileSync(dist(file), 'utf8');
      const specifiers = [...source.matchAll(/^(?:import|export)\b[^;]*?from\s+'([^']+)'/gm)].map((match) => match[1]!);
      const bare = specifiers.filter((specifier) => !specifier.startsWith('.'));
      for (const specifier of bare) {
        expect(
          runtimePackages.some((name) => specifier === name || specifier.startsWith(`${name}/`)),
          `${file} imports ${specifier}`,
        ).toBe(true);
      }
      // zod's own code is not inlined.
      expect(source, file).not.toContain('$ZodType');
      if (file === 'contract.js') expect(bare.filter((specifier) => specifier === 'zod' || specifier.startsWith('zod/'))).not.toEqual([]);
      // The SDK entry takes the contract from the contract entry instead of a copy.
      if (file === 'index.js') expect(specifiers).toContain('./contract.js');
    }
  });
});

describe('CJS', () => {
  test('dist/index.cjs, dist/contract.cjs and dist/media.cjs load with require(); one contract', () => {
    const index = require(dist('index.cjs')) as Record<string, unknown>;
    const contract = require(dist('contract.cjs')) as Record<string, unknown>;
    const media = require(dist('media.cjs')) as Record<string, unknown>;
    for (const name of MEDIA_EXPORTS) expect(media[name], name).toBeDefined();
    for (const name of [...CONTRACT_EXPORTS, ...SDK_EXPORTS]) expect(index[name], name).toBeDefined();
    for (const name of CONTRACT_EXPORTS) expect(contract[name], name).toBeDefined();
    expect(contract.createHcwClient).toBeUndefined();
    exerciseContract(index as unknown as ContractModule);
    exerciseContract(contract as unknown as ContractModule);
    expect(index.contract).toBe(contract.contract);
  });
});

describe('package exports map', () => {
  test('resolves `.` and `./contract` for require and import, as Node does', async () => {
    // Node's condition (`node`) picks the SDK's Node build: connections on `ws` and node:http.
    expect(require.resolve(pkg.name)).toBe(dist('index.node.cjs'));
    expect(require.resolve(`${pkg.name}/contract`)).toBe(dist('contract.cjs'));
    // Node's own condition (`node-addons`) picks the media entry's wrappers (a clear error without mediasoup-client).
    expect(require.resolve(`${pkg.name}/media`)).toBe(dist('media.node.cjs'));
    // import conditions, in a plain Node process (self-reference by package name).
    const script = [
      `const sdk = await import('${pkg.name}');`,
      `const contract = await import('${pkg.name}/contract');`,
      `console.log(JSON.stringify({`,
      `  sdk: import.meta.resolve('${pkg.name}'), contract: import.meta.resolve('${pkg.name}/contract'),`,
      `  media: import.meta.resolve('${pkg.name}/media'),`,
      `  same: sdk.contract === contract.contract, client: typeof sdk.createHcwClient }));`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual({
      sdk: pathToFileURL(dist('index.node.js')).href,
      contract: pathToFileURL(dist('contract.js')).href,
      media: pathToFileURL(dist('media.node.js')).href,
      same: true,
      client: 'function',
    });
  });
});

describe('declarations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hcw-types-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('dist/{index,contract,media}.d.ts and their .d.cts twins exist and declare the public API', () => {
    for (const ext of ['d.ts', 'd.cts']) {
      const contractTypes = readFileSync(dist(`contract.${ext}`), 'utf8');
      expect(contractTypes).toMatch(/declare const contract\b/);
      expect(contractTypes).toMatch(/declare function checkPayload\b/);
      const indexTypes = readFileSync(dist(`index.${ext}`), 'utf8');
      expect(indexTypes).toMatch(/(declare function createHcwClient\b|export \{[^}]*\bcreateHcwClient\b)/);
      const mediaTypes = readFileSync(dist(`media.${ext}`), 'utf8');
      expect(mediaTypes).toMatch(/declare function createMediaManager\b/);
      // The SDK's types re-use the contract's declarations, in the same module system.
      expect(indexTypes).toContain(ext === 'd.ts' ? "from './contract.js'" : "from './contract.cjs'");
    }
  });

  /** Uses the package by name, from ESM and from CommonJS, the way a strict TypeScript app would. */
  const consumer = (specifier: string) => `
import { contract, checkPayload, createHcwClient, type IncomingPayload, type ChatNamespace } from '${specifier}';
import { contract as contractOnly, type OutgoingPayload } from '${specifier}/contract';
import { createMediaManager, type MediaManager } from '${specifier}/media';

const result = checkPayload(contract.chat, 'send_message', { consultationId: 1, userId: 2, content: 'hi' });
export const ok: boolean = result.ok;
export const name: '/chat' = contractOnly.chat.name;
export const direction: 'emit' = contract.chat.events.send_message.direction;
type NewMessage = IncomingPayload<ChatNamespace, 'new_message'>;
export const message: NewMessage = { message: { id: 1, content: 'hi' } };
export const send: OutgoingPayload<ChatNamespace, 'send_message'> = { consultationId: 1, userId: 2, content: 'hi' };
// @ts-expect-error content is a string
export const wrong: OutgoingPayload<ChatNamespace, 'send_message'> = { consultationId: 1, userId: 2, content: 3 };
export const create: typeof createHcwClient = createHcwClient;
export const media: (client: ReturnType<typeof createHcwClient>) => MediaManager = createMediaManager;
`;

  test('a strict consumer type-checks through the exports map, ESM and CJS (and a misuse is a type error)', async () => {
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules', pkg.name), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(join(dir, 'esm.mts'), consumer(pkg.name));
    writeFileSync(join(dir, 'cjs.cts'), consumer(pkg.name));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          lib: ['ES2022', 'DOM'],
          types: [],
        },
        files: ['esm.mts', 'cjs.cts'],
      }),
    );
    const tsc = resolve(ROOT, 'node_modules/typescript/bin/tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--listFiles'], {
      cwd: dir,
    }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
    const errors = result.output.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors).toEqual([]);
    expect(result.code).toBe(0);
    // import resolved the ESM declarations, require the CommonJS ones.
    for (const file of ENTRIES.flatMap((entry) => [`${entry}.d.ts`, `${entry}.d.cts`])) {
      expect(result.output, file).toContain(dist(file));
    }
  }, 120_000);
});

describe('UMD', () => {
  const source = () => readFileSync(dist('hcw-realtime.umd.js'), 'utf8');

  /** A bare browser-like global: the standard globals a page has, no require/module/define, no process. */
  function browserContext() {
    const context: Record<string, unknown> = {
      console,
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      queueMicrotask,
      TextEncoder,
      TextDecoder,
      URL,
      URLSearchParams,
      AbortController,
      crypto: globalThis.crypto,
    };
    context.self = context;
    context.window = context;
    vm.createContext(context);
    return context;
  }

  test('defines the global HcwRealtime with the contract and the client, with no module system', () => {
    const context = browserContext();
    vm.runInContext(source(), context, { filename: 'hcw-realtime.umd.js' });
    const global = context.HcwRealtime as Record<string, unknown>;
    expect(global).toBeDefined();
    for (const name of [...CONTRACT_EXPORTS, ...SDK_EXPORTS, ...MEDIA_EXPORTS]) expect(global[name], name).toBeDefined();
    // zod runs inside the bundle: validation works with nothing else loaded.
    exerciseContract(global as unknown as ContractModule);
    expect(Object.keys(context)).not.toContain('require');
  });

  test('runs the client with its bundled rxjs and Socket.IO client (created, observed, disposed, no network)', () => {
    const context = browserContext();
    vm.runInContext(source(), context, { filename: 'hcw-realtime.umd.js' });
    const states = vm.runInContext(
      `(() => {
        const client = HcwRealtime.createHcwClient({
          url: 'http://127.0.0.1:9', consultationId: 1, userId: 2, role: 'PATIENT', token: 't', watchNetwork: false,
        });
        const states = [];
        const subscription = client.state$.subscribe((state) => states.push(state.status));
        client.dispose();
        subscription.unsubscribe();
        return states.join(',');
      })()`,
      context,
    ) as string;
    expect(states).toBe('idle,disconnected');
  });

  test('is minified, self-contained and carries its banner', () => {
    const code = source();
    expect(code.startsWith(`/*! ${pkg.name} v${pkg.version} `)).toBe(true);
    for (const name of runtimePackages) {
      expect(code, name).not.toMatch(new RegExp(`require\\(["']${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    }
    // The factory takes the exports object only: no external globals are read.
    expect(code).toMatch(/\(this,\s*function\s*\(\w+\)\s*\{/);
    expect(code).not.toMatch(/require\(["'](fs|http|https|child_process|url)["']\)/);
    // Minified: very long lines, few line breaks.
    expect(code.split('\n').length).toBeLessThan(20);
  });
});
