/** After one visit online, the page reloads and runs the demos with the network off. */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, offOrigin, recordRequests, renderedPixels, runDemo } from './browser.ts';
import { APP_PATH } from './paths.ts';

const origin = inject('origin');
let browser: Browser;
let context: BrowserContext;
let page: Page;
let requests: string[];

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  requests = recordRequests(context);
  page = await context.newPage();
  await page.goto(`${origin}${APP_PATH}`);
  // The service worker installs (precaching everything) and takes control of the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 120_000 });
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('button', { name: 'Run mesh demo' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
});

test('the page reloads with the network off', async () => {
  // Off as far as the network goes: a fetch past the service worker fails. (Not read from
  // `navigator.onLine`: Debian's Chromium 150 keeps it true under Playwright's offline emulation,
  // where 156 set it false; the page never reads it.)
  expect(
    await page.evaluate(() =>
      fetch(`data-that-was-never-cached-${Date.now()}`).then(
        () => 'fetched',
        () => 'failed',
      ),
    ),
  ).toBe('failed');
});

test('the mesh demo runs offline', async () => {
  const mesh = await runDemo(page, 'mesh');
  expect(mesh).toMatchObject({ done: 50, failed: 0 });
  expect(await renderedPixels(page, '.grid[data-group="mesh"] .viewport')).toBeGreaterThan(2000);
});

test('the volume demo runs offline (its wasm from the cache)', async () => {
  const volume = await runDemo(page, 'volume');
  expect(volume).toMatchObject({ done: 5, failed: 0 });
  expect(await renderedPixels(page, '.grid[data-group="volume"] .panel-slice >> nth=0 >> .viewport')).toBeGreaterThan(2000);
});

test('the sample head MR loads offline, and the icon and manifest come from the cache', async () => {
  const app = page.locator('voxpool-app');
  await app.getByRole('button', { name: 'Load sample' }).click();
  await app.locator('.entry label', { hasText: /^\s*volume\s+anatomical\.nii\s*$/ }).waitFor({ timeout: 60_000 });
  expect(await app.locator('[role="alert"]').count()).toBe(0);
  const cached = await page.evaluate(async () => {
    const manifest = (await (await fetch('manifest.webmanifest')).json()) as { start_url: string; display: string; icons: { src: string }[] };
    const icon = await fetch(manifest.icons[0]!.src);
    return { start: manifest.start_url, display: manifest.display, icon: icon.ok && (await icon.text()).includes('<svg') };
  });
  expect(cached).toEqual({ start: '.', display: 'standalone', icon: true });
});

test('every request stayed on the origin', () => {
  expect(offOrigin(requests, origin)).toEqual([]);
});
