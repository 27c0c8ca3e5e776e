import { defineConfig, mergeConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import viteConfig from './vite.config.ts';

// Debian's Chromium by default; CHROMIUM_PATH lets a developer use their own Chrome.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the networking flags Chromium keeps trying to reach a network these machines lack.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default mergeConfig(
  viteConfig,
  defineConfig({
    // Concurrent runs must not re-optimize each other's dependency cache mid-run.
    cacheDir: process.env.VOXPOOL_VITE_CACHE ?? 'node_modules/.vite',
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      browser: {
        enabled: true,
        // Several test runs may share a machine: a port of their own, else the next free one.
        api: { port: Number(process.env.VOXPOOL_TEST_PORT) || 63315, strictPort: false },
        headless: true,
        screenshotFailures: false,
        instances: [{ browser: 'chromium' }],
        provider: playwright({ launchOptions: { executablePath, args: chromiumArgs } }),
      },
    },
  }),
);
