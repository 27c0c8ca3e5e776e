/** Cancelling in the middle of the volume demo: the rest stop, nothing fails, the pool lives on. */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { demoResult, launch, runDemo } from './browser.ts';
import { APP_PATH } from './paths.ts';

let browser: Browser;
const origin = inject('origin');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('cancel all in the middle of the volume demo', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${origin}${APP_PATH}`);
  await page.getByRole('button', { name: 'Run volume demo' }).click();
  const monitor = page.locator('voxpool-monitor');
  // In the middle: tasks are running and others still wait.
  await monitor.locator('tr.running').first().waitFor({ timeout: 60_000 });
  await monitor.getByRole('button', { name: 'Cancel all' }).click();
  const volume = await demoResult(page, 'volume');
  expect(volume.failed).toBe(0);
  expect(volume.cancelled).toBeGreaterThan(0);
  expect(volume.done + volume.cancelled).toBe(5);
  expect(await monitor.locator('.count[data-state="cancelled"] dd').textContent()).toBe(String(volume.cancelled));

  // The pool lives on: a whole demo still runs.
  const mesh = await runDemo(page, 'mesh');
  expect(mesh).toMatchObject({ done: 50, failed: 0 });
  await page.close();
});
