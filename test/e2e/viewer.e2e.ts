/**
 * The viewer on the built page: 40 views at once, each drawn (one WebGL context serves them all);
 * window/level, the cursor readout and the orientation labels, on volumes made in the test.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser.ts';
import { APP_PATH } from './paths.ts';

const origin = inject('origin');
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** A volume description the page turns into a Volume (typed arrays don't cross evaluate). */
interface Spec {
  name: string;
  dims: [number, number, number];
  origin: [number, number, number];
  direction: number[];
  /** What the voxels hold: 100 (with one 0 and one 1000, for a range), i + 100 j + 10000 k, or a bright block at high i. */
  value: 'flat' | 'counting' | 'marker';
}

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${origin}${APP_PATH}`);
  await page.getByRole('button', { name: 'Run mesh demo' }).waitFor();
  await page.locator('.viewer-state.ready').waitFor({ timeout: 60_000 });
});
afterAll(async () => {
  await browser?.close();
});

/** Adds a volume the test made; it opens alone in the viewer (whatever an earlier test left is cleared first). */
async function addVolume(spec: Spec): Promise<void> {
  await page.evaluate(async ({ name, dims, origin, direction, value }) => {
    (document.querySelector('voxpool-app') as HTMLElement & { gallery: { clear(): void } | null }).gallery?.clear();
    // The test's own volume, as a host page would hand one to the app.
    const f = (i: number, j: number, k: number): number => {
      if (value === 'counting') return i + 100 * j + 10000 * k;
      if (value === 'marker') return i >= 30 && i < 37 && j >= 14 && j < 26 ? 1000 : 0;
      return i + j + k === 0 ? 0 : i === 1 && j + k === 0 ? 1000 : 100;
    };
    const data = new Int32Array(dims[0] * dims[1] * dims[2]);
    for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) data[i + dims[0] * (j + dims[1] * k)] = f(i, j, k);
    const app = document.querySelector('voxpool-app') as HTMLElement & { addDataset(kind: string, v: unknown): Promise<void> };
    await app.addDataset('volume', { name, data, dimensions: dims, spacing: [1, 1, 1], origin, direction, components: 1 });
  }, spec);
}

/** Waits two frames, so what the views asked to draw is drawn. */
function frames(): Promise<void> {
  return page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** Red channel of the axial view of the open volume `n` (0-based) at a fraction of its size. */
async function axialRed(n: number, fx: number, fy: number): Promise<number> {
  await frames();
  return page.evaluate(
    ({ n, fx, fy }) => {
      const root = document.querySelector('voxpool-app')!.shadowRoot!;
      const canvas = root.querySelectorAll<HTMLCanvasElement>('.viewer .volume-view .vv-cell[data-plane="axial"] canvas')[n]!;
      const px = canvas.getContext('2d')!.getImageData(Math.floor(canvas.width * fx), Math.floor(canvas.height * fy), 1, 1).data;
      return px[0]!;
    },
    { n, fx, fy },
  );
}

test('40 views open at once, every one with rendered pixels', async () => {
  const counts = await page.evaluate(async () => {
    const app = document.querySelector('voxpool-app') as HTMLElement & { addDataset(kind: string, v: unknown): Promise<void> };
    const sphere = (r: number, n: number): { name: string; points: Float32Array; polys: Uint32Array } => {
      const points: number[] = [];
      for (let a = 0; a <= n; a++)
        for (let b = 0; b < n; b++) {
          const t = (Math.PI * a) / n;
          const p = (2 * Math.PI * b) / n;
          points.push(r * Math.sin(t) * Math.cos(p), r * Math.sin(t) * Math.sin(p), r * Math.cos(t));
        }
      const polys: number[] = [];
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          const i0 = a * n + b;
          const i1 = a * n + ((b + 1) % n);
          polys.push(3, i0, i0 + n, i1, 3, i1, i0 + n, i1 + n);
        }
      return { name: `sphere ${r}`, points: Float32Array.from(points), polys: Uint32Array.from(polys) };
    };
    for (let i = 0; i < 40; i++) {
      if (i % 2) await app.addDataset('mesh', { ...sphere(5 + i, 16), name: `sphere ${i}` });
      else {
        const n = 20;
        const data = new Int16Array(n * n * n);
        for (let v = 0; v < data.length; v++) data[v] = ((v % n) + i) * 10;
        await app.addDataset('volume', {
          name: `ramp ${i}`,
          data,
          dimensions: [n, n, n],
          spacing: [1, 1, 1],
          origin: [0, 0, 0],
          direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
          components: 1,
        });
      }
    }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const root = app.shadowRoot!;
    // Each view's own canvas, read back: pixels that differ from the background (20, 23, 28).
    return [...root.querySelectorAll<HTMLCanvasElement>('.gallery-item canvas')].map((c) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - 20) + Math.abs(d[i + 1]! - 23) + Math.abs(d[i + 2]! - 28) > 24) n++;
      return n;
    });
  });
  expect(counts).toHaveLength(40);
  for (const [i, n] of counts.entries()) expect(n, `view ${i + 1}`).toBeGreaterThan(500);
  // The first volume opened in the viewer: four more views, also drawn.
  expect(await page.locator('.viewer .volume-view canvas').count()).toBe(4);
  expect(await axialRed(0, 0.75, 0.5)).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Clear results' }).click();
  expect(await page.locator('.gallery-item').count()).toBe(0);
});

test('window/level changes the displayed grey values as expected', async () => {
  // 100 nearly everywhere: the grey shown is (100 - (L - W/2)) / W of the scale, clamped.
  await addVolume({ name: 'flat 100', dims: [24, 24, 24], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], value: 'flat' });
  await page.locator('.viewer .volume-view').waitFor();
  const view = page.locator('.viewer .volume-view').first();
  const grey = (w: number, l: number): number => Math.round(255 * Math.min(1, Math.max(0, (100 - (l - w / 2)) / w)));
  for (const [w, l] of [
    [200, 100],
    [400, 200],
    [100, 20],
    [1000, 600],
  ] as const) {
    await view.getByLabel('W', { exact: true }).fill(String(w));
    await view.getByLabel('W', { exact: true }).press('Tab');
    await view.getByLabel('L', { exact: true }).fill(String(l));
    await view.getByLabel('L', { exact: true }).press('Tab');
    expect(Math.abs((await axialRed(0, 0.5, 0.5)) - grey(w, l)), `W ${w} L ${l}`).toBeLessThanOrEqual(2);
  }
  await view.getByLabel('Window preset', { exact: true }).selectOption({ label: 'CT soft tissue (W 400 L 40)' });
  expect(Math.abs((await axialRed(0, 0.5, 0.5)) - grey(400, 40))).toBeLessThanOrEqual(2);
  expect(await view.getByLabel('W', { exact: true }).inputValue()).toBe('400');
  // Dragging right on a slice widens the window: 100 (above the level of 40) turns darker.
  const before = await axialRed(0, 0.5, 0.5);
  const box = (await view.locator('.vv-cell[data-plane="axial"] canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
  const w = Number(await view.getByLabel('W', { exact: true }).inputValue());
  expect(w).toBeGreaterThan(400);
  const after = await axialRed(0, 0.5, 0.5);
  expect(Math.abs(after - grey(w, Number(await view.getByLabel('L', { exact: true }).inputValue())))).toBeLessThanOrEqual(2);
  expect(after).toBeLessThan(before);
  await page.getByRole('button', { name: 'Clear results' }).click();
});

test('the cursor readout equals the voxel value at a known point, with LPS and RAS in mm', async () => {
  // 21 x 17 x 13 voxels of 1 mm, each valued i + 100 j + 10000 k, origin (-10, 20, 5).
  await addVolume({ name: 'counting', dims: [21, 17, 13], origin: [-10, 20, 5], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], value: 'counting' });
  const view = page.locator('.viewer .volume-view').first();
  await view.waitFor();
  const readout = view.locator('output.vv-readout');
  // The crosshair starts on the middle voxel (10, 8, 6).
  expect(await readout.getAttribute('data-value')).toBe(String(10 + 800 + 60000));
  // Axial view: the slice is 21 x 17 mm, fitted (with 0.5 mm of voxel and 4% margin) to the height.
  const canvas = view.locator('.vv-cell[data-plane="axial"] canvas');
  const box = (await canvas.boundingBox())!;
  const perMm = box.height / 2 / ((10 + 0.5) * 1.04);
  // 5 mm to the screen's right (patient left, +i) and 3 mm up (anterior, -j): voxel (15, 5, 6).
  await canvas.click({ position: { x: box.width / 2 + 5 * perMm, y: box.height / 2 - 3 * perMm } });
  expect(await readout.getAttribute('data-ijk')).toBe('15,5,6');
  expect(await readout.getAttribute('data-value')).toBe(String(15 + 500 + 60000));
  const text = await readout.textContent();
  expect(text).toContain(`value ${15 + 500 + 60000} at voxel (15, 5, 6)`);
  expect(text).toContain('LPS (5.0, 25.0, 11.0) mm');
  expect(text).toContain('RAS (-5.0, -25.0, 11.0) mm');
  // The keyboard moves the slice: two steps up on the axial view, k 6 to 8.
  await canvas.locator('..').focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  expect(await readout.getAttribute('data-value')).toBe(String(15 + 500 + 80000));
  await page.getByRole('button', { name: 'Clear results' }).click();
});

test('orientation labels are right for an oblique volume, and match where the anatomy shows', async () => {
  // Rotated 30 degrees about z with i running toward the patient's right; the marker (high i)
  // lies at the patient's right, which radiological axial views show on the left.
  const c = Math.cos(Math.PI / 6);
  const s = Math.sin(Math.PI / 6);
  await addVolume({ name: 'oblique', dims: [40, 40, 40], origin: [0, 0, 0], direction: [-c, -s, 0, -s, c, 0, 0, 0, 1], value: 'marker' });
  const view = page.locator('.viewer .volume-view').first();
  await view.waitFor();
  const labels = async (plane: string): Promise<Record<string, string>> =>
    Object.fromEntries(
      await Promise.all(
        ['left', 'right', 'top', 'bottom'].map(async (e) => [
          e,
          (await view.locator(`.vv-cell[data-plane="${plane}"] .orient[data-edge="${e}"]`).textContent())!,
        ]),
      ),
    );
  expect(await labels('axial')).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  expect(await labels('coronal')).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
  expect(await labels('sagittal')).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
  await frames();
  const halves = await page.evaluate(() => {
    const canvas = document.querySelector('voxpool-app')!.shadowRoot!.querySelector<HTMLCanvasElement>('.viewer .vv-cell[data-plane="axial"] canvas')!;
    const { width, height } = canvas;
    const d = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
    let left = 0;
    let right = 0;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        if (d[4 * (x + width * y)]! <= 200 || d[4 * (x + width * y) + 2]! <= 200) continue;
        if (x < width / 2) left++;
        else right++;
      }
    return { left, right };
  });
  expect(halves.left).toBeGreaterThan(200);
  expect(halves.right).toBe(0);
});

test('no page errors', () => {
  expect(pageErrors).toEqual([]);
});
