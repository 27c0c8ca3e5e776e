import { afterEach, describe, expect, it } from 'vitest';
import { createPool, splitVolume, type BuiltinOps, type Pool, type SplitInfo } from '../../src/index.ts';
import type { Vec3, Volume } from '../../src/data/volume.ts';
import { noisyVolume } from './support.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

/** A volume with a few isolated spikes on top of the noise, so the median has something to remove. */
function spiky(dims: Vec3, seed: number): Volume {
  const v = noisyVolume(dims, 'int16', seed);
  const [nx, ny, nz] = dims;
  for (let s = 0; s < 12; s++) v.data[((s * 7) % nx) + nx * (((s * 5) % ny) + ny * ((s * 3) % nz))] = 30000;
  return v;
}

/** A binary-ish volume (two grey levels) with blobs, the usual input of morphology. */
function blobs(dims: Vec3, seed: number): Volume {
  const v = noisyVolume(dims, 'uint8', seed);
  for (let i = 0; i < v.data.length; i++) v.data[i] = v.data[i]! > 150 ? 255 : v.data[i]! > 60 ? (i % 13 === 0 ? 255 : 0) : 0;
  return v;
}

describe('splitVolume: volume.median', () => {
  it('equals the unsplit median voxel for voxel, 3x3x3 and wider along k, many slab counts incl. one-slice slabs', async () => {
    pool = createPool({ size: 2 });
    const volume = spiky([21, 18, 23], 4);
    for (const kernelSize of [undefined, [3, 3, 5], [5, 3, 1], [1, 1, 7]] as (Vec3 | undefined)[]) {
      const whole = await pool.run('volume.median', { volume, kernelSize }, { input: 'copy' });
      for (const slabs of [undefined, 2, 3, 5, 23]) {
        let info: SplitInfo | null = null;
        const split = await splitVolume(pool, 'volume.median', { volume, kernelSize }, { slabs, onPlan: (i) => (info = i) });
        expect(info!.halo).toBe((kernelSize?.[2] ?? 3) >> 1);
        expect(split, `kernel ${kernelSize?.join('x') ?? 'default'}, ${slabs ?? 'default'} slabs`).toEqual(whole);
      }
    }
    // The 3x3x3 median removes the spikes, split or not.
    const cleaned = await splitVolume(pool, 'volume.median', { volume }, { slabs: 4 });
    expect(Math.max(...cleaned.data)).toBeLessThan(30000);
  });

  it('a halo one slice short of the kernel gives a different answer', async () => {
    pool = createPool({ size: 2 });
    const volume = spiky([15, 14, 20], 8);
    const whole = await pool.run('volume.median', { volume, kernelSize: [3, 3, 5] }, { input: 'copy' });
    const short = await splitVolume(pool, 'volume.median', { volume, kernelSize: [3, 3, 5] }, { slabs: 4, reach: 1 });
    expect([...short.data]).not.toEqual([...whole.data]);
  });
});

describe('splitVolume: morphology', () => {
  it('dilate, erode, open and close split equal unsplit voxel for voxel (box and ball, per-axis radii)', async () => {
    pool = createPool({ size: 2 });
    const volume = blobs([19, 17, 22], 6);
    const cases: { radius: number | Vec3; shape: 'box' | 'ball' }[] = [
      { radius: 1, shape: 'box' },
      { radius: 2, shape: 'ball' },
      { radius: [1, 2, 3], shape: 'box' },
    ];
    for (const op of ['volume.dilate', 'volume.erode', 'volume.open', 'volume.close'] as const) {
      for (const { radius, shape } of cases) {
        const whole = await pool.run(op, { volume, radius, shape }, { input: 'copy' });
        for (const slabs of [3, 22]) {
          let info: SplitInfo | null = null;
          const split = await splitVolume(pool, op, { volume, radius, shape }, { slabs, onPlan: (i) => (info = i) });
          const k = typeof radius === 'number' ? radius : radius[2];
          expect(info!.halo).toBe(op === 'volume.open' || op === 'volume.close' ? 2 * k : k);
          expect(split, `${op} ${shape} ${String(radius)}, ${slabs} slabs`).toEqual(whole);
        }
      }
    }
  });

  it('opening needs twice the radius: a halo of just the radius gives a different answer', async () => {
    pool = createPool({ size: 2 });
    // A sheet 3 slices thick (k = 10..12): an opening with a 5-voxel element removes all of it.
    // A slab starting at k = 10 (core from 12, halo 2) sees the sheet's lower face as an image
    // edge, erodes nothing there, and dilates it back into its core.
    const volume = blobs([9, 8, 24], 1);
    volume.data.fill(0);
    volume.data.fill(255, 10 * 72, 13 * 72);
    const whole = await pool.run('volume.open', { volume, radius: 2 }, { input: 'copy' });
    expect(Math.max(...whole.data)).toBe(0);
    const short = await splitVolume(pool, 'volume.open', { volume, radius: 2 }, { slabs: 2, reach: 2 });
    expect(Math.max(...short.data)).toBe(255);
    expect(await splitVolume(pool, 'volume.open', { volume, radius: 2 }, { slabs: 2 })).toEqual(whole);
  });
});
