/**
 * End-to-end tests: Node drives Debian's Chromium (playwright-core) against the built page on a
 * plain static server. Run with `vitest run --config test/e2e/vitest.config.ts`.
 */
import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

export default defineConfig({
  root: resolve(import.meta.dirname, '../..'),
  cacheDir: 'node_modules/.vite-e2e',
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    // One browser at a time: these machines have two cores, shared with the page's workers.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
