#!/usr/bin/env node
// Bundle sizes as users see them, checked at the end of `npm run build`: small apps import the built
// package by name, as an app does (`hcw-realtime-sdk`, `hcw-realtime-sdk/state`, `.../contract`,
// resolved through package.json `exports` to `dist/`), and are bundled WITH their dependencies
// (zod, rxjs) by esbuild, Vite and webpack in production mode, minified; each
// output is gzipped (level 9). The build fails when one grows past its budget. Also used by the
// benchmarks (bench/bundle-size.ts), which record the figures in BENCHMARKS.md.
//
//   node scripts/check-size.mjs                 check the budgets (exit 1 past one)
//   node scripts/check-size.mjs --json          print the measurements as JSON
//   node scripts/check-size.mjs --root <dir>    measure another checkout (its dist/, built, and its node_modules)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/**
 * The apps, each a few lines using what it names (so nothing it needs can be tree-shaken away).
 * `chat` is what a chat UI ships; `preset` the core entry alone; `contract` what a server (or a
 * form validating ahead of time) ships of `hcw-realtime-sdk/contract`.
 */
export const APPS = {
  chat: {
    title: 'chat app (createHcwClient + ChatStore)',
    source: `import { createHcwClient } from 'hcw-realtime-sdk';
import { ChatStore } from 'hcw-realtime-sdk/state';
const client = createHcwClient({ url: location.origin, consultationId: 1, userId: 'patient-demo', role: 'PATIENT', token: async () => 'token' });
const store = new ChatStore(client.chat, client.identity);
store.messages$.subscribe((messages) => { document.title = String(messages.length); });
document.addEventListener('submit', () => void store.send('Hello doctor'));
`,
  },
  preset: {
    title: 'HCW preset (createHcwClient)',
    source: `import { createHcwClient } from 'hcw-realtime-sdk';
const client = createHcwClient({ url: location.origin, consultationId: 1, userId: 'patient-demo', role: 'PATIENT', token: async () => 'token' });
client.chat.on('new_message').subscribe((event) => { document.title = String(event.message?.content); });
`,
  },
  contract: {
    title: 'contract only (checkPayload + contract)',
    source: `import { checkPayload, contract } from 'hcw-realtime-sdk/contract';
globalThis.check = (event, payload) => checkPayload(contract.chat, event, payload);
`,
  },
};

export const BUNDLERS = ['esbuild', 'vite', 'webpack'];

/**
 * Budgets in gzipped bytes, per app, the same in every bundler. The chat app's is issue 13's target,
 * 40 kB (rxjs included); the others are the largest of the three bundlers' sizes when set plus
 * about 1 kB, so nothing grows unnoticed. Lower them as the bundles shrink; raise one only on
 * purpose, with the reason in the commit. The UMD bundle (every dependency inside, minified by us)
 * has its own.
 */
export const BUDGETS = {
  chat: 40 * 1024,
  preset: 38.5 * 1024,
  contract: 18 * 1024,
  umd: 89 * 1024,
};

/** The target the budgets are heading for (issue 13): the chat app, in every bundler. */
export const TARGET = { app: 'chat', gzip: 40 * 1024 };

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * Runs `use(dir)` in a fresh folder holding the apps (`<app>.js`), where `hcw-realtime-sdk` is
 * installed as a link to `root`: bundlers follow it to its real path, so the package's own
 * dependencies resolve from `root`'s node_modules, as from an installed copy. Removed afterwards.
 */
export async function withAppFolder(root, use) {
  const dir = mkdtempSync(join(tmpdir(), 'hcw-size-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(resolve(root), join(dir, 'node_modules', 'hcw-realtime-sdk'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'size-app', private: true, type: 'module' }));
    for (const [name, app] of Object.entries(APPS)) writeFileSync(join(dir, `${name}.js`), app.source);
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const DEFINE = { 'process.env.NODE_ENV': '"production"' };

/**
 * Each bundler builds every app in one run (webpack's and esbuild's entries do not share chunks:
 * each output is a whole app) and returns app name → output JavaScript files' contents.
 */
const BUILD = {
  async esbuild(dir, apps) {
    const { build } = await import('esbuild');
    const result = await build({
      absWorkingDir: dir,
      entryPoints: Object.fromEntries(apps.map((app) => [app, join(dir, `${app}.js`)])),
      outdir: join(dir, 'esbuild'),
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      define: DEFINE,
      write: false,
      logLevel: 'silent',
    });
    return Object.fromEntries(
      apps.map((app) => [app, result.outputFiles.filter((file) => file.path.endsWith(`${app}.js`)).map((file) => file.contents)]),
    );
  },
  // Rolldown (Vite 8's bundler; Rollup before) would share chunks between inputs: one build per app.
  async vite(dir, apps) {
    const { build } = await import('vite');
    const outputs = {};
    for (const app of apps) {
      const result = await build({
        root: dir,
        configFile: false,
        logLevel: 'silent',
        mode: 'production',
        build: { write: false, minify: true, target: 'es2022', modulePreload: false, rolldownOptions: { input: join(dir, `${app}.js`) } },
      });
      const chunks = (Array.isArray(result) ? result : [result]).flatMap((output) => output.output);
      outputs[app] = chunks.filter((chunk) => chunk.type === 'chunk').map((chunk) => Buffer.from(chunk.code));
    }
    return outputs;
  },
  async webpack(dir, apps) {
    const { default: webpack } = await import('webpack');
    const out = join(dir, 'webpack');
    const compiler = webpack({
      mode: 'production',
      context: dir,
      entry: Object.fromEntries(apps.map((app) => [app, join(dir, `${app}.js`)])),
      target: ['web', 'es2022'],
      output: { path: out, filename: '[name].js', module: true, chunkFormat: 'module' },
      experiments: { outputModule: true },
      devtool: false,
      performance: { hints: false },
      infrastructureLogging: { level: 'error' },
    });
    const stats = await new Promise((done, fail) => compiler.run((error, result) => (error ? fail(error) : done(result))));
    await new Promise((done) => compiler.close(done));
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
    return Object.fromEntries(apps.map((app) => [app, [readFileSync(join(out, `${app}.js`))]]));
  },
};

/**
 * Measures every app in every bundler against `root`'s built `dist/` (run `rollup -c` first), plus
 * the UMD bundle. Sizes in bytes; `ms` is the wall time of that bundler's run (all its apps).
 */
export async function measureSizes(root = ROOT, { bundlers = BUNDLERS, apps = Object.keys(APPS) } = {}) {
  const sizes = await withAppFolder(root, async (dir) => {
    // Side by side: webpack's minifier works in worker threads while the others run.
    const built = await Promise.all(
      bundlers.map(async (bundler) => {
        const started = performance.now();
        const outputs = await BUILD[bundler](dir, apps);
        return { bundler, outputs, ms: Math.round(performance.now() - started) };
      }),
    );
    return built.flatMap(({ bundler, outputs, ms }) =>
      apps.map((app) => {
        const files = outputs[app];
        if (!files?.length) throw new Error(`${bundler} built no output for ${app}`);
        const minified = files.reduce((sum, file) => sum + file.length, 0);
        const gzipped = files.reduce((sum, file) => sum + gzip(file), 0);
        return { name: `${app} (${bundler})`, app, bundler, minified, gzip: gzipped, budget: BUDGETS[app], ms };
      }),
    );
  });
  const umd = readFileSync(resolve(root, 'dist/hcw-realtime.umd.js'));
  sizes.push({ name: 'UMD', app: 'umd', bundler: 'rollup', minified: umd.length, gzip: gzip(umd), budget: BUDGETS.umd, ms: 0 });
  return sizes;
}

const kB = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootAt = process.argv.indexOf('--root');
  const root = rootAt > 0 ? resolve(process.argv[rootAt + 1]) : ROOT;
  const started = performance.now();
  const sizes = await measureSizes(root);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(sizes, null, 2));
  } else {
    let failed = false;
    for (const size of sizes) {
      const over = size.budget !== undefined && size.gzip > size.budget;
      failed ||= over;
      const budget = size.budget === undefined ? '' : ` / budget ${kB(size.budget)}${over ? '  OVER BUDGET' : ''}`;
      console.log(`[check-size] ${size.name.padEnd(20)} ${kB(size.gzip).padStart(10)} gzip (${kB(size.minified)} minified)${budget}`);
    }
    const times = BUNDLERS.map((bundler) => `${bundler} ${(sizes.find((size) => size.bundler === bundler).ms / 1000).toFixed(1)} s`);
    console.log(`[check-size] built in ${((performance.now() - started) / 1000).toFixed(1)} s (side by side: ${times.join(', ')})`);
    if (failed) {
      console.error('[check-size] bundle size budget exceeded: shrink the bundle, or raise BUDGETS in scripts/check-size.mjs on purpose');
      process.exit(1);
    }
  }
}
