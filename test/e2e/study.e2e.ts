/**
 * A study on the built page, end to end: a BIDS-like folder of three subjects made here (the
 * project's own phantom and NIfTI writer) is picked through the folder input, runs, is reloaded
 * in the middle, resumes without recomputing a finished step, and its derivatives come down as a
 * zip whose every NIfTI reads back.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser.ts';
import { APP_PATH } from './paths.ts';
import { bidsFixture } from '../study/bids-fixture.ts';
import { readNifti } from '../../src/data/nifti-read.ts';
import { readStl } from '../../src/data/stl.ts';
import { cellCount } from '../../src/data/mesh.ts';
import type { Vec3 } from '../../src/data/volume.ts';

const origin = inject('origin');
let browser: Browser;
let page: Page;
let tmp: string;
/** Bigger than the browser test's: each step takes long enough for a reload to land mid-run. */
const GRID: { dimensions: Vec3; spacing: Vec3 } = { dimensions: [96, 96, 62], spacing: [2.5, 2.5, 2.75] }; // float32-exact, as NIfTI stores them

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'voxpool-study-'));
  for (const f of await bidsFixture(GRID)) {
    const path = join(tmp, 'ds-e2e', f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.bytes);
  }
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
  await page.goto(`${origin}${APP_PATH}`);
});
afterAll(async () => {
  await browser?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

type AppHandle = { study: { workflow: { tasks(): { label: string; state: string }[] } | null }; pool: { tasks(): { label: string }[] } };

test('a BIDS folder of three subjects: picked, run, reloaded mid-run, resumed, derivatives downloaded', async () => {
  await page.locator('input.study-folder').setInputFiles(join(tmp, 'ds-e2e'));
  await expect
    .poll(async () => (await page.locator('.study-found p').textContent())?.replace(/\s+/g, ' '))
    .toMatch(/A BIDS dataset “ds-e2e”: 3 inputs \(3 subjects\), 3 files ignored/);
  await page.getByRole('button', { name: 'Run on every input' }).click();

  // Reload once some steps are done (stored) and others are not.
  await page.waitForFunction(
    () => ((document.querySelector('voxpool-app') as unknown as AppHandle).study.workflow?.tasks().filter((t) => t.state === 'done').length ?? 0) >= 4,
    undefined,
    {
      timeout: 120_000,
    },
  );
  const doneBefore = await page.evaluate(() =>
    (document.querySelector('voxpool-app') as unknown as AppHandle).study
      .workflow!.tasks()
      .filter((t) => t.state === 'done')
      .map((t) => t.label),
  );
  expect(doneBefore.length).toBeLessThan(27);
  console.log(`reloading with ${doneBefore.length} of 27 tasks done`);
  await page.reload();

  const resume = page.getByRole('button', { name: 'Resume the study' });
  await resume.waitFor({ timeout: 30_000 });
  await resume.click();
  const status = page.locator('output.study-status[data-finished="yes"]');
  await status.waitFor({ timeout: 170_000 });
  expect(await status.getAttribute('data-done')).toBe('27');
  expect(await status.getAttribute('data-failed')).toBe('0');
  // The reloaded page's pool ran nothing that was done before the reload.
  const ran = await page.evaluate(() => (document.querySelector('voxpool-app') as unknown as AppHandle).pool.tasks().map((t) => t.label));
  for (const label of doneBefore) expect(ran).not.toContain(label);
  expect(ran.length).toBeLessThanOrEqual(27 - doneBefore.length);
  // The grid, in words: every cell of the three rows done.
  const cells = await page.locator('table.study-grid tbody td').allTextContents();
  expect(cells).toEqual(Array(15).fill('done'));

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download a zip' }).click();
  const file = join(tmp, 'out.zip');
  await (await download).saveAs(file);
  const entries = unzipSync(new Uint8Array(await readFile(file)));
  const names = Object.keys(entries).sort();
  expect(names).toHaveLength(13);
  expect(names).toContain('derivatives/voxpool/dataset_description.json');
  expect(names).toContain('derivatives/voxpool/sub-02/ses-1/anat/sub-02_ses-1_desc-smooth_T1w.nii.gz');
  expect(names).toContain('derivatives/voxpool/sub-03/anat/sub-03_desc-surface_T1w.stl');
  const niftis = names.filter((n) => n.endsWith('.nii.gz'));
  expect(niftis).toHaveLength(9);
  for (const name of niftis) {
    const v = await readNifti([{ name, bytes: entries[name]! }]);
    expect(v.dimensions, name).toEqual(GRID.dimensions);
    expect(v.spacing, name).toEqual(GRID.spacing);
  }
  for (const name of names.filter((n) => n.endsWith('.stl'))) expect(cellCount(readStl(name, entries[name]!).polys), name).toBeGreaterThan(100);
});
