/** After one visit online, the page reloads and runs both demos with the network off. */
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

test('offline reload runs the demos from the service worker cache', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const requests = recordRequests(context);
  const page = await context.newPage();
  await page.goto(`${origin}${APP_PATH}`);
  // The service worker installs (precaching everything) and takes control of the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
  await page.evaluate(() => navigator.serviceWorker.ready);

  await context.setOffline(true);
  await page.reload();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  const mesh = await runDemo(page, 'mesh');
  expect(mesh).toMatchObject({ done: 50, failed: 0 });
  const volume = await runDemo(page, 'volume');
  expect(volume).toMatchObject({ done: 5, failed: 0 });
  expect(await renderedPixels(page, '.grid[data-group="volume"] .panel-slice >> nth=0 >> .viewport')).toBeGreaterThan(2000);
  expect(offOrigin(requests, origin)).toEqual([]);
  await context.close();
});
