#!/usr/bin/env node
/**
 * The benchmark runner: `node bench/run.mjs [suite ...]` (no argument: every suite).
 *
 * Builds the pages in bench/ (production build), serves bench/dist on 127.0.0.1 with COOP/COEP,
 * and runs each suite module `bench/suites/<name>.mjs`, which exports
 * `async function run(ctx) -> { title, rows: object[], notes: string[], raw }` and gets:
 *   ctx.openPage(page, query)  fresh headless Chromium, opens bench/dist/<page>.html?<query>, waits
 *                              (query noisolate=1: the page is served without COOP/COEP)
 *                              for `globalThis.__voxpoolBench = { result } | { error }`, returns result
 *   ctx.passes                 passes to interleave (BENCH_PASSES, default 3)
 *   ctx.log(...)               progress lines
 * Each suite's figures go to bench/results/<name>.json and .md, and the table to stdout.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs as args, chromiumPath as executablePath } from '../chromium.config.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, 'dist');
const mime = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
  '.map': 'application/json',
  '.zst': 'application/octet-stream',
};

const suites = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(join(here, 'suites'))
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => f.slice(0, -4));

console.log('building bench pages ...');
execFileSync('npx', ['vite', 'build', '--config', join(here, 'vite.config.ts')], { stdio: 'inherit', cwd: join(here, '..') });

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^([/\\])+/, '');
  const file = join(dist, path);
  if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  // `?noisolate=1` on a page: served without COOP/COEP, as a plain static host would (its
  // scripts and workers are fetched without the query, so they keep the headers, which is harmless).
  const isolate = new URL(req.url, 'http://x').searchParams.get('noisolate') !== '1';
  res.writeHead(200, {
    'Content-Type': mime[extname(file)] ?? 'application/octet-stream',
    ...(isolate ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
  });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

let browserVersion = '?';
const ctx = {
  passes: Number(process.env.BENCH_PASSES) || 3,
  log: (...a) => console.log('  ', ...a),
  async openPage(page, query = {}) {
    const browser = await chromium.launch({ executablePath, args, headless: true });
    browserVersion = browser.version();
    try {
      const tab = await browser.newPage();
      tab.on('pageerror', (e) => console.error('   page error:', e.message));
      // BENCH_SPIN_US: that spin wait for the pools of the pages that read it (pages/pool-options.ts: imaging, native).
      const q = process.env.BENCH_SPIN_US === undefined ? query : { ...query, spinWait: process.env.BENCH_SPIN_US };
      await tab.goto(`${origin}/${page}.html?${new URLSearchParams(q)}`);
      const out = await tab.waitForFunction(() => globalThis.__voxpoolBench, null, { timeout: 15 * 60_000, polling: 100 });
      const value = await out.jsonValue();
      if (value.error) throw new Error(`${page}: ${value.error}`);
      return value.result;
    } finally {
      await browser.close();
    }
  },
};

mkdirSync(join(here, 'results'), { recursive: true });
let failed = false;
try {
  for (const name of suites) {
    console.log(`suite ${name}`);
    const suite = await import(join(here, 'suites', `${name}.mjs`));
    try {
      const out = await suite.run(ctx);
      const machine = {
        cores: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        chromium: browserVersion,
        node: process.version,
        date: new Date().toISOString(),
        passes: ctx.passes,
      };
      writeFileSync(join(here, 'results', `${name}.json`), JSON.stringify({ machine, ...out }, null, 2));
      const md = toMarkdown(out, machine);
      writeFileSync(join(here, 'results', `${name}.md`), md);
      console.log(`\n${md}`);
    } catch (e) {
      failed = true;
      console.error(`suite ${name} failed:`, e);
    }
  }
} finally {
  server.close();
}
process.exit(failed ? 1 : 0);

function toMarkdown({ title, rows, notes = [] }, machine) {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2)) : String(v ?? ''));
  return [
    `# ${title}`,
    '',
    `${machine.date}, ${machine.cores} cores (${machine.cpu}), Chromium ${machine.chromium}, ${machine.passes} passes; medians.`,
    '',
    `| ${cols.join(' | ')} |`,
    `| ${cols.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(' | ')} |`),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}
