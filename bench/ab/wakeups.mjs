#!/usr/bin/env node
/**
 * `node bench/ab/wakeups.mjs [query...]`: system-wide scheduler and interrupt counts per awaited
 * call (perf record for WAKEUPS_SECONDS, default 2, while the page makes its calls; wakeups by
 * waker and woken thread), one fresh Chromium per query
 * (e.g. `mode=raw`, `size=2`, `size=1`). Needs perf and root. `BENCH_POOL_IDLE=poll` holds idle
 * vCPUs polling.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servePage } from './serve-page.mjs';
import { chromium } from 'playwright-core';
import { chromiumArgs as args, chromiumPath as executablePath } from '../../chromium.config.mjs';
import { holdPolling } from '../hold-polling.mjs';

const queries = process.argv.slice(2).length ? process.argv.slice(2) : ['mode=raw', 'size=1', 'size=2'];
const events = ['sched:sched_wakeup', 'irq_vectors:reschedule_entry', 'irq_vectors:call_function_single_entry', 'power:cpu_idle'];
const page = await servePage('wakeups');
const dir = mkdtempSync(join(tmpdir(), 'wakeups-'));
const seconds = Number(process.env.WAKEUPS_SECONDS ?? 2);
try {
  for (const query of queries) {
    const release = process.env.BENCH_POOL_IDLE === 'poll' ? holdPolling() : () => {};
    const browser = await chromium.launch({ executablePath, args, headless: true });
    const data = join(dir, 'perf.data');
    try {
      const tab = await browser.newPage();
      await tab.goto(`${page.url}?${query}`);
      await tab.waitForFunction(() => globalThis.__ready, null, { timeout: 60_000, polling: 100 });
      let n0 = await tab.evaluate(() => globalThis.__n);
      let t0 = performance.now();
      // Blocks this process only: the page goes on making its calls meanwhile.
      const statOut = join(dir, 'stat.csv');
      execFileSync(
        'perf',
        ['stat', '-a', '-x,', '-o', statOut, '-e', 'context-switches', ...events.flatMap((e) => ['-e', e]), '--', 'sleep', String(seconds)],
        { stdio: 'ignore', timeout: (seconds + 30) * 1000 },
      );
      const statMs = performance.now() - t0;
      const n1 = await tab.evaluate(() => globalThis.__n);
      const stat = {};
      for (const line of readFileSync(statOut, 'utf8').split('\n')) {
        const f = line.split(',');
        if (f[2]) stat[f[2]] = Number((Number(f[0]) / (n1 - n0)).toFixed(2));
      }
      console.log(JSON.stringify({ query, stat: 'perf stat', calls: n1 - n0, usPerCall: Number(((statMs * 1000) / (n1 - n0)).toFixed(1)), perCall: stat }));
      n0 = n1;
      t0 = performance.now();
      execFileSync('perf', ['record', '-q', '-a', '-o', data, ...events.flatMap((e) => ['-e', e]), '--', 'sleep', String(seconds)], {
        stdio: 'ignore',
        timeout: (seconds + 30) * 1000,
      });
      const ms = performance.now() - t0;
      const calls = (await tab.evaluate(() => globalThis.__n)) - n0;
      await tab.evaluate(() => (globalThis.__stop = true));
      const script = execFileSync('perf', ['script', '-i', data, '-F', 'comm,event,trace'], {
        stdio: ['ignore', 'pipe', 'ignore'],
        maxBuffer: 1 << 30,
        timeout: 120_000,
      }).toString();
      const perCall = {};
      const woken = {};
      for (const line of script.split('\n')) {
        const m = /^\s*(.+?)\s+([\w:]+):\s*(.*)$/.exec(line);
        if (!m) continue;
        const [, comm, ev, trace] = m;
        if (ev === 'power:cpu_idle' && /state=4294967295/.test(trace)) continue; // the exit from idle: count entries only
        perCall[ev] = (perCall[ev] ?? 0) + 1;
        if (ev === 'sched:sched_wakeup') {
          const target = /comm=(.+?) pid=/.exec(trace)?.[1] ?? '?';
          const key = `${comm.trim()} -> ${target}`;
          woken[key] = (woken[key] ?? 0) + 1;
        }
      }
      const per = (o) =>
        Object.fromEntries(
          Object.entries(o)
            .filter(([, v]) => v / calls >= 0.01)
            .sort((a, b) => b[1] - a[1])
            .map(([k, v]) => [k, Number((v / calls).toFixed(2))]),
        );
      console.log(JSON.stringify({ query, calls, usPerCall: Number(((ms * 1000) / calls).toFixed(1)), perCall: per(perCall), wakeups: per(woken) }, null, 1));
    } finally {
      rmSync(data, { force: true });
      await browser.close();
      release();
    }
  }
} finally {
  page.close();
  rmSync(dir, { recursive: true, force: true });
}
