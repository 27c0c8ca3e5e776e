import { afterEach, describe, expect, it } from 'vitest';
import { Scene, makeSphere } from '../../src/scene/scene.ts';
import type { Volume } from '../../src/data/volume.ts';
import { nonBackgroundPixels } from '../ui/support.ts';

let scene: Scene | null = null;
let host: HTMLElement | null = null;

afterEach(() => {
  scene?.dispose();
  host?.remove();
  scene = host = null;
});

function setup(size = 120): { scene: Scene; host: HTMLElement } {
  host = document.createElement('div');
  host.style.cssText = `display:grid;grid-template-columns:repeat(8,${size}px);gap:2px`;
  document.body.append(host);
  const style = document.createElement('style');
  style.textContent = `.viewport{width:${size}px;height:${size}px;position:relative}`;
  host.append(style);
  scene = new Scene();
  return { scene, host };
}

function cube(n: number, value: number): Volume {
  const data = new Int16Array(n * n * n);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if (Math.abs(i - n / 2) < n / 4 && Math.abs(j - n / 2) < n / 4) data[i + n * (j + n * k)] = value;
  return { name: 'cube', data, dimensions: [n, n, n], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], components: 1 };
}

/** Every canvas element's own pixels (what the page shows), not a fresh render. */
async function shownPixels(canvas: HTMLCanvasElement): Promise<number> {
  return nonBackgroundPixels(canvas.toDataURL('image/png'));
}

describe('one WebGL context for every view', () => {
  it('keeps 40 views drawn at once (Chromium keeps only 16 contexts), each from the same context', async () => {
    const { scene, host } = setup();
    const lost: Event[] = [];
    const sphere = makeSphere(10, 16, 16);
    for (let i = 0; i < 20; i++) scene.meshPanel(host, `mesh ${i}`, sphere);
    for (let i = 0; i < 20; i++) scene.slicePanel(host, `slice ${i}`, cube(24, 100 + i));
    expect(scene.list()).toHaveLength(40);
    const canvases = [...host.querySelectorAll('canvas')];
    expect(canvases).toHaveLength(40);
    for (const c of canvases) c.addEventListener('webglcontextlost', (e) => lost.push(e));
    // No view holds a WebGL context of its own: each canvas is a 2D one.
    for (const c of canvases) expect(c.getContext('webgl2')).toBeNull();
    // Wait for the frame that draws the views the panels asked for.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (const [i, c] of canvases.entries()) expect(await shownPixels(c), `view ${i}`).toBeGreaterThan(1000);
    expect(lost).toHaveLength(0);
  });

  it('draws a view in a few milliseconds (render plus copy), measured over 40 views', async () => {
    const { scene, host } = setup(220);
    for (let i = 0; i < 40; i++) scene.slicePanel(host, `slice ${i}`, cube(32, 100 + i));
    const { acquireCompositor, releaseCompositor } = await import('../../src/scene/compositor.ts');
    const compositor = acquireCompositor();
    try {
      const before = { ...compositor.stats };
      for (const p of scene.list()) await p.capture();
      const frames = compositor.stats.frames - before.frames;
      const ms = (compositor.stats.milliseconds - before.milliseconds) / frames;
      console.info(`compositor: ${frames} views drawn, ${ms.toFixed(2)} ms each (220 x 220 CSS px)`);
      expect(frames).toBe(40);
      // Generous for a loaded 2-core machine running SwiftShader; typically a few ms.
      expect(ms).toBeLessThan(100);
    } finally {
      releaseCompositor();
    }
  });
});
