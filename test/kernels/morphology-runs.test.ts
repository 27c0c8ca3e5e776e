/**
 * Grayscale morphology with a ball (or any element but the box), which reuses each row's 1-D
 * extrema of every half width (wasm/kernels/assembly/morphology.ts, runExtrema and elementRows),
 * voxel for voxel against the TypeScript reference: ties (two grey levels), the type's extremes and
 * infinities, row lengths around the lane count, volumes of 1 and 2 slices, radii of 0 along an
 * axis and anisotropic ones, every pixel type, and a slab's own output slices (the ring of slices
 * then starts inside the volume).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type BuiltinOps, type Pool } from '../../src/index.ts';
import type { PixelArray, PixelType, Vec3 } from '../../src/data/volume.ts';
import { morphologyReference } from './reference/morphology.ts';
import { TYPES, volumeOf, extremes, firstDifference, seededVoxels } from './support.ts';

let pool: Pool<BuiltinOps>;
beforeAll(() => {
  pool = createPool({ size: 2 });
});
afterAll(async () => {
  await pool.terminate();
});

function data(type: PixelType, dims: Vec3, mode: 'two levels' | 'extremes' | 'full range', seed: number): PixelArray {
  const values = extremes(type);
  return seededVoxels(type, dims[0] * dims[1] * dims[2], seed, (s, r) => {
    if (mode === 'two levels') return r < 0.8 ? 0 : 1;
    if (mode === 'extremes') return values[Math.floor(r * values.length)]!;
    return type.startsWith('float') ? (r - 0.5) * 2e4 : s;
  });
}

const SIZES: Vec3[] = [
  [17, 5, 4],
  [16, 3, 1],
  [9, 6, 2],
  [33, 7, 6],
  [2, 11, 5],
];

const RADII: Vec3[] = [
  [2, 2, 2],
  [3, 1, 2],
  [0, 2, 1],
  [4, 2, 0],
];

describe('morphology with a ball, by row extrema', () => {
  it('equals the reference with ties, extremes and odd sizes, every pixel type', async () => {
    let seed = 3;
    for (const type of TYPES) {
      for (const dims of SIZES) {
        for (const mode of ['two levels', 'extremes', 'full range'] as const) {
          const input = data(type, dims, mode, seed++);
          for (const [n, op] of (['dilate', 'erode', 'open', 'close'] as const).entries()) {
            const radius = RADII[(seed + n) % RADII.length]!;
            const out = await pool.run(`volume.${op}`, { volume: volumeOf(input.slice(), dims), radius, shape: 'ball' });
            expect(
              firstDifference(out.data, morphologyReference(op, input, dims, radius, 'ball')),
              `${type} ${dims.join('x')} ${mode} ${op} ball ${radius.join(',')}`,
            ).toBe(-1);
          }
        }
      }
    }
  });

  it("a slab's own output slices equal those slices of the whole", async () => {
    const dims: Vec3 = [19, 7, 12];
    const plane = dims[0] * dims[1];
    const input = data('int16', dims, 'full range', 21);
    for (const op of ['dilate', 'close'] as const) {
      const radius: Vec3 = [2, 1, 3];
      const whole = morphologyReference(op, input, dims, radius, 'ball');
      for (const outputSlices of [
        [0, 1],
        [3, 8],
        [11, 12],
      ] as [number, number][]) {
        const [k0, k1] = outputSlices;
        const out = await pool.run(`volume.${op}`, { volume: volumeOf(input.slice(), dims), radius, shape: 'ball', outputSlices });
        expect(firstDifference(out.data, whole.slice(k0 * plane, k1 * plane)), `${op} slices ${k0}-${k1}`).toBe(-1);
      }
    }
  });
});
