/**
 * The 3 x 3 x 3 median's own path (wasm/kernels/assembly/median.ts, median333: presorted columns
 * shared between neighbours, a selection network, the border through two padded runs) voxel for
 * voxel against the TypeScript reference, where a network is most likely to go wrong: many ties
 * (two or three grey levels), the type's extremes and infinities, row lengths around the lane
 * count (the shortest row it takes is one vector long; shorter ones take the general path), axes
 * of 1 and 2 voxels, every pixel type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type BuiltinOps, type Pool } from '../../src/index.ts';
import type { PixelArray, PixelType, Vec3 } from '../../src/data/volume.ts';
import { medianReference } from './reference/median.ts';
import { TYPES, volumeOf, extremes, firstDifference, seededVoxels } from './support.ts';

let pool: Pool<BuiltinOps>;
beforeAll(() => {
  pool = createPool({ size: 2 });
});
afterAll(async () => {
  await pool.terminate();
});

type Mode = 'two levels' | 'three levels' | 'extremes' | 'full range';

function data(type: PixelType, dims: Vec3, mode: Mode, seed: number): PixelArray {
  const values = extremes(type);
  return seededVoxels(type, dims[0] * dims[1] * dims[2], seed, (s, r) => {
    if (mode === 'two levels') return r < 0.5 ? 0 : 1;
    if (mode === 'three levels') return Math.floor(r * 3);
    if (mode === 'extremes') return values[Math.floor(r * values.length)]!;
    return type.startsWith('float') ? (r - 0.5) * 2e4 : s;
  });
}

/** Lanes per vector: 16 (8-bit) to 2 (float64). Rows of one vector, one more, one less, and several. */
const SIZES: Vec3[] = [
  [16, 2, 2],
  [17, 3, 2],
  [15, 2, 5],
  [33, 4, 3],
  [8, 8, 8],
  [2, 9, 9],
  [3, 5, 4],
  [4, 3, 3],
  [24, 5, 1],
  [40, 1, 3],
  [18, 18, 18],
];

describe('3 x 3 x 3 median network', () => {
  it('equals the reference with ties, extremes and odd sizes, every pixel type', async () => {
    let seed = 1;
    for (const type of TYPES) {
      for (const dims of SIZES) {
        for (const mode of ['two levels', 'three levels', 'extremes', 'full range'] as Mode[]) {
          const input = data(type, dims, mode, seed++);
          const out = await pool.run('volume.median', { volume: volumeOf(input.slice(), dims) });
          expect(firstDifference(out.data, medianReference(input, dims, [3, 3, 3])), `${type} ${dims.join('x')} ${mode}`).toBe(-1);
        }
      }
    }
  });

  it('gives the reference median where -0 and +0 tie, as numbers', async () => {
    // The network orders -0 below +0 (wasm's min and max), VTK's insertion sort by arrival: a zero
    // median may differ in sign only.
    const dims: Vec3 = [19, 6, 5];
    for (const type of ['float32', 'float64'] as PixelType[]) {
      const input = data(type, dims, 'three levels', 77);
      for (let i = 0; i < input.length; i++) input[i] = [-0, 0, 1][input[i]!]!;
      const out = await pool.run('volume.median', { volume: volumeOf(input.slice(), dims) });
      const ref = medianReference(input, dims, [3, 3, 3]);
      expect(
        Array.from(out.data).findIndex((v, i) => v !== ref[i]),
        type,
      ).toBe(-1);
    }
  });
});
