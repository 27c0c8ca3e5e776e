/**
 * The volume demo's head on the built page: the real head MR shipped in samples/ (read by
 * itk-wasm, 33 x 41 x 25), and the generated phantom when the sample can't be had.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, runDemo } from './browser.ts';
import { APP_PATH } from './paths.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

test('the volume demo runs on the real head MR', async () => {
  const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
  await page.goto(`${inject('origin')}${APP_PATH}`);
  expect(await runDemo(page, 'volume')).toMatchObject({ done: 5, failed: 0 });
  expect(await page.locator('voxpool-app .panel-volume figcaption').textContent()).toBe('anatomical.nii: volume rendering');
  await page.context().close();
});

test('without the sample (its fetch fails) the demo runs on the head phantom and says so', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.route('**/samples/anatomical.nii', (route) => route.abort('failed'));
  const page = await context.newPage();
  await page.goto(`${inject('origin')}${APP_PATH}`);
  expect(await runDemo(page, 'volume', 180_000)).toMatchObject({ done: 5, failed: 0 });
  expect(await page.locator('voxpool-app .panel-volume figcaption').textContent()).toBe('head phantom: volume rendering');
  expect(await page.locator('voxpool-app .demo .what').nth(1).textContent()).toContain('the head phantom (the sample head MR could not be read)');
  expect(await page.locator('voxpool-app [role="alert"]').count()).toBe(0);
  await context.close();
});
