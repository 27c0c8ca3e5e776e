/** Cancelling in the middle, from the monitor: the rest stop, nothing fails, the pool lives on. */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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

async function open(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${origin}${APP_PATH}`);
  await page.getByRole('button', { name: 'Run mesh demo' }).waitFor();
  return page;
}

const count = (page: Page, state: string) => page.locator(`voxpool-monitor .count[data-state="${state}"] dd`).textContent().then(Number);

test("cancel one task, then all, in the middle of a batch on the page's pool", async () => {
  const page = await open();
  // Twenty 400 ms tasks on the app's own pool (the e2e build's worker serves the test ops), as any host page could with its own.
  const outcomes = page.evaluate(() => {
    const app = document.querySelector('voxpool-app')!;
    const pool = app.pool!;
    return Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pool.run('test.sleep' as never, { ms: 400 } as never, { label: `nap ${i + 1}` }).then(
          () => 'done',
          (e: Error) => e.name,
        ),
      ),
    );
  });
  const monitor = page.locator('voxpool-monitor');
  await page.waitForFunction(() => {
    const m = document.querySelector('voxpool-app')!.shadowRoot!.querySelector('voxpool-monitor')!.shadowRoot!;
    return Number(m.querySelector('.count[data-state="done"] dd')?.textContent) >= 2;
  });
  await monitor.getByRole('button', { name: 'Cancel nap 20' }).click();
  await monitor.locator('tr[data-task] >> text=nap 20').locator('xpath=..').locator('.state.cancelled').waitFor();
  await monitor.getByRole('button', { name: 'Cancel all' }).click();
  const results = await outcomes;
  const done = results.filter((r) => r === 'done').length;
  expect(results.filter((r) => r !== 'done' && r !== 'CancelledError')).toEqual([]);
  expect(done).toBeGreaterThanOrEqual(2);
  expect(done).toBeLessThan(19);
  expect(results[19]).toBe('CancelledError');
  expect(await count(page, 'cancelled')).toBe(20 - done);
  expect(await count(page, 'failed')).toBe(0);
  // The pool lives on: the whole mesh demo still runs.
  expect(await runDemo(page, 'mesh')).toMatchObject({ done: 50, failed: 0 });
  await page.close();
});

test('cancel all in the middle of the volume demo', async () => {
  const page = await open();
  // On the real head MR the five smoothings take milliseconds: too short to stop in the middle.
  // Without the sample the demo falls back to the phantom (256 x 256 x 130, seconds a task).
  await page.route('**/samples/anatomical.nii', (route) => route.abort('failed'));
  await page.getByRole('button', { name: 'Run volume demo' }).click();
  const monitor = page.locator('voxpool-monitor');
  // The phantom is made by a task of its own first: wait for the smoothings themselves.
  await monitor.locator('tr.running', { hasText: 'gaussian' }).first().waitFor({ timeout: 60_000 });
  await monitor.getByRole('button', { name: 'Cancel all' }).click();
  const volume = await demoResult(page, 'volume');
  expect(volume.failed).toBe(0);
  expect(volume.cancelled).toBeGreaterThan(0);
  expect(volume.done + volume.cancelled).toBe(5);
  expect(await count(page, 'cancelled')).toBe(volume.cancelled);
  expect(await page.locator('.grid[data-group="volume"] .placeholder.cancelled').count()).toBe(volume.cancelled);
  expect(await runDemo(page, 'mesh')).toMatchObject({ done: 50, failed: 0 });
  await page.close();
});
