/** Both seed demos on the built page, served from a subpath by a plain static server. */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, offOrigin, recordRequests, renderedPixels, runDemo } from './browser.ts';
import { APP_PATH } from './paths.ts';

let browser: Browser;
const origin = inject('origin');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('the mesh demo and the volume demo complete, render, and stay on the origin', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const requests = recordRequests(context);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${origin}${APP_PATH}`);
  // The page answers before vtk.js arrives: the buttons are there and usable at once.
  await page.getByRole('button', { name: 'Run mesh demo' }).waitFor();

  const mesh = await runDemo(page, 'mesh');
  expect(mesh, mesh.text).toMatchObject({ done: 50, failed: 0, cancelled: 0 });
  expect(await page.locator('.grid[data-group="mesh"] .panel').count()).toBe(1);
  expect(await renderedPixels(page, '.grid[data-group="mesh"] .viewport')).toBeGreaterThan(2000);

  const volume = await runDemo(page, 'volume');
  expect(volume, volume.text).toMatchObject({ done: 5, failed: 0, cancelled: 0 });
  // Five smoothed volumes side by side, plus the volume rendering of the input.
  expect(await page.locator('.grid[data-group="volume"] .panel-slice').count()).toBe(5);
  expect(await page.locator('.grid[data-group="volume"] .panel-volume').count()).toBe(1);
  for (const selector of ['.panel-volume .viewport', '.panel-slice >> nth=0 >> .viewport', '.panel-slice >> nth=4 >> .viewport']) {
    expect(await renderedPixels(page, `.grid[data-group="volume"] ${selector}`), selector).toBeGreaterThan(2000);
  }

  // The monitor agrees: every task of both demos completed.
  const monitor = page.locator('voxpool-monitor');
  expect(await monitor.locator('.count[data-state="done"] dd').textContent()).toBe('55');
  expect(await monitor.locator('.count[data-state="failed"] dd').textContent()).toBe('0');

  expect(pageErrors).toEqual([]);
  expect(offOrigin(requests, origin)).toEqual([]);
  await context.close();
});
