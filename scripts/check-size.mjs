#!/usr/bin/env node
// Bundle-size budget (like size-limit), run at the end of `npm run build`: fails the build when the
// core ESM entry (minified + gzipped, dependencies and peers excluded) or the UMD bundle (gzipped)
// grows past its budget. Also used by the benchmarks (bench/bundle-size.ts) to report every entry.
//
//   node scripts/check-size.mjs          check the budgets (exit 1 past one)
//   node scripts/check-size.mjs --json   print the measurements as JSON
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/**
 * Budgets in gzipped bytes. The core's is the target, 15 kB (14.39 kB when set, after the
 * stores moved to their own entry, `hcw-realtime-sdk/state`); the UMD's is a little above its size
 * then (103.65 kB). Raise one only on purpose, with the reason in the commit.
 */
export const BUDGETS = {
  // 15 kB until the tolerant receive rule (contract `requires`, nullable optionals, +1.4 kB) and the
  // settling of queued sends and refusals (+1.3 kB); issue 13 replaces this with per-bundler app budgets.
  'core ESM (min+gz)': 18_432, // 18 kB
  'UMD (gz)': 110_592, // 108 kB
};

/** The ESM entries as an app's bundler sees them: own chunks inlined, dependencies and peers left out. */
const ESM_ENTRIES = {
  'core ESM (min+gz)': 'index.js',
  'contract ESM (min+gz)': 'contract.js',
  'state ESM (min+gz)': 'state.js',
  'media ESM (min+gz)': 'media.js',
};

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Measures the built files in `dist/` (run `npm run build` first). Sizes in bytes. */
export function measureSizes(root = ROOT) {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
  const sizes = [];
  for (const [name, file] of Object.entries(ESM_ENTRIES)) {
    const built = buildSync({
      entryPoints: [resolve(root, 'dist', file)],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      external: external.flatMap((id) => [id, `${id}/*`]),
      write: false,
      logLevel: 'silent',
    });
    const code = built.outputFiles[0].contents;
    sizes.push({ name, file: `dist/${file}`, minified: code.length, gzip: gzip(code), budget: BUDGETS[name] });
  }
  const umd = readFileSync(resolve(root, 'dist/hcw-realtime.umd.js'));
  sizes.push({ name: 'UMD (gz)', file: 'dist/hcw-realtime.umd.js', minified: umd.length, gzip: gzip(umd), budget: BUDGETS['UMD (gz)'] });
  return sizes;
}

const kB = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = measureSizes();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(sizes, null, 2));
  } else {
    let failed = false;
    for (const size of sizes) {
      const over = size.budget !== undefined && size.gzip > size.budget;
      failed ||= over;
      const budget = size.budget === undefined ? '' : ` / budget ${kB(size.budget)}${over ? '  OVER BUDGET' : ''}`;
      console.log(`[check-size] ${size.name.padEnd(22)} ${kB(size.gzip).padStart(10)} gzip (${kB(size.minified)} minified)${budget}`);
    }
    if (failed) {
      console.error('[check-size] bundle size budget exceeded: shrink the bundle, or raise BUDGETS in scripts/check-size.mjs on purpose');
      process.exit(1);
    }
  }
}
