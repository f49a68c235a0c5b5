// Browser bundle of the web demo: examples/web-demo/src/main.ts → examples/web-demo/dist/demo.js
// (one IIFE script, every dependency bundled: the SDK from source, rxjs, socket.io-client, zod,
// mediasoup-client). Run with `npm run build:demo`.
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
    file: here('./dist/demo.js'),
    format: 'iife',
    name: 'HcwDemo',
    inlineDynamicImports: true,
    sourcemap: true,
  },
};
