#!/usr/bin/env node
/**
 * `node bench/ab/segments.mjs [passes]`: where one awaited call's time goes (segments.ts), the
 * working tree's pool beside a raw echo worker, a fresh Chromium per pass (COOP/COEP, as the
 * pages). `BENCH_POOL_IDLE=poll`: idle vCPUs held polling. `SEGMENTS_QUERY=spinWait=0` (or another length, µs, always spun): the pool's spin wait. Prints one JSON object per pass.
 */
import { servePage } from './serve-page.mjs';
import { chromium } from 'playwright-core';
import { chromiumArgs as args, chromiumPath as executablePath } from '../../chromium.config.mjs';
import { holdPolling } from '../hold-polling.mjs';

const passes = Number(process.argv[2] ?? 2);
const page = await servePage('segments');
try {
  for (let p = 0; p < passes; p++) {
    const release = process.env.BENCH_POOL_IDLE === 'poll' ? holdPolling() : () => {};
    const browser = await chromium.launch({ executablePath, args, headless: true });
    try {
      const tab = await browser.newPage();
      await tab.goto(`${page.url}${process.env.SEGMENTS_QUERY ? `?${process.env.SEGMENTS_QUERY}` : ''}`);
      const out = await (await tab.waitForFunction(() => globalThis.__voxpoolBench, null, { timeout: 10 * 60_000, polling: 200 })).jsonValue();
      if (out.error) throw new Error(out.error);
      console.log(JSON.stringify(out.result, null, 1));
    } finally {
      await browser.close();
      release();
    }
  }
} finally {
  page.close();
}
