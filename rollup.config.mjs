// Builds the package:
//   dist/{index,contract,media}.js         ESM   (dependencies and peers external)
//   dist/{index,contract,media}.cjs        CJS   (same)
//   dist/media.node.{js,cjs}               Node's entry of `./media`: a clear error without mediasoup-client
//   dist/hcw-realtime.umd.js               UMD   (global `HcwRealtime`, minified, every dependency bundled)
//   dist/hcw-realtime.umd.d.ts             its types (the entry points it carries, the global)
//   dist/{index,contract,media}.d.ts      types (rollup-plugin-dts), and .d.cts twins for `require`
//   dist/websocket{,.node}.{js,cjs}       the plain WebSocket transport (browsers and React Native; Node, on `ws`)
//   dist/contracts/<name>.{js,cjs,d.ts,d.cts}  the shipped contracts (ws-app, clinic-queue, root-prefixed, plain-ws)
// Entry points are listed once in ENTRIES; externals come from package.json, so neither has to be
// edited when the SDK grows or a dependency is added.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import dts from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';
import MagicString from 'magic-string';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/**
 * Output name → source entry. `index` is the SDK, `contract` is importable on its own (servers too),
 * `media` keeps mediasoup-client out of chat-only apps. Code shared by entries goes to `chunks/`.
 */
const ENTRIES = {
  index: 'src/index.ts',
  // Node's build of the SDK (export condition `node`): connections on `ws` and node:http.
  'index.node': 'src/index.node.ts',
  contract: 'src/contract/index.ts',
  media: 'src/media/index.ts',
  // Peer-to-peer calls: RTCPeerConnection only, no mediasoup-client.
  'media/p2p': 'src/media/p2p/index.ts',
  state: 'src/state/index.ts',
  // The plain WebSocket transport; its Node build (export condition `node`) brings `ws`, which no browser bundle sees.
  websocket: 'src/websocket.ts',
  'websocket.node': 'src/websocket.node.ts',
  // The shipped contracts of other systems, one entry each: an app importing one pays for no other.
  'contracts/ws-app': 'src/contracts/ws-app.ts',
  'contracts/clinic-queue': 'src/contracts/clinic-queue.ts',
  'contracts/root-prefixed': 'src/contracts/root-prefixed.ts',
  'contracts/plain-ws': 'src/contracts/plain-ws.ts',
};
/** The UMD global carries every entry point (`index` re-exports the contract). */
const UMD_ENTRIES = [ENTRIES.index, ENTRIES.state, ENTRIES.media];
const UMD_NAME = 'HcwRealtime';

/** Dependencies and peers (and their subpaths, e.g. `rxjs/operators`) stay imports in ESM/CJS. */
const externalPackages = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
const isExternal = (id) => id.startsWith('node:') || externalPackages.some((name) => id === name || id.startsWith(`${name}/`));

/** Node 20 and current browsers: no down-levelling for the module builds. */
const esbuildModules = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' });

// Warnings about dependencies' own code (top-level `this` in CommonJS, internal circular imports,
// `@__PURE__` comments Rollup cannot place) do not affect the output; ours are all shown.
const inDependency = (warning) => [warning.id, ...(warning.ids ?? [])].filter(Boolean).every((id) => id.includes('node_modules'));
export const onwarn = (warning, warn) => {
  if (warning.code === 'THIS_IS_UNDEFINED' && inDependency(warning)) return;
  if (warning.code === 'CIRCULAR_DEPENDENCY' && inDependency(warning)) return;
  if (warning.code === 'INVALID_ANNOTATION' && inDependency(warning)) return;
  warn(warning);
};

/**
 * Applies `browser` maps of nested package.json files to relative imports (package-browser-field-spec).
 * engine.io-client maps `./transports/*.node.js` to browser transports in `build/esm/package.json`;
 * @rollup/plugin-node-resolve skips that map when the package was entered through `exports`, which
 * would pull the Node XHR polyfill (fs, http, child_process) into the browser bundle.
 */
export function nestedBrowserMaps() {
  const EMPTY = '\0browser-empty';
  const maps = new Map();
  const browserMapOf = (dir) => {
    if (!maps.has(dir)) {
      const file = join(dir, 'package.json');
      let found = null;
      if (existsSync(file)) {
        const { browser } = JSON.parse(readFileSync(file, 'utf8'));
        if (browser && typeof browser === 'object') found = { dir, browser };
      }
      if (!found && dirname(dir) !== dir && !dir.endsWith(`${sep}node_modules`)) found = browserMapOf(dirname(dir));
      maps.set(dir, found);
    }
    return maps.get(dir);
  };
  return {
    name: 'nested-browser-maps',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.') || !importer.includes(`${sep}node_modules${sep}`)) return null;
      const map = browserMapOf(dirname(importer));
      if (!map) return null;
      const target = resolve(dirname(importer), source);
      const key = `./${relative(map.dir, target).split(sep).join('/')}`;
      const mapped = map.browser[key] ?? map.browser[`${key}.js`];
      if (mapped === false) return EMPTY;
      return typeof mapped === 'string' ? resolve(map.dir, mapped) : null;
    },
    load: (id) => (id === EMPTY ? 'export default {};' : null),
  };
}

/**
 * Leaves the contract's prose out of the shipped code: `note` and `extension` (why an event was
 * added) explain the contract in docs/events.md and docs/asyncapi.json, which are generated from
 * the sources; no code reads them at run time, and they were ~1 kB of every app's gzipped bundle.
 * Only properties of those names in the event declarations (src/contract/events, src/contracts, and
 * define.ts for `asExtension`) whose value is a string or a text constant are removed (found on the AST).
 */
export function stripContractDocs() {
  const DOC_KEYS = new Set(['note', 'extension']);
  return {
    name: 'strip-contract-docs',
    transform(code, id) {
      // Where events are declared (and `asExtension`), nowhere else: `note` is an ordinary key elsewhere.
      const contract = `${sep}src${sep}contract${sep}`;
      const shipped = id.includes(`${sep}src${sep}contracts${sep}`); // the shipped contracts declare events too
      if (!shipped && !id.includes(`${contract}events${sep}`) && !id.endsWith(`${contract}define.ts`)) return null;
      const magic = new MagicString(code);
      const visit = (node) => {
        if (!node || typeof node.type !== 'string') return;
        if (node.type === 'ObjectExpression') {
          node.properties.forEach((property, i, all) => {
            const isDoc =
              property.type === 'Property' &&
              !property.computed &&
              DOC_KEYS.has(property.key.name ?? property.key.value) &&
              ((property.value.type === 'Literal' && typeof property.value.value === 'string') ||
                property.value.type === 'TemplateLiteral' ||
                property.value.type === 'Identifier'); // a shared text constant, then tree-shaken
            if (!isDoc) return;
            // With the comma that separates it from its neighbour.
            if (i + 1 < all.length) magic.remove(property.start, all[i + 1].start);
            else if (i > 0) magic.remove(all[i - 1].end, property.end);
            else magic.remove(property.start, property.end);
          });
        }
        for (const value of Object.values(node)) {
          if (Array.isArray(value)) value.forEach(visit);
          else if (value && typeof value === 'object') visit(value);
        }
      };
      visit(this.parse(code));
      return magic.hasChanged() ? { code: magic.toString(), map: magic.generateMap({ hires: true }) } : null;
    },
  };
}

/**
 * Node's own entry points of `hcw-realtime-sdk/media`: `dist/media.node.js` and `.cjs`, picked by the
 * `node-addons` export condition, which Node itself sets and bundlers do not (they keep
 * `dist/media.js`, and fail at build time naming mediasoup-client when it is missing). Each loads
 * the real entry so that a missing `mediasoup-client`, an optional peer, fails with an error that
 * says what to install (src/media/missing-peer.ts) instead of Node's bare ERR_MODULE_NOT_FOUND.
 * The ESM one imports `media.js` dynamically (the very module instance a static import gets, one
 * MediaManager class) behind a top-level await, which only Node sees: no bundler takes `node-addons`.
 */
export function nodeMediaEntries() {
  let helper;
  return {
    name: 'node-media-entries',
    buildStart() {
      helper = this.emitFile({ type: 'chunk', id: resolve('src/media/missing-peer.ts'), name: 'missing-peer' });
    },
    generateBundle(options, bundle) {
      const esm = options.format === 'es';
      const entry = esm ? 'media.js' : 'media.cjs';
      const names = bundle[entry].exports;
      const from = `./${this.getFileName(helper)}`;
      const header = `// hcw-realtime-sdk/media in Node: ./${entry}, loaded so that a missing mediasoup-client (an optional\n// peer dependency) fails with an error that says what to install. Bundlers use ./${entry} directly.\n`;
      const source = esm
        ? `${header}import { explainMissingPeer } from '${from}';\n\nlet media;\ntry {\n  media = await import('./${entry}');\n} catch (error) {\n  throw explainMissingPeer(error);\n}\nexport const { ${names.join(', ')} } = media;\n`
        : `${header}'use strict';\n\nconst { explainMissingPeer } = require('${from}');\n\ntry {\n  module.exports = require('./${entry}');\n} catch (error) {\n  throw explainMissingPeer(error);\n}\n`;
      this.emitFile({ type: 'asset', fileName: esm ? 'media.node.js' : 'media.node.cjs', source });
    },
  };
}

/**
 * `dist/hcw-realtime.umd.d.ts`, the types of the UMD file (`hcw-realtime-sdk/umd`): the entry points
 * it carries, and the global `HcwRealtime` for plain scripts (`/// <reference types="hcw-realtime-sdk/umd" />`).
 */
function umdTypes(name, files) {
  const entryOf = (file) => Object.keys(ENTRIES).find((entry) => ENTRIES[entry] === file);
  return {
    name: 'umd-types',
    generateBundle() {
      const lines = files.map((file) => `export * from './${entryOf(file)}.js';`);
      const source = `// Types of hcw-realtime.umd.js (<script> tags, CDNs): the global ${name} carries these entry points.\n${lines.join('\n')}\nexport as namespace ${name};\n`;
      this.emitFile({ type: 'asset', fileName: 'hcw-realtime.umd.d.ts', source });
    },
  };
}

/** A virtual module re-exporting several entry points, so one UMD global carries them all. */
function combinedEntry(id, files) {
  return {
    name: 'combined-entry',
    resolveId: (source) => (source === id ? id : null),
    load: (source) => (source === id ? files.map((file) => `export * from ${JSON.stringify(resolve(file))};`).join('\n') : null),
  };
}
const UMD_INPUT = '\0hcw-umd-entry';

const banner = `/*! ${pkg.name} v${pkg.version} | ${pkg.license} */`;

/** Entry points under their own names; chunks emitted by plugins (not public) under `chunks/`. */
const emittedToChunks = (ext) => (chunk) => (Object.hasOwn(ENTRIES, chunk.name) ? `[name].${ext}` : `chunks/[name].${ext}`);

export default [
  // ESM + CJS: one graph, two formats. `index` imports the `contract` entry, so the contract is
  // shipped once and both entry points share one set of schema objects.
  {
    input: ENTRIES,
    external: isExternal,
    // A bare `import 'zod'` left behind by type-only use is dropped: dependencies have no side
    // effects the SDK relies on.
    treeshake: { moduleSideEffects: 'no-external' },
    plugins: [nodeResolve({ extensions: ['.ts', '.mjs', '.js', '.json'] }), esbuildModules(), stripContractDocs(), nodeMediaEntries()],
    onwarn,
    output: [
      {
        dir: 'dist',
        format: 'es',
        entryFileNames: emittedToChunks('js'),
        chunkFileNames: 'chunks/[name].js',
        sourcemap: true,
      },
      {
        dir: 'dist',
        format: 'cjs',
        entryFileNames: emittedToChunks('cjs'),
        chunkFileNames: 'chunks/[name].cjs',
        exports: 'named',
        interop: 'auto',
        sourcemap: true,
      },
    ],
  },

  // UMD for <script> tags and CDNs: self-contained, browser builds of every dependency.
  {
    input: UMD_INPUT,
    plugins: [
      combinedEntry(UMD_INPUT, UMD_ENTRIES),
      nestedBrowserMaps(),
      nodeResolve({ browser: true, preferBuiltins: false, extensions: ['.ts', '.mjs', '.js', '.json'] }),
      commonjs(),
      esbuild({ target: 'es2020', tsconfig: 'tsconfig.json' }),
      stripContractDocs(),
      umdTypes(UMD_NAME, UMD_ENTRIES),
    ],
    onwarn,
    output: {
      file: 'dist/hcw-realtime.umd.js',
      format: 'umd',
      name: UMD_NAME,
      exports: 'named',
      inlineDynamicImports: true,
      banner,
      sourcemap: true,
      plugins: [terser({ format: { comments: /^!/ } })],
    },
  },

  // Types: one declaration file per entry; `index.d.ts` re-exports from `contract.d.ts`. The `.d.cts`
  // twins type the `require` condition (a `.d.ts` in a `"type": "module"` package is read as ESM).
  {
    input: ENTRIES,
    external: isExternal,
    plugins: [dts({ tsconfig: 'tsconfig.json' })],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'chunks/[name].d.ts' },
      { dir: 'dist', format: 'es', entryFileNames: '[name].d.cts', chunkFileNames: 'chunks/[name].d.cts' },
    ],
  },
];
