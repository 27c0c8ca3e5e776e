#!/usr/bin/env node
/**
 * `node bench/ab/segments.mjs [passes]`: where one awaited call's time goes (segments.ts), the
 * working tree's pool beside a raw echo worker, a fresh Chromium per pass (COOP/COEP, as the
 * pages). `BENCH_POOL_IDLE=poll`: idle vCPUs held polling. Prints one JSON object per pass.
 */
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium } from 'playwright-core';
import { chromiumArgs as args, chromiumPath as executablePath } from '../../chromium.config.mjs';
import { holdPolling } from '../hold-polling.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, 'segments-dist');
const passes = Number(process.argv[2] ?? 2);
await build({
  root: here,
  configFile: false,
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: dist, emptyOutDir: true, rollupOptions: { input: join(here, 'segments.html') } },
});
const server = createServer((req, res) => {
  const file = join(dist, normalize(new URL(req.url, 'http://x').pathname).replace(/^\/+/, ''));
  if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
  res.writeHead(200, {
    'Content-Type': extname(file) === '.html' ? 'text/html' : 'text/javascript',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
try {
  for (let p = 0; p < passes; p++) {
    const release = process.env.BENCH_POOL_IDLE === 'poll' ? holdPolling() : () => {};
    const browser = await chromium.launch({ executablePath, args, headless: true });
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://127.0.0.1:${server.address().port}/segments.html`);
      const out = await (await tab.waitForFunction(() => globalThis.__voxpoolBench, null, { timeout: 10 * 60_000, polling: 200 })).jsonValue();
      if (out.error) throw new Error(out.error);
      console.log(JSON.stringify(out.result, null, 1));
    } finally {
      await browser.close();
      release();
    }
  }
} finally {
  server.close();
  rmSync(dist, { recursive: true, force: true });
}
