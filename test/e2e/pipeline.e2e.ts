/**
 * The pipeline demo survives a real reload of the built page: the workflow stored in IndexedDB
 * is offered on the next visit, resumes, and the new page runs only the steps not yet done.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser.ts';
import { APP_PATH } from './paths.ts';

const origin = inject('origin');
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${origin}${APP_PATH}`);
});
afterAll(async () => {
  await browser?.close();
});

const status = (p: Page) => p.locator('output.demo-status[data-demo="pipeline"]');

test('reload in the middle of the pipeline, then resume it: finished steps are not run again', async () => {
  await page.getByRole('button', { name: 'Run pipeline' }).click();
  // Reload once the first steps are done (and stored) but the rest are not.
  await page.waitForFunction(
    () => {
      const out = document.querySelector('voxpool-app')?.shadowRoot?.querySelector<HTMLOutputElement>('output[data-demo="pipeline"]');
      return Number(out?.dataset.done ?? 0) >= 2;
    },
    undefined,
    { timeout: 120_000 },
  );
  const doneBefore = Number(await status(page).getAttribute('data-done'));
  expect(doneBefore).toBeLessThan(7);
  await page.reload();

  const resume = page.getByRole('button', { name: 'Resume it' });
  await resume.waitFor({ timeout: 30_000 });
  await resume.click();
  await page.locator('output.demo-status[data-demo="pipeline"][data-finished="yes"]').waitFor({ timeout: 150_000 });
  expect(await status(page).getAttribute('data-done')).toBe('7');
  expect(await status(page).getAttribute('data-failed')).toBe('0');
  // The reloaded page's own pool ran only what had not finished before the reload.
  const ran = await page.evaluate(() => {
    const app = document.querySelector('voxpool-app') as unknown as { pool: { tasks(): { label: string }[] } };
    return app.pool.tasks().map((t) => t.label);
  });
  expect(ran).not.toContain('head phantom');
  expect(ran.length).toBeLessThanOrEqual(7 - doneBefore);
  // Its four results are on screen.
  expect(await page.locator('.grid[data-group="pipeline"] figure').count()).toBe(4);
});
