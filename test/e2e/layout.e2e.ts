/**
 * The built page on a phone (390 x 844) after the volume demo: the views above the controls,
 * nothing wider than the screen, the task table scrolling inside its own box, and the Datasets
 * list at its full height in the order the demo submitted its tasks.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, runDemo } from './browser.ts';
import { APP_PATH } from './paths.ts';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  await page.goto(`${inject('origin')}${APP_PATH}`);
});

afterAll(async () => {
  await browser?.close();
});

test('a phone: the results first, nothing cut off at the right, the task table scrolls in its box', async () => {
  expect(await runDemo(page, 'volume')).toMatchObject({ done: 5, failed: 0 });
  const boxes = await page.evaluate(() => {
    const root = document.querySelector('voxpool-app')!.shadowRoot!;
    const rect = (sel: string): DOMRect => root.querySelector(sel)!.getBoundingClientRect();
    const monitor = root.querySelector('voxpool-monitor')!.shadowRoot!;
    const wrap = monitor.querySelector<HTMLElement>('.table-wrap')!;
    const entries = root.querySelector<HTMLElement>('.entries')!;
    // Everything laid out in the app and its monitor, except what sits inside a box that scrolls.
    const all = [...root.querySelectorAll('*'), ...monitor.querySelectorAll('*')].filter((el) => !el.closest('.table-wrap') || el === wrap);
    const overflowing = all
      .filter((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((el) => `${el.localName}.${el.className}`);
    return {
      results: rect('.results').top,
      controls: rect('.controls').top,
      pageWidth: document.documentElement.scrollWidth,
      overflowing,
      table: { scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, overflowX: getComputedStyle(wrap).overflowX },
      entries: { scrollHeight: entries.scrollHeight, clientHeight: entries.clientHeight },
    };
  });
  expect(boxes.results).toBeLessThan(boxes.controls);
  expect(boxes.pageWidth).toBe(390);
  expect(boxes.overflowing).toEqual([]);
  expect(boxes.table.scrollWidth).toBeGreaterThan(boxes.table.clientWidth);
  expect(boxes.table.overflowX).toBe('auto');
  expect(boxes.entries.scrollHeight).toBeLessThanOrEqual(boxes.entries.clientHeight + 1);
  const names = await page.locator('voxpool-app .entry label').allTextContents();
  expect(names.map((n) => n.replace(/\s+/g, ' ').trim().split(', ').at(-1))).toEqual([0, 5, 10, 15, 20].map((r) => `gaussian r=${r}`));
});
