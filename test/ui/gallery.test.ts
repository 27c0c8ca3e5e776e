import { describe, expect, it } from 'vitest';
import '../../src/ui/app.ts';
import { makeSphere } from '../../src/scene/scene.ts';
import type { Volume } from '../../src/data/volume.ts';
import { appMounter, shadow, until } from './support.ts';

const mount = appMounter();

function block(name: string, value: number): Volume {
  const n = 24;
  const data = new Int16Array(n * n * n);
  for (let i = 0; i < data.length; i++) data[i] = (i % n) * value;
  return { name, data, dimensions: [n, n, n], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], components: 1 };
}

describe('the results gallery', () => {
  it('keeps every result, in the order it came, until cleared; announces and scrolls to the newest', async () => {
    const a = await mount();
    const root = shadow(a);
    await a.addDataset('mesh', makeSphere(10, 12, 12));
    a.chooseOperation('mesh.jitter', { amplitude: '1, 2', seed: '7' });
    await a.runOperation();
    const numbersAfterFirst = [...root.querySelectorAll<HTMLElement>('.gallery-item')].map((e) => e.dataset.number);
    expect(numbersAfterFirst).toEqual(['1', '2', '3']);
    const firstCaptions = [...root.querySelectorAll('.gallery-item figcaption')].map((c) => c.textContent);
    // A second run adds to the gallery: nothing earlier is replaced or moved.
    a.chooseOperation('mesh.jitter', { amplitude: '4', seed: '7' });
    await a.runOperation();
    const items = [...root.querySelectorAll<HTMLElement>('.gallery-item')];
    expect(items.map((e) => e.dataset.number)).toEqual(['1', '2', '3', '4']);
    expect(items.slice(0, 3).map((e) => e.querySelector('figcaption')!.textContent)).toEqual(firstCaptions);
    expect(items[3]!.querySelector('figcaption')!.textContent).toBe('sphere r=10, jitter amplitude=4, seed=7');
    const live = root.querySelector('.gallery-live')!;
    expect(live.getAttribute('aria-live')).toBe('polite');
    expect(live.textContent).toContain('Result 4 added: sphere r=10, jitter amplitude=4, seed=7');
    // Scrolled to: the newest item is inside the viewport.
    const r = items[3]!.getBoundingClientRect();
    expect(r.bottom).toBeGreaterThan(0);
    expect(r.top).toBeLessThan(window.innerHeight);
    // Every one of them is still drawn.
    const { scene } = await a.loadScene();
    expect(scene.list().length).toBeGreaterThanOrEqual(4);
    root.querySelector<HTMLButtonElement>('button.clear-results')!.click();
    expect(root.querySelectorAll('.gallery-item')).toHaveLength(0);
    expect(live.textContent).toBe('Results cleared.');
  });

  it('opens a dropped volume in the viewer, and a second beside it with the crosshair linked', async () => {
    const a = await mount();
    const root = shadow(a);
    await a.addDataset('volume', block('first', 1));
    const viewer = root.querySelector<HTMLElement>('.viewer')!;
    await until(() => viewer.querySelectorAll('.volume-view').length === 1, 20_000, 'viewer open');
    expect([...viewer.querySelectorAll('.vv-cell')].map((c) => (c as HTMLElement).dataset.plane)).toEqual(['axial', 'coronal', 'sagittal', '3d']);
    await a.addDataset('volume', block('second', 3));
    const second = [...root.querySelectorAll('.gallery-item')].find((i) => i.querySelector('figcaption')!.textContent === 'second')!;
    second.querySelector<HTMLButtonElement>('button[aria-label^="Open second beside"]')!.click();
    expect(viewer.querySelectorAll('.volume-view')).toHaveLength(2);
    const views = a.gallery!.views;
    views[0]!.setCursorVoxel([5, 6, 7]);
    // Same world point, same voxel in both (same grid): values 5 * 1 and 5 * 3.
    expect(views[1]!.readout().ijk).toEqual([5, 6, 7]);
    expect(views[0]!.readout().value).toBe(5);
    expect(views[1]!.readout().value).toBe(15);
    const outputs = [...viewer.querySelectorAll<HTMLOutputElement>('.vv-readout')].map((o) => o.dataset.value);
    expect(outputs).toEqual(['5', '15']);
  });
});
