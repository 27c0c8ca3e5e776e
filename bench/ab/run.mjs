#!/usr/bin/env node
/**
 * `node bench/ab/run.mjs [rev] [passes]`: the pool of commit `rev` (default HEAD) against the
 * working tree's, workerpool (the closest peer) and a raw postMessage floor, in one page (main.ts), a fresh Chromium per pass.
 * Stages src/core, src/platform, src/pool and src/worker of `rev` into bench/ab/old (not in git), builds, serves with COOP/COEP, and writes bench/results/pool-ab.json and .md.
 * `BENCH_POOL_IDLE=poll`: with idle vCPUs held polling (bench/hold-polling.mjs); results in pool-ab-poll.json and .md.
 */
import { execFileSync, execSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs as args, chromiumPath as executablePath } from '../../chromium.config.mjs';
import { holdPolling } from '../hold-polling.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const rev = process.argv[2] ?? 'HEAD';
const passes = Number(process.argv[3] ?? 3);
const poll = process.env.BENCH_POOL_IDLE === 'poll';
const outName = poll ? 'pool-ab-poll' : 'pool-ab';
const parts = ['src/core', 'src/platform', 'src/pool', 'src/worker'];
rmSync(join(here, 'old'), { recursive: true, force: true });
mkdirSync(join(here, 'old'));
execSync(`git archive ${rev} ${parts.join(' ')} | tar -x -C ${JSON.stringify(join(here, 'old'))} --strip-components=1`, { cwd: root, stdio: 'inherit' });
const dist = join(here, 'dist');
execFileSync(
  'npx',
  ['vite', 'build', here, '--config', join(here, 'vite.config.mjs'), '--outDir', dist, '--emptyOutDir', '--base', './', '--logLevel', 'warn'],
  { cwd: root, stdio: 'inherit' },
);

const mime = { '.html': 'text/html', '.js': 'text/javascript' };
const server = createServer((req, res) => {
  const file = join(dist, normalize(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html');
  if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
  res.writeHead(200, {
    'Content-Type': mime[extname(file)] ?? 'application/octet-stream',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const results = [];
try {
  for (let p = 0; p < passes; p++) {
    const release = poll ? holdPolling() : () => {};
    const browser = await chromium.launch({ executablePath, args, headless: true });
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://127.0.0.1:${server.address().port}/index.html`);
      const out = await (await tab.waitForFunction(() => globalThis.__voxpoolBench, null, { timeout: 10 * 60_000, polling: 200 })).jsonValue();
      if (out.error) throw new Error(out.error);
      results.push(out.result);
      console.log(`pass ${p + 1}`, JSON.stringify(out.result));
    } finally {
      await browser.close();
      release();
    }
  }
} finally {
  server.close();
  rmSync(join(here, 'old'), { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const libs = Object.keys(results[0]);
const f = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
const md = [
  `# voxpool pool A/B: ${rev} (before) against the working tree (after)${poll ? ', idle vCPUs held polling' : ''}`,
  '',
  `${new Date().toISOString()}, ${passes} passes, a fresh Chromium each; in each page 30 alternating blocks of 100 awaited calls and 6 of 10,000 calls at once; medians of the per-block ratios to raw, then over passes. Command: \`${poll ? 'BENCH_POOL_IDLE=poll ' : ''}node bench/ab/run.mjs ${rev} ${passes}\`.`,
  '',
  '| pool | µs per awaited call | latency x raw | tasks/s (10,000 at once) | throughput x raw |',
  '| --- | --- | --- | --- | --- |',
  ...libs.map(
    (k) =>
      `| ${k} | ${f(median(results.map((r) => r[k].latencyUs)))} | ${f(median(results.map((r) => r[k].latencyXRaw)))} | ${f(median(results.map((r) => r[k].tasksPerS)))} | ${f(median(results.map((r) => r[k].throughputXRaw)))} |`,
  ),
  '',
  `Per pass, latency x raw (before / after / workerpool): ${results.map((r) => `${f(r.before.latencyXRaw)} / ${f(r.after.latencyXRaw)} / ${f(r.workerpool.latencyXRaw)}`).join('; ')}; throughput x raw: ${results.map((r) => `${f(r.before.throughputXRaw)} / ${f(r.after.throughputXRaw)} / ${f(r.workerpool.throughputXRaw)}`).join('; ')}.`,
  '',
].join('\n');
writeFileSync(join(root, 'bench', 'results', `${outName}.json`), JSON.stringify({ rev, passes, results }, null, 2));
writeFileSync(join(root, 'bench', 'results', `${outName}.md`), md);
console.log(`\n${md}`);
