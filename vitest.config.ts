import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // The SDK's Node entry registers `ws` and node:http; tests import its sources, so they do the same.
    setupFiles: ['test/support/node-platform.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real servers on loopback and a real mediasoup worker: keep files isolated, two at a time (2 cores).
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
