/**
 * The built page served by `voxpool serve` (the built CLI, dist/): the study panel finds the
 * server, runs a BIDS-like folder of three subjects (made here) on the server's Node runner, its
 * grid follows the server's task states, and the derivatives come back into the page: the zip
 * it makes holds the same files as the zip of the same study run in the page (byte for byte; a
 * .nii.gz as the NIfTI bytes it holds, see below), and the results open in the scene. On the plain static host the page offers nothing of it.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser.ts';
import { APP_PATH } from './paths.ts';
import { bidsFixture } from '../study/bids-fixture.ts';
import { voxpool, type Cli } from '../node/cli-support.ts';
import type { Vec3 } from '../../src/data/volume.ts';

const dist = inject('dist');
const staticOrigin = inject('origin');
let browser: Browser;
let page: Page;
let tmp: string;
let server: Cli;
let url: string;
const GRID: { dimensions: Vec3; spacing: Vec3 } = { dimensions: [64, 64, 40], spacing: [3.75, 3.75, 4.25] };
const pageErrors: string[] = [];

type AppHandle = { study: { state: { running: boolean; remote: { executor: string } | null; summary: { done: number } | null } } };

beforeAll(async () => {
  // The CLI runs from the package build (Node 20 cannot run TypeScript).
  if (process.env.VOXPOOL_NODE_PREBUILT !== '1') execFileSync(process.execPath, ['build/package.mjs'], { stdio: 'inherit' });
  tmp = await mkdtemp(join(tmpdir(), 'voxpool-serve-e2e-'));
  for (const f of await bidsFixture(GRID)) {
    const path = join(tmp, 'ds-serve', f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.bytes);
  }
  server = voxpool(['serve', '--port', '0', '--page', dist, '--runs', join(tmp, 'runs'), '--workers', '2', '--executor', 'local'], tmp);
  url = /(http:\/\/\S+?)\/? /.exec(await server.line(/^voxpool serve: http/))![1]!;
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${url}/`);
});
afterAll(async () => {
  await browser?.close();
  if (server) {
    server.child.kill('SIGTERM');
    await server.exit;
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function zipOf(name: string): Promise<Record<string, Uint8Array>> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download a zip' }).click();
  const file = join(tmp, name);
  await (await download).saveAs(file);
  return unzipSync(new Uint8Array(await readFile(file)));
}

let inPage: Record<string, Uint8Array>;

test('served by voxpool serve, the study panel offers the Node runner beside the in-page run', async () => {
  await page.locator('input.study-folder').setInputFiles(join(tmp, 'ds-serve'));
  await expect
    .poll(async () => (await page.locator('.study-found p').textContent())?.replace(/\s+/g, ' '))
    .toMatch(/A BIDS dataset “ds-serve”: 3 inputs \(3 subjects\)/);
  await page.getByRole('button', { name: 'Run on this machine (Node, 2 workers)' }).waitFor({ timeout: 30_000 });
  expect(await page.getByRole('button', { name: 'Run on Slurm' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Run on every input' }).click();
  const status = page.locator('output.study-status[data-finished="yes"]');
  await status.waitFor({ timeout: 170_000 });
  expect(await status.getAttribute('data-done')).toBe('27');
  inPage = await zipOf('in-page.zip');
  expect(Object.keys(inPage)).toHaveLength(13);
});

test('the same study on the Node runner: the grid follows it, and the derivatives come back identical to the in-page run', async () => {
  expect(inPage).toBeDefined();
  await page.getByRole('button', { name: 'Run on this machine (Node, 2 workers)' }).click();
  // The grid shows the server's states as they come: a step running on a worker thread there.
  await page.locator('table.study-grid td[data-state="running"]').first().waitFor({ timeout: 120_000 });
  await page.waitForFunction(
    () => {
      const s = (document.querySelector('voxpool-app') as unknown as AppHandle).study.state;
      return s.remote?.executor === 'local' && !s.running && s.summary !== null;
    },
    undefined,
    { timeout: 170_000 },
  );
  const status = page.locator('output.study-status');
  expect(await status.getAttribute('data-finished')).toBe('yes');
  // The exported workflow's 27 steps and its text.write task for dataset_description.json (the
  // page writes that file itself, so its own run counts 27).
  expect(await status.getAttribute('data-done')).toBe('28');
  expect(await status.getAttribute('data-failed')).toBe('0');
  expect(await page.locator('table.study-grid tbody td').allTextContents()).toEqual(Array(15).fill('done'));

  const remote = await zipOf('served.zip');
  expect(Object.keys(remote).sort()).toEqual(Object.keys(inPage).sort());
  // Byte for byte. A .nii.gz is compared as the NIfTI it holds: the page gzips with Chromium's
  // CompressionStream and Node with its own zlib, two deflate encoders that write different
  // (equally valid) streams of the same bytes; the NIfTI inside is the same to the byte.
  for (const [name, bytes] of Object.entries(inPage)) {
    const [mine, theirs] = name.endsWith('.gz') ? [gunzipSync(remote[name]!), gunzipSync(bytes)] : [remote[name]!, bytes];
    expect(mine.byteLength, name).toBeGreaterThan(0);
    expect(Buffer.compare(Buffer.from(mine), Buffer.from(theirs)), name).toBe(0);
  }
  expect(Object.keys(remote)).toContain('derivatives/voxpool/sub-02/ses-1/anat/sub-02_ses-1_desc-smooth_T1w.nii.gz');
});

test('the results brought back open in the scene', async () => {
  await page.getByRole('button', { name: 'Open the results in the scene' }).click();
  const app = page.locator('voxpool-app');
  await app.locator('.entry label', { hasText: 'sub-01_desc-smooth_T1w.nii.gz' }).first().waitFor({ timeout: 60_000 });
  await app.locator('.entry label', { hasText: 'sub-03_desc-surface_T1w.stl' }).first().waitFor({ timeout: 60_000 });
  expect(await app.locator('[role="alert"]').count()).toBe(0);
  expect(pageErrors).toEqual([]);
});

test('on a plain static host the page asks once, gets no answer it knows, and offers nothing more', async () => {
  const other = await browser.newPage();
  const errors: string[] = [];
  other.on('pageerror', (e) => errors.push(e.message));
  const asked = other.waitForResponse((r) => r.url().endsWith('/api/capabilities'));
  await other.goto(`${staticOrigin}${APP_PATH}`);
  expect((await asked).status()).toBe(404);
  await other.getByRole('button', { name: 'Run on every input' }).waitFor();
  expect(await other.locator('voxpool-app .run-study-server').count()).toBe(0);
  expect(await other.locator('voxpool-app [role="alert"]').count()).toBe(0);
  expect(errors).toEqual([]);
  await other.close();
});
