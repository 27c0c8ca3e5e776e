/** Helpers for the UI tests: mount the app, wait for a condition in real time, read a shadow root. */
import { afterEach } from 'vitest';
import type { VoxpoolApp } from '../../src/ui/app.ts';

/**
 * A `mount()` for a test file: each call puts a fresh <voxpool-app> in the document, and every
 * one mounted is removed after each test (which terminates the pool it made for itself).
 */
export function appMounter(): () => Promise<VoxpoolApp> {
  const mounted: VoxpoolApp[] = [];
  afterEach(() => {
    for (const app of mounted.splice(0)) app.remove();
  });
  return async () => {
    const app = document.createElement('voxpool-app');
    document.body.append(app);
    mounted.push(app);
    await app.updateComplete;
    return app;
  };
}

export async function until<T>(check: () => T | undefined | null | false, timeout = 20_000, what = 'condition'): Promise<T> {
  const end = performance.now() + timeout;
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function shadow(el: Element): ShadowRoot {
  if (!el.shadowRoot) throw new Error(`${el.localName} has no shadow root`);
  return el.shadowRoot;
}

/** The RGBA bytes of a PNG data URL, decoded by the browser. */
async function rgbaOf(dataUrl: string): Promise<Uint8ClampedArray> {
  const bitmap = await createImageBitmap(await (await fetch(dataUrl)).blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
}

/** Pixels of a PNG data URL that differ from the scene's background colour. */
export async function nonBackgroundPixels(dataUrl: string): Promise<number> {
  const data = await rgbaOf(dataUrl);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i]! - 20) + Math.abs(data[i + 1]! - 23) + Math.abs(data[i + 2]! - 28) > 24) n++;
  }
  return n;
}

/** Pixels of a PNG data URL whose every channel is above `level` (bright image content). */
export async function brightPixels(dataUrl: string, level = 80): Promise<number> {
  const data = await rgbaOf(dataUrl);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i]! > level && data[i + 1]! > level && data[i + 2]! > level) n++;
  return n;
}
