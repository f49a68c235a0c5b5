/**
 * Node's build of `hcw-realtime-sdk` (export condition `node`): the same API, with connections on
 * the `ws` package and `node:http` (Node 20 has no global WebSocket). Bundlers for browsers and
 * React Native take `src/index.ts` and never see either.
 * @packageDocumentation
 * @module hcw-realtime-sdk
 */
import { nodePlatform } from './core/socketio/node-platform.js';
import { useNodePlatform } from './core/socketio/platform.js';

useNodePlatform(nodePlatform);

export * from './index.js';
