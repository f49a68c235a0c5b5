import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { measureSizes } from '../scripts/check-size.mjs';
import { kb, type Benchmark } from './lib/result.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TARGET = 15 * 1024;

/** Bundle sizes of the built package (scripts/check-size.mjs), plus where the core's bytes come from. */
const bundleSize: Benchmark = {
  name: 'bundle-size',
  title: 'Bundle size',
  async run() {
    const rebuilt = ensureBuilt();
    const sizes = measureSizes(ROOT);
    const core = sizes.find((size) => size.name.startsWith('core'))!;
    const folders = await sourceBreakdown();
    const breakdown = folders.map(([folder, bytes]) => `${folder} ${kb(bytes)}`).join(', ');
    const total = folders.reduce((sum, [, bytes]) => sum + bytes, 0);
    const contractShare = folders.filter(([folder]) => folder.startsWith('contract')).reduce((sum, [, bytes]) => sum + bytes, 0) / total;
    return {
      target: `core ESM min+gz ≤ ${kb(TARGET)}`,
      value: kb(core.gzip),
      pass: core.gzip <= TARGET,
      context: [
        ...sizes.map(
          (size) =>
            `${size.name}: ${kb(size.gzip)} gzip, ${kb(size.minified)} minified (\`${size.file}\`)${size.budget ? `; build budget ${kb(size.budget)}` : ''}`,
        ),
        `core minified bytes by source folder: ${breakdown}${rebuilt ? ' (dist/ was older than src/: rebuilt with `rollup -c` first)' : ''}`,
      ],
      notes:
        core.gzip <= TARGET
          ? []
          : [
              `The core is ${kb(core.gzip - TARGET)} over the 15 kB target. ${Math.round(contractShare * 100)}% of its minified bytes are the contract: every event schema of the four namespaces (zod object definitions, field dictionary, samples), which the SDK needs at run time to validate both ways; the largest other parts: ${folders.filter(([folder]) => !folder.startsWith('contract')).slice(0, 2).map(([folder, bytes]) => `${folder} ${kb(bytes)}`).join(', ')} (minified). The build budget (scripts/check-size.mjs) is set at the measured size plus a small margin so it cannot grow unnoticed.`,
            ],
      method:
        'The built `dist/` files (rebuilt first with `rollup -c` when `src/` is newer): each ESM entry bundled by esbuild with its own chunks inlined, `dependencies` and `peerDependencies` external (zod, socket.io-client, eventemitter3, rxjs, mediasoup-client), minified, gzip -9; the UMD bundle (every dependency inside, already minified) gzip -9. The same numbers `scripts/check-size.mjs` checks at the end of `npm run build`.',
    };
  },
};
export default bundleSize;

/** Rebuilds the library (rollup only) when a source file is newer than dist/index.js; true when it did. */
function ensureBuilt(): boolean {
  const built = (() => {
    try {
      return statSync(join(ROOT, 'dist/index.js')).mtimeMs;
    } catch {
      return 0;
    }
  })();
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
    }));
  if (newest(join(ROOT, 'src')) <= built) return false;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/rollup/dist/bin/rollup'), '-c'], { cwd: ROOT, stdio: 'ignore' });
  return true;
}

/** Minified output bytes of the core entry per `src/` folder (esbuild metafile, before gzip). */
async function sourceBreakdown(): Promise<[string, number][]> {
  const pkg = (await import('../package.json', { with: { type: 'json' } })).default as {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)];
  const result = await build({
    entryPoints: [`${ROOT}src/index.ts`],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: external.flatMap((id) => [id, `${id}/*`]),
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const byFolder = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const folder = file.replace(/^src\//, '').split('/').slice(0, -1).join('/') || 'src';
    byFolder.set(folder, (byFolder.get(folder) ?? 0) + bytesInOutput);
  }
  return [...byFolder].sort((a, b) => b[1] - a[1]);
}
