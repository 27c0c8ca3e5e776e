/**
 * The built page with the keyboard only (Playwright's keyboard, no clicks): Tab to the file input,
 * open a NIfTI through the file chooser, Tab to the operation form, choose the median, run it,
 * Tab to its result's Download and press Enter; the browser's download event names the file.
 * Every stop on the way shows where focus is.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, FileChooser, Page } from 'playwright-core';
import { launch } from './browser.ts';
import { APP_PATH } from './paths.ts';
import { tinyNifti } from './nifti.ts';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })).newPage();
  await page.goto(`${inject('origin')}${APP_PATH}`);
  await page.locator('voxpool-app .run-volume').waitFor();
  // The page settled: vtk.js in (its chunk's parsing can hold the main thread for a while).
  await page.locator('voxpool-app .viewer-state.ready').waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
});

interface Focused {
  tag: string;
  type: string;
  name: string;
  /** Whether it, or the box that stands for it (a hidden file input's drop zone), has an outline. */
  outlined: boolean;
}

/** The element focused, through the open shadow roots. */
function focused(): Promise<Focused> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return { tag: 'body', type: '', name: '', outlined: false };
    const visible = (x: Element): boolean => {
      const s = getComputedStyle(x);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1;
    };
    const box = el.matches('input[type="file"]') ? el.closest('.drop') : el;
    return {
      tag: el.localName,
      type: el.getAttribute('type') ?? '',
      name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' '),
      outlined: !!box && visible(box),
    };
  });
}

/** Presses Tab until `want` holds (at most `limit` times); every stop on the way must show focus. */
async function tabTo(want: (f: Focused) => boolean, limit: number, what: string): Promise<number> {
  for (let n = 1; n <= limit; n++) {
    await page.keyboard.press('Tab');
    const f = await focused();
    expect(f.outlined, `focus visible on ${f.tag} ${f.type} "${f.name}"`).toBe(true);
    if (want(f)) return n;
  }
  throw new Error(`${what} not reached in ${limit} presses of Tab`);
}

test('keyboard only: a file from the file chooser, a median on it, its result downloaded under a short name', async () => {
  const toFile = await tabTo((f) => f.type === 'file', 15, 'the file input');
  // Space opens the chooser (Enter too); on a busy machine the first key may come before the page
  // takes input, so ask again, still from the keyboard, with the file input still focused.
  let chooser: FileChooser | undefined;
  for (let attempt = 0; !chooser && attempt < 3; attempt++) {
    expect((await focused()).type).toBe('file');
    const opened = page.waitForEvent('filechooser', { timeout: 10_000 });
    await page.keyboard.press(attempt % 2 ? 'Enter' : 'Space');
    chooser = await opened.catch(() => undefined);
  }
  if (!chooser) throw new Error('the file chooser never opened from the keyboard');
  await chooser.setFiles({ name: 'box.nii', mimeType: 'application/octet-stream', buffer: tinyNifti() });
  const app = page.locator('voxpool-app');
  await app.locator('.entry label', { hasText: 'box.nii' }).waitFor({ timeout: 60_000 });

  // On to the form: the operation list, chosen by typing its name.
  const toSelect = await tabTo((f) => f.tag === 'select' && f.name.startsWith('Gaussian'), 15, 'the operation list');
  await page.keyboard.type('Median');
  await expect.poll(() => app.locator('.op-form select').first().inputValue()).toBe('volume.median');
  const toRun = await tabTo((f) => f.tag === 'button' && f.name.startsWith('Run'), 10, 'the Run button');
  expect(toFile + toSelect + toRun, 'Tab presses from the top of the page to Run').toBeLessThan(40);
  await page.keyboard.press('Enter');
  const result = app.locator('.entry label', { hasText: 'box.nii, median size=3' });
  await result.waitFor({ timeout: 60_000 });

  // Back up the page to the result's Download button.
  let steps = 0;
  for (; steps < 30; steps++) {
    await page.keyboard.press('Shift+Tab');
    const f = await focused();
    expect(f.outlined, `focus visible on ${f.tag} "${f.name}"`).toBe(true);
    if (f.name === 'Download box.nii, median size=3') break;
  }
  expect(steps).toBeLessThan(30);
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect((await download).suggestedFilename()).toBe('box_median-3.nii.gz');
  await expect.poll(() => app.locator('.save-status').textContent()).toMatch(/^Saved box_median-3\.nii\.gz \(\d+(\.\d)? (B|KB)\) to your downloads\.$/);
  expect(await app.locator('[role="alert"]').count()).toBe(0);
});

test('the skip links are the first stops and move focus to their part of the page', async () => {
  await page.reload();
  await page.locator('voxpool-app .run-volume').waitFor();
  await page.keyboard.press('Tab');
  expect((await focused()).name).toBe('Skip to your data and operations');
  await page.keyboard.press('Tab');
  expect((await focused()).name).toBe('Skip to the results');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.querySelector('voxpool-app')!.shadowRoot!.activeElement?.id)).toBe('results');
});
