/** The generic test server: any contract, its domain as handlers (see `server.ts`); systems in `systems/`. */
export * from './server.js';
