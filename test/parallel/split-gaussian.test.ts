import { afterEach, describe, expect, it } from 'vitest';
import { createPool, splitVolume, type BuiltinOps, type Pool, type SplitInfo } from '../../src/index.ts';
import type { Volume } from '../../src/data/volume.ts';
import { gaussianVtkReference } from '../kernels/reference/gaussian.ts';
import { noisyVolume } from './support.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

/** The unsplit filter, in one task of the same pool, on a copy of the same volume. */
async function unsplit(p: Pool<BuiltinOps>, volume: Volume, radiusFactor: number, std = 2): Promise<Volume> {
  return p.run('volume.gaussianVtk', { volume, std, radiusFactor }, { input: 'copy' });
}

describe('splitVolume: volume.gaussianVtk', () => {
  it('equals the unsplit filter voxel for voxel, radius factors 0 to 20 (reach up to twice the depth), many slab counts', async () => {
    pool = createPool({ size: 2 });
    const volume = noisyVolume([23, 19, 41], 'int16', 7);
    const before = volume.data.slice();
    for (const radiusFactor of [0, 1.5, 5, 10, 20]) {
      const whole = await unsplit(pool, volume, radiusFactor);
      // The reference too, so a split and an unsplit run can't agree on the same wrong answer.
      expect([...whole.data]).toEqual([...gaussianVtkReference(volume.data, volume.dimensions, 2, radiusFactor)]);
      for (const slabs of [undefined, 2, 3, 7, 41]) {
        let info: SplitInfo | null = null;
        const split = await splitVolume(pool, 'volume.gaussianVtk', { volume, std: 2, radiusFactor }, { slabs, onPlan: (i) => (info = i) });
        expect(info!.halo).toBe(Math.trunc(2 * radiusFactor));
        expect(info!.slabs.length).toBe(slabs ?? info!.slabs.length);
        expect(info!.slabs.length).toBeGreaterThanOrEqual(2);
        expect(split, `radius factor ${radiusFactor}, ${slabs ?? 'default'} slabs`).toEqual(whole);
      }
    }
    // The caller's volume was only read.
    expect(volume.data.byteLength).toBeGreaterThan(0);
    expect([...volume.data]).toEqual([...before]);
  });

  it('keeps geometry (oblique direction, spacing, origin) and pixel type, float32 and uint8 too', async () => {
    pool = createPool({ size: 2 });
    for (const type of ['float32', 'uint8'] as const) {
      const volume = noisyVolume([17, 13, 29], type, 3);
      volume.spacing = [0.7, 1.1, 2.5];
      volume.origin = [-12.5, 30, 7.25];
      const c = Math.cos(0.3);
      const s = Math.sin(0.3);
      volume.direction = [c, s, 0, -s, c, 0, 0, 0, 1];
      const whole = await unsplit(pool, volume, 3, 1.5);
      const split = await splitVolume(pool, 'volume.gaussianVtk', { volume, std: 1.5, radiusFactor: 3 }, { slabs: 5 });
      expect(split.data.constructor).toBe(volume.data.constructor);
      expect(split.spacing).toEqual([0.7, 1.1, 2.5]);
      expect(split.origin).toEqual([-12.5, 30, 7.25]);
      expect(split.direction).toEqual(volume.direction);
      expect(split.dimensions).toEqual([17, 13, 29]);
      expect(split).toEqual(whole);
    }
  });

  it('cuts a volume thinner than the pool into one-slice slabs, and a single slice into one slab', async () => {
    pool = createPool({ size: 4 });
    const thin = noisyVolume([31, 27, 3], 'int16', 11);
    let info: SplitInfo | null = null;
    const split = await splitVolume(pool, 'volume.gaussianVtk', { volume: thin, radiusFactor: 4 }, { onPlan: (i) => (info = i) });
    expect(info!.slabs.map((s) => [s.coreStart, s.coreEnd])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(split).toEqual(await unsplit(pool, thin, 4));
    const one = noisyVolume([9, 8, 1], 'int16', 12);
    const single = await splitVolume(pool, 'volume.gaussianVtk', { volume: one, radiusFactor: 4 }, { onPlan: (i) => (info = i), slabs: 6 });
    expect(info!.slabs.length).toBe(1);
    expect(single).toEqual(await unsplit(pool, one, 4));
  });

  it('reports progress of the whole split up to 1, and runs one task per slab with a memory estimate', async () => {
    pool = createPool({ size: 2 });
    const volume = noisyVolume([40, 40, 30], 'int16', 5);
    const fractions: number[] = [];
    await splitVolume(pool, 'volume.gaussianVtk', { volume, radiusFactor: 2 }, { slabs: 4, label: 'smooth', onProgress: (p) => fractions.push(p.fraction) });
    expect(fractions.at(-1)).toBeCloseTo(1, 12);
    expect(fractions.every((f) => f >= 0 && f <= 1 + 1e-12)).toBe(true);
    const records = pool.tasks().filter((r) => r.label.startsWith('smooth '));
    expect(records.map((r) => r.label).sort()).toEqual(['smooth 1/4', 'smooth 2/4', 'smooth 3/4', 'smooth 4/4']);
    expect(records.every((r) => r.state === 'done')).toBe(true);
    // Slab 1 reads slices 0..7 + 4 halo: 12 slices of 40 x 40 int16, times the Gaussian's factor 4.
    const first = records.find((r) => r.label === 'smooth 1/4')!;
    expect(first.bytesIn).toBe(12 * 40 * 40 * 2);
    expect(first.memory).toBe(4 * 12 * 40 * 40 * 2);
  });
});

describe('splitVolume: the halo is what makes it exact', () => {
  it('a halo one slice short of the kernel radius gives a different answer (so the equality above means something)', async () => {
    pool = createPool({ size: 2 });
    const volume = noisyVolume([21, 17, 30], 'int16', 9);
    const whole = await unsplit(pool, volume, 3);
    const short = await splitVolume(pool, 'volume.gaussianVtk', { volume, radiusFactor: 3 }, { slabs: 3, reach: 5 });
    expect([...short.data]).not.toEqual([...whole.data]);
    const exact = await splitVolume(pool, 'volume.gaussianVtk', { volume, radiusFactor: 3 }, { slabs: 3, reach: 6 });
    expect(exact).toEqual(whole);
  });
});
