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
  // Without the sample the demo falls back to the phantom, made by a task of its own first.
  await page.route('**/samples/anatomical.nii', (route) => route.abort('failed'));
  // The five smoothings of the phantom take well under a second here, less than a loaded
  // machine may take between seeing one run and the click landing. So, once the phantom is
  // being made, every worker is held by a long sleep (ahead of the smoothings by priority): all
  // five are still queued when "Cancel all" is pressed, however fast or loaded the machine.
  const holds = await page.evaluate(() => {
    const pool = document.querySelector('voxpool-app')!.pool!;
    const n = pool.size;
    const held = new Promise<string[]>((resolve) => {
      const onTask = (e: { change: string; record: { op: string } }): void => {
        if (e.change !== 'running' || e.record.op !== 'volume.phantom') return;
        pool.removeEventListener('task', onTask as never);
        const runs = Array.from({ length: n }, (_, i) =>
          pool.run('test.sleep' as never, { ms: 600_000 } as never, { label: `hold ${i + 1}`, priority: 100 }).then(
            () => 'done',
            (err: Error) => err.name,
          ),
        );
        resolve(Promise.all(runs));
      };
      pool.addEventListener('task', onTask as never);
    });
    (globalThis as unknown as { heldOutcomes: Promise<string[]> }).heldOutcomes = held;
    return n;
  });
  await page.getByRole('button', { name: 'Run volume demo' }).click();
  const monitor = page.locator('voxpool-monitor');
  await expect.poll(() => monitor.locator('tr.queued', { hasText: 'gaussian' }).count(), { timeout: 60_000 }).toBe(5);
  await expect.poll(() => monitor.locator('tr.running', { hasText: 'hold' }).count(), { timeout: 60_000 }).toBe(holds);
  await monitor.getByRole('button', { name: 'Cancel all' }).click();
  const volume = await demoResult(page, 'volume');
  expect(volume.failed).toBe(0);
  expect(volume.done).toBe(0);
  expect(volume.cancelled).toBe(5);
  const held = await page.evaluate(() => (globalThis as unknown as { heldOutcomes: Promise<string[]> }).heldOutcomes);
  expect(held).toEqual(Array.from({ length: holds }, () => 'CancelledError'));
  expect(await count(page, 'cancelled')).toBe(volume.cancelled + holds);
  expect(await page.locator('.grid[data-group="volume"] .placeholder.cancelled').count()).toBe(volume.cancelled);
  // The pool lives on: the whole mesh demo still runs.
  expect(await runDemo(page, 'mesh')).toMatchObject({ done: 50, failed: 0 });
  await page.close();
});
