/**
 * The Node tests (`npm test` runs them after the browser tests): the workflow file's reader and
 * writers, and the Node runner (`voxpool run`, its store, resume, cancel) through the built CLI.
 * Plain Node, no browser: what is tested here is what runs in Node.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  cacheDir: process.env.VOXPOOL_VITE_CACHE ?? 'node_modules/.vite',
  test: {
    include: ['test/node/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    globalSetup: ['test/node/global-setup.ts'],
  },
});
