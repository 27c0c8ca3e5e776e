import { defineConfig, mergeConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import viteConfig from './vite.config.ts';
import { chromiumArgs, chromiumPath } from './chromium.config.mjs';
import { nibabelRead } from './test/data/nibabel-command.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    // Concurrent runs must not re-optimize each other's dependency cache mid-run.
    cacheDir: process.env.VOXPOOL_VITE_CACHE ?? 'node_modules/.vite',
    test: {
      include: ['test/**/*.test.ts'],
      // Node's own tests run under test/node/vitest.config.ts.
      exclude: ['**/node_modules/**', 'test/node/**'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      browser: {
        enabled: true,
        // Several test runs may share a machine: a port of their own, else the next free one.
        api: { port: Number(process.env.VOXPOOL_TEST_PORT) || 63315, strictPort: false },
        headless: true,
        screenshotFailures: false,
        instances: [{ browser: 'chromium' }],
        provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
        // Node-side helpers a browser test calls through `commands`.
        commands: { nibabelRead },
      },
    },
  }),
);
