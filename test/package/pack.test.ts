/**
 * The package as npm publishes it: `npm pack` of the built repository (`npm run build` first; `npm
 * test` builds), then
 *  - the tarball's file list: dist/, README.md, LICENSE, CHANGELOG.md and package.json, nothing else;
 *  - publint (strict) and are-the-types-wrong on that tarball, every entry point in every resolution
 *    mode (node10, node16 from CJS and from ESM, bundler);
 *  - the tarball installed in a throw-away app without `mediasoup-client` (an optional peer): the
 *    media entry fails with an error that names it and says what to install, from ESM and from
 *    CommonJS, while the other entries load; with it installed, Node's media entry is dist/media.js;
 *  - `moduleResolution: node10` types for the subpaths (typesVersions), declaration files checked.
 */
import { execFile, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MEDIASOUP_CLIENT_RANGE } from '../../src/media/missing-peer.js';
import { ROOT, runNode, typecheck } from '../examples/support.js';

const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
  peerDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  [field: string]: unknown;
};
const ATTW = resolve(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js');

let dir: string;
let tarball: string;
let files: string[];

beforeAll(async () => {
  const missing = [
    'index.js',
    'index.cjs',
    'index.d.ts',
    'media.node.js',
    'media.node.cjs',
    'hcw-realtime.umd.js',
    'hcw-realtime.umd.d.ts',
  ].filter((file) => !existsSync(resolve(ROOT, 'dist', file)));
  if (missing.length > 0) throw new Error(`dist/ lacks ${missing.join(', ')}: run \`npm run build\` first (npm test does)`);
  dir = mkdtempSync(join(tmpdir(), 'hcw-pack-'));
  const { stdout } = await promisify(execFile)('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [info] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = join(dir, info.filename);
  files = info.files.map((file) => file.path).sort();
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every file path package.json points at (main, module, types, unpkg, exports, typesVersions). */
function referencedFiles(): string[] {
  const found = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === 'string') found.add(value.replace(/^\.\//, ''));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const field of ['main', 'module', 'types', 'unpkg', 'exports', 'typesVersions']) walk(pkg[field]);
  return [...found];
}

describe('npm pack', () => {
  test('the tarball holds dist/, README.md, LICENSE, CHANGELOG.md and package.json: no sources, tests or tooling', () => {
    for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) expect(files).toContain(file);
    const outside = files.filter(
      (file) => !file.startsWith('dist/') && !['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json'].includes(file),
    );
    expect(outside).toEqual([]);
    // TypeScript only as declarations; no test, server or build code got into dist/.
    expect(files.filter((file) => /\.[cm]?ts$/.test(file) && !/\.d\.[cm]?ts$/.test(file))).toEqual([]);
    expect(files.filter((file) => /(^|\/)(src|test|test-server|scripts|bench|examples|docs|node_modules)\//.test(file))).toEqual([]);
    // Every file package.json names is in it.
    expect(referencedFiles().filter((file) => !files.includes(file))).toEqual([]);
    expect(readFileSync(resolve(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} hcw-realtime-sdk contributors\n/);
  });

  test('publint (strict, suggestions included): nothing to report', async () => {
    const { publint } = await import('publint');
    const { formatMessage } = await import('publint/utils');
    const data = readFileSync(tarball);
    const { messages, pkg: packed } = await publint({
      pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
      level: 'suggestion',
      strict: true,
    });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, packed) ?? message.code}`)).toEqual([]);
  }, 60_000);

  test('are-the-types-wrong: every entry point typed in node10, node16 (CJS and ESM) and bundler', async () => {
    // Into a file, not a pipe: attw exits before a large piped report is flushed (it was cut at ~219 kB).
    const out = join(dir, 'attw.json');
    const fd = openSync(out, 'w');
    try {
      spawnSync(process.execPath, [ATTW, tarball, '--format', 'json', '--no-definitely-typed'], {
        cwd: dir,
        timeout: 120_000,
        stdio: ['ignore', fd, 'inherit'],
      });
    } finally {
      closeSync(fd);
    }
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      analysis: {
        entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }>;
      };
      problems?: Record<string, { kind: string; entrypoint: string; resolutionKind: string }[]>;
    };
    const problems = Object.values(report.problems ?? {}).flat();
    // The one expected finding: `./umd` is the <script> build, a `.js` file of a "type": "module"
    // package, so Node (and TypeScript's node16) reads it as ESM; `require()` is not how it is used.
    expect(problems).toEqual([{ kind: 'CJSResolvesToESM', entrypoint: './umd', resolutionKind: 'node16-cjs' }]);
    const types = (entry: string, mode: string) => report.analysis.entrypoints[entry]?.resolutions[mode]?.resolution?.fileName;
    const at = (file: string) => `/node_modules/${pkg.name}/dist/${file}`;
    for (const [entry, file] of [
      ['.', 'index'],
      ['./contract', 'contract'],
      ['./media', 'media'],
      ['./state', 'state'],
    ] as const) {
      expect(types(entry, 'node10'), `${entry} node10`).toBe(at(`${file}.d.ts`));
      expect(types(entry, 'node16-cjs'), `${entry} node16-cjs`).toBe(at(`${file}.d.cts`));
      expect(types(entry, 'node16-esm'), `${entry} node16-esm`).toBe(at(`${file}.d.ts`));
      expect(types(entry, 'bundler'), `${entry} bundler`).toBe(at(`${file}.d.ts`));
    }
    for (const mode of ['node10', 'node16-esm', 'bundler']) expect(types('./umd', mode), `./umd ${mode}`).toBe(at('hcw-realtime.umd.d.ts'));
  }, 150_000);
});

describe('installed from the tarball', () => {
  let app: string;
  const write = (file: string, content: string) => {
    writeFileSync(join(app, file), content);
    return join(app, file);
  };

  beforeAll(async () => {
    app = join(dir, 'app');
    mkdirSync(join(app, 'node_modules'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-pack', private: true }));
    await promisify(execFile)('tar', ['-xzf', tarball, '-C', join(app, 'node_modules')]);
    renameSync(join(app, 'node_modules', 'package'), join(app, 'node_modules', pkg.name));
    // Its dependencies and the required peer, from this repository; not mediasoup-client.
    for (const name of [...Object.keys(pkg.dependencies), 'rxjs'])
      symlinkSync(resolve(ROOT, 'node_modules', name), join(app, 'node_modules', name), 'dir');
    expect(() => createRequire(join(app, 'node_modules', pkg.name, 'package.json')).resolve('mediasoup-client')).toThrow();
  });

  const printError = `(error) => console.log(JSON.stringify({ code: error.code, message: error.message, cause: error.cause?.code }))`;

  test('without mediasoup-client: hcw-realtime-sdk/media fails naming it and how to install it, from ESM and from CommonJS', async () => {
    const esm = write(
      'media.mjs',
      `const sdk = await import('${pkg.name}');
const state = await import('${pkg.name}/state');
console.log(JSON.stringify({ client: typeof sdk.createHcwClient, store: typeof state.ChatStore }));
await import('${pkg.name}/media').then(() => console.log('loaded'), ${printError});`,
    );
    const cjs = write(
      'media.cjs',
      `const sdk = require('${pkg.name}');
const state = require('${pkg.name}/state');
console.log(JSON.stringify({ client: typeof sdk.createHcwClient, store: typeof state.ChatStore }));
try { require('${pkg.name}/media'); console.log('loaded'); } catch (error) { (${printError})(error); }`,
    );
    for (const [file, cause] of [
      [esm, 'ERR_MODULE_NOT_FOUND'],
      [cjs, 'MODULE_NOT_FOUND'],
    ] as const) {
      const result = await runNode([file], { cwd: app, timeoutMs: 20_000 });
      expect(result.stderr).toBe('');
      const [entries, error] = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, string>);
      expect(entries).toEqual({ client: 'function', store: 'function' });
      expect(error).toEqual({ code: 'HCW_MISSING_PEER', message: expect.stringContaining('npm install mediasoup-client'), cause });
      expect(error!.message).toMatch(
        /^hcw-realtime-sdk\/media needs mediasoup-client \(\^3\.18\.0\), an optional peer dependency that is not installed\./,
      );
    }
  }, 60_000);

  test('the range the error names is the peer range of package.json', () => {
    expect(MEDIASOUP_CLIENT_RANGE).toBe(pkg.peerDependencies['mediasoup-client']);
  });

  test("with mediasoup-client: Node's media entry is dist/media.js (.cjs) itself, one module instance", async () => {
    symlinkSync(resolve(ROOT, 'node_modules', 'mediasoup-client'), join(app, 'node_modules', 'mediasoup-client'), 'dir');
    const distFile = (file: string) => join(app, 'node_modules', pkg.name, 'dist', file);
    const esm = write(
      'same.mjs',
      `const viaExports = await import('${pkg.name}/media');
const direct = await import(${JSON.stringify(pathToFileURL(distFile('media.js')).href)});
console.log(JSON.stringify({ same: viaExports.MediaManager === direct.MediaManager, names: Object.keys(viaExports).sort().join() === Object.keys(direct).sort().join() }));`,
    );
    const cjs = write(
      'same.cjs',
      `const viaExports = require('${pkg.name}/media');
console.log(JSON.stringify({ same: viaExports === require(${JSON.stringify(distFile('media.cjs'))}), names: true }));`,
    );
    for (const file of [esm, cjs]) {
      const result = await runNode([file], { cwd: app, timeoutMs: 20_000 });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({ same: true, names: true });
    }
  }, 60_000);

  test('moduleResolution node10: the subpaths are typed (typesVersions), declaration files checked', async () => {
    write(
      'node10.ts',
      `import { createHcwClient, type HcwClient } from '${pkg.name}';
import type { ChatNamespace, OutgoingPayload } from '${pkg.name}/contract';
import type { MediaManager } from '${pkg.name}/media';
import type { ChatStore } from '${pkg.name}/state';
import type { HcwClient as UmdClient } from '${pkg.name}/umd';

export const payload: OutgoingPayload<ChatNamespace, 'send_message'> = { consultationId: 1, userId: 'p', content: 'hi' };
export type Parts = [HcwClient, MediaManager, ChatStore, UmdClient];
export const create: typeof createHcwClient = createHcwClient;
`,
    );
    write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          moduleResolution: 'node10',
          // As \`tsc --init\` sets it: zod's own CommonJS declarations need it without skipLibCheck.
          esModuleInterop: true,
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          lib: ['ES2022', 'DOM'],
          types: [],
        },
        files: ['node10.ts'],
      }),
    );
    const result = await typecheck(join(app, 'tsconfig.json'), app);
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
    for (const file of ['index.d.ts', 'contract.d.ts', 'media.d.ts', 'state.d.ts', 'hcw-realtime.umd.d.ts']) {
      expect(result.files, file).toContain(join(app, 'node_modules', pkg.name, 'dist', file));
    }
  }, 120_000);
});
