/**
 * volume.downsample and volume.resample (@itk-wasm/downsample in our workers): output grids,
 * values against a field known everywhere (a linear function of world position, which averaging,
 * symmetric smoothing and linear interpolation all keep), and bad inputs refused by name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPool, InputError, type BuiltinOps, type Pool } from '../../src/index.ts';
import type { Vec3, Volume } from '../../src/data/volume.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

const c = Math.cos(Math.PI / 6);
const s = Math.sin(Math.PI / 6);
/** 30 degrees about z: a transposed direction would move every voxel. */
const OBLIQUE = [c, s, 0, -s, c, 0, 0, 0, 1];

/** World position of the (possibly fractional) voxel index ijk. */
function world(v: Pick<Volume, 'origin' | 'spacing' | 'direction'>, ijk: Vec3): Vec3 {
  const p: Vec3 = [...v.origin];
  for (let a = 0; a < 3; a++) for (let w = 0; w < 3; w++) p[w] = p[w]! + v.direction[3 * a + w]! * v.spacing[a]! * ijk[a]!;
  return p;
}

/** The field every test volume samples: linear in world coordinates. */
const field = ([x, y, z]: Vec3): number => 100 + 3 * x + 5 * y + 7 * z;

function sampled(dimensions: Vec3, spacing: Vec3, origin: Vec3, direction = OBLIQUE): Volume {
  const v: Volume = {
    name: 'linear field',
    data: new Float32Array(dimensions[0] * dimensions[1] * dimensions[2]),
    dimensions,
    spacing,
    origin,
    direction,
    components: 1,
  };
  eachVoxel(v, (n, ijk) => (v.data[n] = field(world(v, ijk))));
  return v;
}

function eachVoxel(v: Pick<Volume, 'dimensions'>, f: (n: number, ijk: Vec3) => void): void {
  const [nx, ny, nz] = v.dimensions;
  for (let k = 0, n = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, n++) f(n, [i, j, k]);
}

/** The two outer corners of the box the voxels cover. */
function box(v: Volume): [Vec3, Vec3] {
  return [world(v, [-0.5, -0.5, -0.5]), world(v, v.dimensions.map((n) => n - 0.5) as Vec3)];
}

function expectClose(actual: number[], expected: number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a, `[${i}]`).toBeCloseTo(expected[i]!, digits));
}

/** Largest |value - field| over voxels at least `margin` voxels inside the grid. */
function worstInterior(v: Volume, margin: number): number {
  let worst = 0;
  eachVoxel(v, (n, ijk) => {
    if (ijk.some((x, a) => x < margin || x >= v.dimensions[a]! - margin)) return;
    worst = Math.max(worst, Math.abs(v.data[n]! - field(world(v, ijk))));
  });
  return worst;
}

describe('volume.downsample', () => {
  const input = () => sampled([16, 12, 8], [0.5, 1, 2], [10, -5, 3]);

  for (const method of ['gaussian', 'bin'] as const) {
    it(`${method}: by 2 halves the grid, doubles the spacing and keeps the box and the direction`, async () => {
      pool = createPool({ size: 1 });
      const v = input();
      const out = await pool.run('volume.downsample', { volume: v, factors: [2, 2, 2], method }, { input: 'copy' });
      expect(out.dimensions).toEqual([8, 6, 4]);
      expect(out.spacing).toEqual([1, 2, 4]);
      expectClose(out.direction, OBLIQUE, 12);
      // ITK moves the origin to the centre of the first 2x2x2 block: half an input voxel in.
      expectClose(out.origin, world(v, [0.5, 0.5, 0.5]), 9);
      const [a, b] = box(v);
      const [oa, ob] = box(out);
      expectClose(oa, a, 9);
      expectClose(ob, b, 9);
      expect(out.data).toBeInstanceOf(Float32Array);
      expect(out.data.length).toBe(8 * 6 * 4);
    });
  }

  it('bin: every output voxel is the mean of its 2x2x2 block', async () => {
    pool = createPool({ size: 1 });
    const v = input();
    const out = await pool.run('volume.downsample', { volume: v, factors: [2, 2, 2], method: 'bin' }, { input: 'copy' });
    const [nx, ny] = v.dimensions;
    const expected: number[] = [];
    eachVoxel(out, (_, [i, j, k]) => {
      let sum = 0;
      for (let dk = 0; dk < 2; dk++)
        for (let dj = 0; dj < 2; dj++) for (let di = 0; di < 2; di++) sum += v.data[2 * i + di + nx * (2 * j + dj + ny * (2 * k + dk))]!;
      expected.push(sum / 8);
    });
    expectClose(Array.from(out.data), expected, 3);
  });

  it('gaussian: inside the grid, the smoothed samples equal the field at the new voxel centres', async () => {
    pool = createPool({ size: 1 });
    const out = await pool.run('volume.downsample', { volume: input(), factors: [2, 2, 2] });
    expect(worstInterior(out, 1)).toBeLessThan(1e-3);
    // At the edges the anti-aliasing kernel is clipped, so the edge differs from the field, but little.
    expect(worstInterior(out, 0)).toBeLessThan(5);
  });

  for (const method of ['gaussian', 'bin'] as const) {
    it(`${method}: keeps the pixel type, a constant stays that constant, factor 1 keeps an axis`, async () => {
      pool = createPool({ size: 1 });
      const v: Volume = {
        name: 'flat',
        data: new Int16Array(20 * 10 * 6).fill(-321),
        dimensions: [20, 10, 6],
        spacing: [0.8, 0.8, 1.5],
        origin: [-7, 2, 40],
        direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
        components: 1,
      };
      const out = await pool.run('volume.downsample', { volume: v, factors: [4, 2, 1], method });
      expect(out.data).toBeInstanceOf(Int16Array);
      expect(out.dimensions).toEqual([5, 5, 6]);
      expect(out.spacing[0]).toBeCloseTo(3.2, 12);
      expect(out.spacing[1]).toBeCloseTo(1.6, 12);
      expect(out.spacing[2]).toBe(1.5);
      expectClose(out.origin, [-7 + 1.5 * 0.8, 2 + 0.5 * 0.8, 40], 9);
      // ITK alone gives -319 here for the Gaussian (truncating casts per pass); the op rounds.
      expect(new Set(out.data)).toEqual(new Set([-321]));
    });
  }
});

describe('volume.resample', () => {
  it('to a spacing: the grid covers the same box, and linear interpolation reproduces the field', async () => {
    pool = createPool({ size: 1 });
    const v = sampled([20, 16, 10], [1, 1, 1.5], [4, -30, 12]);
    const out = await pool.run('volume.resample', { volume: v, spacing: [2.5, 0.5, 3] }, { input: 'copy' });
    expect(out.dimensions).toEqual([8, 32, 5]);
    expect(out.spacing).toEqual([2.5, 0.5, 3]);
    expectClose(out.direction, OBLIQUE, 12);
    const [a, b] = box(v);
    const [oa, ob] = box(out);
    expectClose(oa, a, 9);
    expectClose(ob, b, 9);
    // Each new voxel centre lies inside the input's sampled grid except the outermost half voxels,
    // where ITK's linear interpolator clamps at the edge samples.
    let inside = 0;
    let worst = 0;
    eachVoxel(out, (n, ijk) => {
      const p = world(out, ijk);
      // Back to the input's continuous index: the direction is orthonormal, so its transpose inverts it.
      const rel = [0, 1, 2].map((w) => p[w]! - v.origin[w]!);
      const idx = [0, 1, 2].map(
        (ax) => (v.direction[3 * ax]! * rel[0]! + v.direction[3 * ax + 1]! * rel[1]! + v.direction[3 * ax + 2]! * rel[2]!) / v.spacing[ax]!,
      );
      if (idx.some((x, ax) => x < 0 || x > v.dimensions[ax]! - 1)) return;
      inside++;
      worst = Math.max(worst, Math.abs(out.data[n]! - field(p)));
    });
    expect(inside).toBeGreaterThan(out.data.length / 2);
    expect(worst).toBeLessThan(1e-3);
  });

  it('nearest neighbour on labels gives only the labels there were; an explicit grid is used as given', async () => {
    pool = createPool({ size: 1 });
    const labels = new Uint8Array(10 * 10 * 10);
    eachVoxel({ dimensions: [10, 10, 10] }, (n, [i, j, k]) => (labels[n] = (i < 5 ? 1 : 2) + (j < 5 ? 0 : 10) + (k < 3 ? 0 : 100)));
    const v: Volume = {
      name: 'labels',
      data: labels,
      dimensions: [10, 10, 10],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      components: 1,
    };
    const out = await pool.run('volume.resample', {
      volume: v,
      spacing: [0.7, 0.7, 0.7],
      dimensions: [13, 13, 13],
      origin: [0.1, 0.1, 0.1],
      interpolator: 'nearest_neighbor',
    });
    expect(out.dimensions).toEqual([13, 13, 13]);
    expect(out.origin).toEqual([0.1, 0.1, 0.1]);
    expect(out.data).toBeInstanceOf(Uint8Array);
    expect(new Set(out.data)).toEqual(new Set([1, 2, 11, 12, 101, 102, 111, 112]));
    // Voxel (7, 0, 0) is at x = 5.0: nearest input voxel 5, label 2.
    expect(out.data[7]).toBe(2);
    expect(out.data[6]).toBe(1);
  });
});

describe('bad input', () => {
  it('is refused by name while another task succeeds', async () => {
    pool = createPool({ size: 2 });
    const v = () => sampled([8, 8, 8], [1, 1, 1], [0, 0, 0]);
    const good = pool.run('volume.downsample', { volume: v(), factors: [2, 2, 2] });
    const refusals = await Promise.all([
      pool.run('volume.downsample', { volume: v(), factors: [0, 2, 2] }).catch((e: unknown) => e),
      pool.run('volume.downsample', { volume: v(), factors: [2, 2, 9] }).catch((e: unknown) => e),
      pool.run('volume.downsample', { volume: v(), factors: [2, 2, 2], method: 'lanczos' as 'bin' }).catch((e: unknown) => e),
      pool.run('volume.resample', { volume: v(), spacing: [1, 0, 1] }).catch((e: unknown) => e),
      pool.run('volume.resample', { volume: v(), spacing: [1e-6, 1e-6, 1e-6] }).catch((e: unknown) => e),
      pool.run('volume.resample', { volume: v(), interpolator: 'cubic' as 'linear' }).catch((e: unknown) => e),
      pool.run('volume.resample', { volume: { ...v(), spacing: [1, -1, 1] }, spacing: [2, 2, 2] }).catch((e: unknown) => e),
    ]);
    const expected: [string, RegExp][] = [
      ['input.factors', /whole numbers >= 1/],
      ['input.factors', /exceeds the volume's 8 voxels/],
      ['input.method', /"gaussian" or "bin"/],
      ['input.spacing', /three finite numbers of mm > 0/],
      ['input.spacing (the output grid it gives)', /absurd dimensions/],
      ['input.interpolator', /must be one of "linear", "nearest_neighbor"/],
      ['input.volume (linear field)', /spacing must be three finite numbers > 0/],
    ];
    refusals.forEach((e, i) => {
      expect(e, expected[i]![0]).toBeInstanceOf(InputError);
      expect((e as InputError).input).toBe(expected[i]![0]);
      expect((e as Error).message).toMatch(expected[i]![1]);
    });
    expect((await good).dimensions).toEqual([4, 4, 4]);
  });
});
