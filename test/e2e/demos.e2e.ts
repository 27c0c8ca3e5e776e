/** Both seed demos on the built page, served from a subpath by a plain static server. */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, offOrigin, recordRequests, renderedPixels, runDemo } from './browser.ts';
import { APP_PATH } from './paths.ts';

const origin = inject('origin');
let browser: Browser;
let context: BrowserContext;
let page: Page;
let requests: string[];
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  requests = recordRequests(context);
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${origin}${APP_PATH}`);
  // The page answers before vtk.js arrives: the buttons are there and usable at once.
  await page.getByRole('button', { name: 'Run mesh demo' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
});

test('the mesh demo: Completed 50, Failed 0, one mesh on a rendered canvas', async () => {
  const mesh = await runDemo(page, 'mesh');
  expect(mesh, mesh.text).toMatchObject({ done: 50, failed: 0, cancelled: 0 });
  expect(await page.locator('.grid[data-group="mesh"] .panel').count()).toBe(1);
  expect(await renderedPixels(page, '.grid[data-group="mesh"] .viewport')).toBeGreaterThan(2000);
  const monitor = page.locator('voxpool-monitor');
  expect(await monitor.locator('.count[data-state="done"] dd').textContent()).toBe('50');
  expect(await monitor.locator('.count[data-state="failed"] dd').textContent()).toBe('0');
});

test('the volume demo: Completed 5, Failed 0, five slices and a volume rendering', async () => {
  const volume = await runDemo(page, 'volume');
  expect(volume, volume.text).toMatchObject({ done: 5, failed: 0, cancelled: 0 });
  // Five smoothed volumes side by side, plus the volume rendering of the input.
  expect(await page.locator('.grid[data-group="volume"] .panel-slice').count()).toBe(5);
  expect(await page.locator('.grid[data-group="volume"] .panel-volume').count()).toBe(1);
  for (const selector of ['.panel-volume .viewport', '.panel-slice >> nth=0 >> .viewport', '.panel-slice >> nth=4 >> .viewport']) {
    expect(await renderedPixels(page, `.grid[data-group="volume"] ${selector}`), selector).toBeGreaterThan(2000);
  }
  expect(await page.locator('voxpool-monitor .count[data-state="failed"] dd').textContent()).toBe('0');
});

test('no page errors, and every request stayed on the origin', () => {
  expect(pageErrors).toEqual([]);
  expect(requests.length).toBeGreaterThan(3);
  expect(offOrigin(requests, origin)).toEqual([]);
});
