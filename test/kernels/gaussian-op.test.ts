import { afterEach, describe, expect, it } from 'vitest';
import { InputError, type Pool } from '../../src/index.ts';
import { createTestPool, type TestOps } from '../fixtures/pool.ts';
import type { Volume } from '../../src/data/volume.ts';
import { gaussianVtkReference } from './reference/gaussian.ts';

let pool: Pool<TestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

function volume(dims: [number, number, number], fill: (i: number, j: number, k: number) => number): Volume {
  const data = new Int16Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) data[i + dims[0] * (j + dims[1] * k)] = fill(i, j, k);
  return { name: 'test', data, dimensions: dims, spacing: [0.5, 1, 2], origin: [-3, 4, 5], direction: [0, 1, 0, -1, 0, 0, 0, 0, 1], components: 1 };
}

describe('volume.gaussianVtk in the pool', () => {
  it('smooths a constant into the same constant, keeps geometry, and equals the reference', async () => {
    pool = createTestPool({ size: 2 });
    const constant = await pool.run('volume.gaussianVtk', { volume: volume([9, 8, 7], () => 300), radiusFactor: 3 });
    expect(constant.data).toBeInstanceOf(Int16Array);
    // Kernel weights sum to 1 in double; a truncating cast may give 299 where the sum lands just under.
    expect([...constant.data].every((v) => v === 300 || v === 299)).toBe(true);
    expect(constant.spacing).toEqual([0.5, 1, 2]);
    expect(constant.origin).toEqual([-3, 4, 5]);
    expect(constant.direction).toEqual([0, 1, 0, -1, 0, 0, 0, 0, 1]);
    const spike = volume([11, 11, 11], (i, j, k) => (i === 5 && j === 5 && k === 5 ? 10000 : 0));
    const expected = gaussianVtkReference(spike.data.slice(), spike.dimensions, 2, 2);
    const out = await pool.run('volume.gaussianVtk', { volume: spike, std: 2, radiusFactor: 2 });
    expect([...out.data]).toEqual([...expected]);
    const sum = [...out.data].reduce((a, b) => a + b, 0);
    expect(sum).toBeGreaterThan(9000); // mass mostly kept (truncation loses a little)
    expect(out.data[5 + 11 * (5 + 11 * 5)]).toBeLessThan(10000);
  });

  it('radius factor 0 copies the input, as VTK does', async () => {
    pool = createTestPool({ size: 1 });
    const v = volume([5, 5, 5], (i, j, k) => i * 100 + j * 10 + k);
    const copy = [...v.data];
    const out = await pool.run('volume.gaussianVtk', { volume: v, radiusFactor: 0 });
    expect([...out.data]).toEqual(copy);
  });

  it('refuses wrong sizes and bad parameters with errors naming them', async () => {
    pool = createTestPool({ size: 1 });
    const bad = volume([4, 4, 4], () => 1);
    bad.dimensions = [4, 4, 5];
    const e = await pool.run('volume.gaussianVtk', { volume: bad, radiusFactor: 2 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/input\.volume \(test\): has 64 values but 4 x 4 x 5 x 1 needs 80/);
    const nan = await pool.run('volume.gaussianVtk', { volume: volume([2, 2, 2], () => 1), radiusFactor: Number.NaN }).catch((x: unknown) => x);
    expect(nan).toBeInstanceOf(InputError);
    expect((nan as InputError).input).toBe('input.radiusFactor');
    expect(await pool.run('test.echo', 'still fine')).toBe('still fine');
  });
});
