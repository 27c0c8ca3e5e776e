import { afterEach, describe, expect, it } from 'vitest';
import { Scene, makeSphere } from '../../src/scene/scene.ts';
import type { Volume } from '../../src/data/volume.ts';
import { brightPixels, nonBackgroundPixels } from './support.ts';

let scene: Scene | null = null;
let host: HTMLElement | null = null;

afterEach(() => {
  scene?.dispose();
  host?.remove();
  scene = host = null;
});

function setup(): { scene: Scene; host: HTMLElement } {
  host = document.createElement('div');
  host.style.cssText = 'display:grid;grid-template-columns:repeat(3,200px);gap:4px';
  document.body.append(host);
  // The app's panel layout, minimally: a square viewport per panel.
  const style = document.createElement('style');
  style.textContent = '.viewport{width:200px;height:200px;position:relative}';
  host.append(style);
  scene = new Scene();
  return { scene, host };
}

/** A ball of value 1000 in a 48 x 40 x 32 int16 volume of 0, anisotropic spacing. */
function ball(): Volume {
  const dimensions: [number, number, number] = [48, 40, 32];
  const data = new Int16Array(48 * 40 * 32);
  for (let k = 0; k < 32; k++)
    for (let j = 0; j < 40; j++)
      for (let i = 0; i < 48; i++) {
        const r = Math.hypot((i - 24) * 1, (j - 20) * 1, (k - 16) * 1.5);
        data[i + 48 * (j + 40 * k)] = r < 14 ? 1000 - 40 * r : 0;
      }
  return { name: 'ball', data, dimensions, spacing: [1, 1, 1.5], origin: [-24, -20, -24], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], components: 1 };
}

describe('the scene', () => {
  it('draws volume slices and a volume rendering, and links the slices', async () => {
    const { scene, host } = setup();
    const volume = ball();
    const a = scene.slicePanel(host, 'a', volume);
    const b = scene.slicePanel(host, 'b', { ...volume, name: 'b' });
    const vr = scene.volumePanel(host, 'rendering', volume);
    expect(a.slice).toEqual({ axis: 2, index: 16 });
    expect(await nonBackgroundPixels(await a.capture())).toBeGreaterThan(2000);
    expect(await nonBackgroundPixels(await vr.capture())).toBeGreaterThan(2000);
    scene.setSlice({ axis: 0, fraction: 1 });
    expect(a.slice).toEqual({ axis: 0, index: 47 });
    expect(b.slice).toEqual({ axis: 0, index: 47 });
    // The last sagittal slice lies outside the ball: nothing but the (black) zero level.
    expect(await brightPixels(await b.capture())).toBe(0);
    scene.setSlice({ axis: 0, fraction: 0.5 });
    expect(await brightPixels(await b.capture())).toBeGreaterThan(1000);
    expect(host.querySelectorAll('figure figcaption')[2]!.textContent).toBe('rendering');
  });

  it('updates a mesh in place: the same points array, new coordinates, new bounds', async () => {
    const { scene, host } = setup();
    const sphere = makeSphere(10, 50, 50);
    expect(sphere.points).toBeInstanceOf(Float32Array);
    expect(sphere.points.length / 3).toBe(2402);
    const panel = scene.meshPanel(host, 'sphere', sphere);
    const array = panel.points();
    expect(panel.bounds()[1]).toBeCloseTo(10, 1);
    const moved = sphere.points.map((v) => v + 5);
    panel.update(moved);
    expect(panel.points()).toBe(array);
    expect(panel.bounds()[1]).toBeCloseTo(15, 1);
    expect(await nonBackgroundPixels(await panel.capture())).toBeGreaterThan(2000);
    expect(() => panel.update(new Float32Array(3))).toThrow(RangeError);
  });

  it('keeps the whole mesh between the near and far planes, before and after an update', () => {
    const { scene, host } = setup();
    const sphere = makeSphere(80, 24, 24);
    const panel = scene.meshPanel(host, 'big sphere', sphere);
    const camera = (
      panel as unknown as { view: { renderer: { getActiveCamera(): { getPosition(): number[]; getClippingRange(): number[] } } } }
    ).view.renderer.getActiveCamera();
    const covers = (): void => {
      const [x0, x1, y0, y1, z0, z1] = panel.bounds() as [number, number, number, number, number, number];
      const eye = camera.getPosition() as [number, number, number];
      const [near, far] = camera.getClippingRange() as [number, number];
      for (const x of [x0, x1])
        for (const y of [y0, y1])
          for (const z of [z0, z1]) {
            const d = Math.hypot(x - eye[0], y - eye[1], z - eye[2]);
            // Every corner of the bounds is in front of the far plane (the near side is clamped at 0).
            expect(d).toBeLessThanOrEqual(far * 1.0001);
            expect(near).toBeGreaterThan(0);
          }
    };
    covers();
    panel.update(sphere.points.map((v) => v * 1.3));
    covers();
  });

  it('keeps every panel it is given (one WebGL context serves them all), until cleared', async () => {
    const { scene, host } = setup();
    const sphere = makeSphere(1, 8, 8);
    for (let i = 0; i < 20; i++) scene.meshPanel(host, `m${i}`, sphere);
    expect(scene.list()).toHaveLength(20);
    expect(host.querySelectorAll('figure')).toHaveLength(20);
    expect(host.querySelector('figcaption')!.textContent).toBe('m0');
    // The first panel is still drawn after nineteen more.
    expect(await nonBackgroundPixels(await scene.list()[0]!.capture())).toBeGreaterThan(1000);
    scene.clear(host);
    expect(host.querySelectorAll('figure')).toHaveLength(0);
  });
});
