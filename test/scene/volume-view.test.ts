import { afterEach, describe, expect, it } from 'vitest';
import { CursorLink, VolumeView } from '../../src/scene/volume-view.ts';
import { greyOf } from '../../src/scene/presets.ts';
import { indexToWorld, lpsToRas } from '../../src/scene/orientation.ts';
import type { PlaneView } from '../../src/scene/plane-view.ts';
import type { Vec3, Volume } from '../../src/data/volume.ts';
import { makeSphere } from '../../src/scene/scene.ts';

const views: VolumeView[] = [];
let host: HTMLElement | null = null;

afterEach(() => {
  for (const v of views.splice(0)) v.dispose();
  host?.remove();
  host = null;
});

function mount(volume: Volume, link?: CursorLink): VolumeView {
  host ??= Object.assign(document.createElement('div'), { style: 'width: 640px' });
  document.body.append(host);
  const view = new VolumeView(host, volume, link);
  views.push(view);
  return view;
}

const deg = Math.PI / 180;

/** 40^3 int16, value = 1000 inside a small cube near the high-i end (the marker), else `fill`. */
function marked(direction: number[], fill = 0): Volume {
  const n = 40;
  const data = new Int16Array(n * n * n).fill(fill);
  for (let k = 0; k < n; k++) for (let j = 14; j < 26; j++) for (let i = 30; i < 37; i++) data[i + n * (j + n * k)] = 1000;
  return { name: 'marked', data, dimensions: [n, n, n], spacing: [1, 1, 1], origin: [10, -20, 30], direction, components: 1 };
}

/** Each voxel's value names it: i + 100 j + 10000 k. */
function counting(): Volume {
  const dimensions: Vec3 = [20, 16, 12];
  const data = new Int32Array(20 * 16 * 12);
  for (let k = 0; k < 12; k++) for (let j = 0; j < 16; j++) for (let i = 0; i < 20; i++) data[i + 20 * (j + 16 * k)] = i + 100 * j + 10000 * k;
  const c = Math.cos(20 * deg);
  const s = Math.sin(20 * deg);
  return { name: 'counting', data, dimensions, spacing: [0.8, 1.2, 2.5], origin: [-5, 7, 11], direction: [c, s, 0, -s, c, 0, 0, 0, 1], components: 1 };
}

/** The RGBA of the plane view's canvas at CSS pixel (x, y), as the page shows it. */
function pixel(p: PlaneView, x: number, y: number): number[] {
  p.view.renderNow();
  const s = p.view.scale;
  const ctx = p.view.canvas.getContext('2d')!;
  return [...ctx.getImageData(Math.round(x * s), Math.round(y * s), 1, 1).data];
}

/** How many bright (marker) pixels lie in each half of the view. */
function brightHalves(p: PlaneView): { left: number; right: number; top: number; bottom: number } {
  p.view.renderNow();
  const { width, height } = p.view.canvas;
  const data = p.view.canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
  const out = { left: 0, right: 0, top: 0, bottom: 0 };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = 4 * (x + width * y);
      // Grey over 200 and not the yellow crosshair (blue channel as high as red).
      if (data[o]! > 200 && data[o + 2]! > 200) {
        if (x < width / 2) out.left++;
        else out.right++;
        if (y < height / 2) out.top++;
        else out.bottom++;
      }
    }
  return out;
}

function labels(p: PlaneView): Record<string, string> {
  return Object.fromEntries([...p.element.querySelectorAll<HTMLElement>('.orient')].map((e) => [e.dataset.edge!, e.textContent!]));
}

describe('the volume view', () => {
  it('reads the voxel value under the crosshair, with its position in mm (LPS and RAS), on an oblique volume', () => {
    const volume = counting();
    const view = mount(volume);
    view.setCursorVoxel([7, 11, 5]);
    const r = view.readout();
    expect(r.ijk).toEqual([7, 11, 5]);
    expect(r.value).toBe(7 + 1100 + 50000);
    // By hand: origin + i*sx*dir_i + j*sy*dir_j + k*sz*dir_k.
    const c = Math.cos(20 * deg);
    const s = Math.sin(20 * deg);
    const expected: Vec3 = [-5 + 7 * 0.8 * c - 11 * 1.2 * s, 7 + 7 * 0.8 * s + 11 * 1.2 * c, 11 + 5 * 2.5];
    for (let a = 0; a < 3; a++) expect(r.lps[a]).toBeCloseTo(expected[a]!, 9);
    expect(r.ras).toEqual([-r.lps[0], -r.lps[1], r.lps[2]]);
    const out = view.element.querySelector('output')!;
    expect(out.dataset.value).toBe(String(7 + 1100 + 50000));
    expect(out.textContent).toContain(`LPS (${expected.map((v) => v.toFixed(1)).join(', ')}) mm`);
    expect(out.textContent).toContain(
      `RAS (${lpsToRas(expected)
        .map((v) => v.toFixed(1))
        .join(', ')}) mm`,
    );
    // Each plane shows the slice through the cursor.
    const [axial, coronal, sagittal] = view.planes;
    expect(axial!.sliceIndex).toBe(5);
    expect(coronal!.sliceIndex).toBe(11);
    expect(sagittal!.sliceIndex).toBe(7);
  });

  it('puts the cursor on the voxel clicked', async () => {
    const volume = counting();
    const view = mount(volume);
    await new Promise((r) => requestAnimationFrame(r));
    const axial = view.planes[0]!;
    const target = indexToWorld(volume, [15, 4, axial.sliceIndex]);
    const [x, y] = axial.toScreen(target);
    const rect = axial.view.canvas.getBoundingClientRect();
    const at = { clientX: rect.left + x, clientY: rect.top + y, pointerId: 1, bubbles: true };
    axial.view.canvas.dispatchEvent(new PointerEvent('pointerdown', at));
    axial.view.canvas.dispatchEvent(new PointerEvent('pointerup', at));
    expect(view.readout().ijk).toEqual([15, 4, axial.sliceIndex]);
  });

  it('shows the grey a window/level gives: by preset-free values, by dragging, by presets', () => {
    // A flat volume of 100 (marker aside): the view's centre shows 100's grey.
    const volume = marked([1, 0, 0, 0, 1, 0, 0, 0, 1], 100);
    const view = mount(volume);
    const axial = view.planes[0]!;
    const centre = (): number => {
      const r = axial.view.canvas.getBoundingClientRect();
      const [red] = pixel(axial, r.width * 0.3, r.height * 0.3);
      return red!;
    };
    for (const wl of [
      { window: 200, level: 100 },
      { window: 100, level: 50 },
      { window: 400, level: 200 },
      { window: 50, level: 120 },
    ]) {
      view.setWindowLevel(wl);
      expect(Math.abs(centre() - greyOf(100, wl)), JSON.stringify(wl)).toBeLessThanOrEqual(2);
    }
    // CT soft tissue (W 400 L 40): 100 HU is at (100 - (40 - 200)) / 400 of the scale.
    view.applyWindowPreset('ct-soft');
    expect(view.windowLevel).toEqual({ window: 400, level: 40 });
    expect(Math.abs(centre() - greyOf(100, { window: 400, level: 40 }))).toBeLessThanOrEqual(2);
    view.applyWindowPreset('ct-bone');
    expect(view.windowLevel).toEqual({ window: 1800, level: 400 });
    // Dragging right widens the window; dragging up raises the level.
    const before = view.windowLevel;
    const c = axial.view.canvas;
    const rect = c.getBoundingClientRect();
    const p = (dx: number, dy: number): PointerEventInit => ({ clientX: rect.left + 50 + dx, clientY: rect.top + 50 + dy, pointerId: 1, bubbles: true });
    c.dispatchEvent(new PointerEvent('pointerdown', p(0, 0)));
    c.dispatchEvent(new PointerEvent('pointermove', p(40, -20)));
    c.dispatchEvent(new PointerEvent('pointerup', p(40, -20)));
    expect(view.windowLevel.window).toBeGreaterThan(before.window);
    expect(view.windowLevel.level).toBeGreaterThan(before.level);
    expect(Math.abs(centre() - greyOf(100, view.windowLevel))).toBeLessThanOrEqual(2);
  });

  it('labels the edges from the direction matrix, right for oblique and flipped volumes', () => {
    // Rotated 30 degrees about z: the axial view still has patient left on the right.
    const c = Math.cos(30 * deg);
    const s = Math.sin(30 * deg);
    const rotated = mount(marked([c, s, 0, -s, c, 0, 0, 0, 1]));
    const [axial, coronal, sagittal] = rotated.planes;
    expect(labels(axial!)).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    expect(labels(coronal!)).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    expect(labels(sagittal!)).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    // The marker (high i: toward patient left) shows on the side labelled L.
    const h = brightHalves(axial!);
    expect(h.right).toBeGreaterThan(200);
    expect(h.left).toBe(0);

    // i toward patient right, rotated: the marker lies at the patient's right, shown on the left under 'R'.
    const flipped = mount(marked([-c, -s, 0, -s, c, 0, 0, 0, 1]));
    const fa = flipped.planes[0]!;
    expect(labels(fa)).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    const fh = brightHalves(fa);
    expect(fh.left).toBeGreaterThan(200);
    expect(fh.right).toBe(0);

    // Acquired sagittally (slices along x, i running anterior to posterior, j head to foot):
    // the axial plane is the one j indexes, and its labels are still the axial ones.
    const sagittally = mount(marked([0, 1, 0, 0, 0, -1, 1, 0, 0]));
    const [sa, , ss] = sagittally.planes;
    expect(sa!.axes.normal).toBe(1);
    expect(labels(sa!)).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    expect(ss!.axes.normal).toBe(2);
    expect(labels(ss!)).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    // Its marker (high i: posterior) is at the bottom of the axial view, under P.
    const sh = brightHalves(sa!);
    expect(sh.bottom).toBeGreaterThan(200);
    expect(sh.top).toBe(0);
  });

  it('moves the slice by wheel and keys, zooms with + and -, and links two views by one cursor', () => {
    const link = new CursorLink();
    const a = mount(counting(), link);
    const b = mount({ ...counting(), name: 'second' }, link);
    const axial = a.planes[0]!;
    const start = axial.sliceIndex;
    const viewport = axial.element.querySelector<HTMLElement>('.viewport')!;
    viewport.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    expect(axial.sliceIndex).toBe(start + 1);
    axial.view.canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: 100, bubbles: true, cancelable: true }));
    axial.view.canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: 100, bubbles: true, cancelable: true }));
    expect(axial.sliceIndex).toBe(start - 1);
    // The other view follows the same world point.
    expect(b.planes[0]!.sliceIndex).toBe(start - 1);
    expect(b.readout().lps).toEqual(a.readout().lps);
    const edge = indexToWorld(a.volume, [19, 15, 0]);
    const before = axial.toScreen(edge);
    viewport.dispatchEvent(new KeyboardEvent('keydown', { key: '+', bubbles: true }));
    const after = axial.toScreen(edge);
    const rect = axial.view.canvas.getBoundingClientRect();
    expect(Math.hypot(after[0] - rect.width / 2, after[1] - rect.height / 2)).toBeGreaterThan(
      Math.hypot(before[0] - rect.width / 2, before[1] - rect.height / 2) * 1.2,
    );
  });

  it('colours a label map over its source, and shades a mesh over the slices in 3D', async () => {
    const volume = marked([1, 0, 0, 0, 1, 0, 0, 0, 1], 100);
    const view = mount(volume);
    view.applyWindowPreset('full');
    const labelsVol: Volume = { ...volume, name: 'labels', data: new Uint8Array(volume.data.length) };
    for (let i = 0; i < volume.data.length; i++) labelsVol.data[i] = volume.data[i] === 1000 ? 1 : 0;
    view.setLabels(labelsVol);
    const axial = view.planes[0]!;
    const marker = axial.toScreen(indexToWorld(volume, [33, 20, axial.sliceIndex]));
    const [r, g, b] = pixel(axial, ...marker);
    // Label 1 is red over the (white) marker: red stays high, green and blue drop.
    expect(r!).toBeGreaterThan(200);
    expect(g!).toBeLessThan(200);
    expect(b!).toBeLessThan(200);
    expect(() => view.setLabels({ ...labelsVol, dimensions: [10, 10, 10] })).toThrow(/not on the grid/);

    const sphere = makeSphere(6, 24, 24);
    const centre = indexToWorld(volume, [20, 20, 20]);
    for (let i = 0; i < sphere.points.length; i += 3) for (let c = 0; c < 3; c++) sphere.points[i + c]! += centre[c]!;
    view.addMesh(sphere);
    view.three.renderNow();
    const { width, height } = view.three.canvas;
    const data = view.three.canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
    let orange = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > data[i + 2]! + 40 && data[i + 1]! > data[i + 2]! + 10) orange++;
    expect(orange).toBeGreaterThan(300);
  });

  it('renders the volume in 3D with presets, and the opacity control changes it', () => {
    const view = mount(marked([1, 0, 0, 0, 1, 0, 0, 0, 1]));
    const lit = (): number => {
      view.three.renderNow();
      const { width, height } = view.three.canvas;
      const data = view.three.canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += data[i]! + data[i + 1]! + data[i + 2]!;
      return sum;
    };
    view.setRenderPreset('mip-like');
    const full = lit();
    view.setOpacity(0.2);
    const faint = lit();
    expect(faint).toBeLessThan(full * 0.9);
    view.setOpacity(0);
    const none = lit();
    expect(none).toBeLessThan(faint);
  });

  it('opens CT with the soft tissue window and MR (negative minimum and all) with the Brain MR one', () => {
    const ct = marked([1, 0, 0, 0, 1, 0, 0, 0, 1], -1000);
    ct.data[0] = -1024;
    expect(mount(ct).windowLevel).toEqual({ window: 400, level: 40 });
    const mr = marked([1, 0, 0, 0, 1, 0, 0, 0, 1], 200);
    mr.data[0] = -600;
    const view = mount(mr);
    const select = view.element.querySelector<HTMLSelectElement>('select[aria-label="Window preset"]')!;
    expect(select.value).toBe('brain-mr');
    expect(view.windowLevel.level).toBeGreaterThan(100);
  });

  it('saves its four views as one PNG', async () => {
    const view = mount(marked([1, 0, 0, 0, 1, 0, 0, 0, 1]));
    view.setRenderPreset('slices');
    const blob = await view.snapshot();
    expect(blob.type).toBe('image/png');
    const bitmap = await createImageBitmap(blob);
    expect(bitmap.width).toBe(2 * view.three.canvas.width);
    expect(bitmap.height).toBe(2 * view.three.canvas.height);
  });
});
