import { defineConfig, mergeConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import viteConfig from './vite.config.ts';
import { chromiumArgs, chromiumPath } from './chromium.config.mjs';
import { nibabelRead } from './test/data/nibabel-command.ts';

/** Tests that exhaust a worker's JS heap: run only under the `chromium-heap` instance below. */
const heapTests = ['test/pool/heap.test.ts'];

export default mergeConfig(
  viteConfig,
  defineConfig({
    // Concurrent runs must not re-optimize each other's dependency cache mid-run.
    cacheDir: process.env.VOXPOOL_VITE_CACHE ?? 'node_modules/.vite',
    test: {
      include: ['test/**/*.test.ts'],
      // Node's own tests run under test/node/vitest.config.ts.
      exclude: ['**/node_modules/**', 'test/node/**'],
      // Ceilings, not waits: the tests wait on events. A demo of five smoothings took 50 s with
      // the machine's two cores at load 23, so the ceiling leaves room for a busy shared machine.
      testTimeout: 180_000,
      hookTimeout: 120_000,
      browser: {
        enabled: true,
        // Several test runs may share a machine: a port of their own, else the next free one.
        api: { port: Number(process.env.VOXPOOL_TEST_PORT) || 63315, strictPort: false },
        headless: true,
        screenshotFailures: false,
        instances: [
          { browser: 'chromium', exclude: [...heapTests, 'test/node/**', '**/node_modules/**'] },
          // The heap-exhaustion test alone, in a Chromium whose V8 heap limit is lowered (it
          // reaches workers too), so running out takes seconds rather than minutes.
          {
            browser: 'chromium',
            name: 'chromium-heap',
            include: heapTests,
            provider: playwright({ launchOptions: { executablePath: chromiumPath, args: [...chromiumArgs, '--js-flags=--max-old-space-size=256'] } }),
          },
        ],
        provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
        // Node-side helpers a browser test calls through `commands`.
        commands: { nibabelRead },
      },
    },
  }),
);
