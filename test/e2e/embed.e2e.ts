/** Someone else's page on another path embeds the widget with one script and one element. */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, offOrigin, recordRequests, renderedPixels, runDemo } from './browser.ts';
import { EMBED_PATH, MONITOR_PATH } from './paths.ts';

let browser: Browser;
const origin = inject('origin');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('the widget runs in an embedding page without leaking styles or globals', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const requests = recordRequests(context);
  const page = await context.newPage();
  await page.goto(`${origin}${EMBED_PATH}`);
  const mesh = await runDemo(page, 'mesh');
  expect(mesh).toMatchObject({ done: 50, failed: 0 });
  expect(await renderedPixels(page, '.grid[data-group="mesh"] .viewport')).toBeGreaterThan(2000);

  const leaks = await page.evaluate(() => {
    const before = new Set((window as unknown as { __globalsBefore: string[] }).__globalsBefore);
    const probe = getComputedStyle(document.querySelector('p.probe')!);
    return {
      globals: Object.getOwnPropertyNames(window).filter((n) => !before.has(n)),
      styleElements: document.head.querySelectorAll('style').length,
      styleSheets: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
      probe: { font: probe.fontFamily, color: probe.color, margin: probe.marginTop },
      serviceWorker: navigator.serviceWorker.controller !== null,
      app: document.querySelector('voxpool-app')?.shadowRoot !== null,
    };
  });
  expect(leaks.styleElements).toBe(1);
  expect(leaks.styleSheets).toBe(1);
  expect(leaks.adopted).toBe(0);
  expect(leaks.probe).toEqual({ font: 'serif', color: 'rgb(10, 20, 30)', margin: '7px' });
  expect(leaks.serviceWorker).toBe(false);
  expect(leaks.app).toBe(true);
  // Lit keeps its version lists and property metadata on globalThis by design (shared by every
  // Lit on a page); nothing else may appear.
  const lit = ['litHtmlVersions', 'litElementVersions', 'reactiveElementVersions', 'litPropertyMetadata'];
  expect(leaks.globals.filter((g) => g !== '__globalsBefore' && !lit.includes(g))).toEqual([]);
  expect(offOrigin(requests, origin)).toEqual([]);
  await context.close();
});

test("just the monitor, in another page, watching that page's own pool", async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}${MONITOR_PATH}`);
  await page.waitForFunction(() => typeof (window as unknown as { runSix?: unknown }).runSix === 'function');
  await page.evaluate(() => (window as unknown as { runSix(): Promise<unknown> }).runSix());
  const monitor = page.locator('voxpool-monitor');
  await monitor.locator('.count[data-state="done"] dd', { hasText: '6' }).waitFor();
  expect(await monitor.locator('h2').textContent()).toBe('My pool');
  expect(await monitor.locator('tr[data-task]').count()).toBe(6);
  expect(await monitor.locator('.timeline .lane').count()).toBe(2);
  await page.close();
});
