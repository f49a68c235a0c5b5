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
    const sizes = measureSizes(ROOT);
    const core = sizes.find((size) => size.name.startsWith('core'))!;
    const breakdown = await sourceBreakdown();
    return {
      target: `core ESM min+gz ≤ ${kb(TARGET)}`,
      value: kb(core.gzip),
      pass: core.gzip <= TARGET,
      context: [
        ...sizes.map(
          (size) =>
            `${size.name}: ${kb(size.gzip)} gzip, ${kb(size.minified)} minified (\`${size.file}\`)${size.budget ? `; build budget ${kb(size.budget)}` : ''}`,
        ),
        `core minified bytes by source folder: ${breakdown}`,
      ],
      method:
        'The built `dist/` files (run `npm run build` first): each ESM entry bundled by esbuild with its own chunks inlined, `dependencies` and `peerDependencies` external (zod, socket.io-client, eventemitter3, rxjs, mediasoup-client), minified, gzip -9; the UMD bundle (every dependency inside, already minified) gzip -9. The same numbers `scripts/check-size.mjs` checks at the end of `npm run build`.',
    };
  },
};
export default bundleSize;

/** Minified output bytes of the core entry per `src/` folder (esbuild metafile, before gzip). */
async function sourceBreakdown(): Promise<string> {
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
  return [...byFolder]
    .sort((a, b) => b[1] - a[1])
    .map(([folder, bytes]) => `${folder} ${kb(bytes)}`)
    .join(', ');
}
