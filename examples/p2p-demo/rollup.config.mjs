// Browser bundle of the peer-to-peer demo: examples/p2p-demo/src/main.ts → examples/p2p-demo/dist/p2p-demo.js
// (one IIFE script, every dependency bundled: the SDK from source, rxjs, zod; no mediasoup-client,
// no `ws`). Built by `npm run build:demo`, with the web demo's.
import { fileURLToPath } from 'node:url';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import { nestedBrowserMaps, onwarn } from '../../rollup.config.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default {
  input: here('./src/main.ts'),
  plugins: [
    nestedBrowserMaps(),
    nodeResolve({ browser: true, preferBuiltins: false, extensions: ['.ts', '.mjs', '.js', '.json'] }),
    commonjs(),
    esbuild({ target: 'es2020', tsconfig: here('../../tsconfig.json'), minify: process.env.DEMO_MINIFY === '1' }),
  ],
  onwarn,
  output: {
    file: here('./dist/p2p-demo.js'),
    format: 'iife',
    name: 'P2pDemo',
    inlineDynamicImports: true,
    sourcemap: true,
  },
};
