/**
 * The kernels at the sizes their vector code is most likely to get wrong, voxel for voxel against
 * the TypeScript references: axes one voxel thick, lengths that are not a multiple of the lane or
 * strip width (16 lines, 16 / sizeof(T) lanes) or are just past one, kernels wider than the
 * volume, every pixel type the kernels accept, and a slab's own output slices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type BuiltinOps, type Pool } from '../../src/index.ts';
import type { PixelArray, PixelType, Vec3 } from '../../src/data/volume.ts';
import { gaussianVtkReference } from './reference/gaussian.ts';
import { medianReference } from './reference/median.ts';
import { morphologyReference } from './reference/morphology.ts';
import { TYPES, volumeOf, firstDifference, seededVoxels } from './support.ts';

let pool: Pool<BuiltinOps>;
beforeAll(() => {
  pool = createPool({ size: 2 });
});
afterAll(async () => {
  await pool.terminate();
});

/** 1-voxel-thick axes, lengths around the 16-line strips and the 2- to 16-voxel lanes. */
const SIZES: Vec3[] = [
  [1, 1, 1],
  [1, 1, 9],
  [17, 1, 1],
  [1, 13, 1],
  [1, 5, 7],
  [33, 1, 6],
  [15, 17, 1],
  [16, 16, 3],
  [31, 2, 4],
  [3, 33, 2],
  // Rows with interior blocks of the i pass (16 outputs whose taps all lie in the row) at small radii.
  [50, 3, 2],
  // Interior blocks at rf 20 too (std 1: radius 20), rows not a multiple of the 16 edge lanes.
  [100, 19, 2],
];

/** Seeded values over each type's whole range (floats: +-1e4 with fractions, and some -0). */
function randomData(type: PixelType, n: number, seed: number): PixelArray {
  return seededVoxels(type, n, seed, (s, r) => (type.startsWith('float') ? (s % 17 === 0 ? -0 : (r - 0.5) * 2e4) : s));
}

describe('edge sizes, every pixel type', () => {
  it('volume.gaussianVtk equals the reference', async () => {
    for (const type of TYPES) {
      for (const [n, dims] of SIZES.entries()) {
        const data = randomData(type, dims[0] * dims[1] * dims[2], 3 + n);
        for (const [std, radiusFactor] of [
          [2, 2],
          [1, 20],
          [0.8, 1],
          // Radius 0: integers skip the passes (a copy), floats run them (-0 comes out +0).
          [2, 0],
          [0.6, 1],
        ] as const) {
          const out = await pool.run('volume.gaussianVtk', { volume: volumeOf(data.slice(), dims), std, radiusFactor });
          expect(
            firstDifference(out.data, gaussianVtkReference(data, dims, std, radiusFactor)),
            `${type} ${dims.join('x')} std ${std} rf ${radiusFactor}`,
          ).toBe(-1);
        }
      }
    }
  });

  it('volume.median equals the reference', async () => {
    for (const type of TYPES) {
      for (const [n, dims] of SIZES.entries()) {
        const data = randomData(type, dims[0] * dims[1] * dims[2], 7 + n);
        for (const kernelSize of [
          [3, 3, 3],
          [5, 1, 3],
        ] as Vec3[]) {
          const out = await pool.run('volume.median', { volume: volumeOf(data.slice(), dims), kernelSize });
          expect(firstDifference(out.data, medianReference(data, dims, kernelSize)), `${type} ${dims.join('x')} ${kernelSize.join('x')}`).toBe(-1);
        }
      }
    }
  });

  it('volume.dilate and volume.erode equal the reference', async () => {
    for (const type of TYPES) {
      for (const [n, dims] of SIZES.entries()) {
        const data = randomData(type, dims[0] * dims[1] * dims[2], 11 + n);
        for (const op of ['dilate', 'erode'] as const) {
          for (const [radius, shape] of [
            [[1, 1, 1], 'box'],
            [[2, 1, 3], 'ball'],
          ] as [Vec3, 'box' | 'ball'][]) {
            const out = await pool.run(`volume.${op}`, { volume: volumeOf(data.slice(), dims), radius, shape });
            expect(firstDifference(out.data, morphologyReference(op, data, dims, radius, shape)), `${type} ${dims.join('x')} ${op} ${shape}`).toBe(-1);
          }
        }
      }
    }
  });

  it("a slab's own output slices equal those slices of the whole", async () => {
    const dims: Vec3 = [19, 7, 12];
    const plane = dims[0] * dims[1];
    for (const type of ['int16', 'float32', 'uint8'] as PixelType[]) {
      const data = randomData(type, plane * dims[2], 5);
      const whole = gaussianVtkReference(data, dims, 1.5, 3);
      const median = medianReference(data, dims, [3, 3, 3]);
      for (const outputSlices of [
        [0, 1],
        [3, 8],
        [11, 12],
      ] as [number, number][]) {
        const [k0, k1] = outputSlices;
        const g = await pool.run('volume.gaussianVtk', { volume: volumeOf(data.slice(), dims), std: 1.5, radiusFactor: 3, outputSlices });
        expect(firstDifference(g.data, whole.slice(k0 * plane, k1 * plane)), `${type} Gaussian slices ${k0}-${k1}`).toBe(-1);
        const copy = await pool.run('volume.gaussianVtk', { volume: volumeOf(data.slice(), dims), radiusFactor: 0, outputSlices });
        const identity = gaussianVtkReference(data, dims, 2, 0);
        expect(firstDifference(copy.data, identity.slice(k0 * plane, k1 * plane)), `${type} Gaussian rf 0 slices ${k0}-${k1}`).toBe(-1);
        const m = await pool.run('volume.median', { volume: volumeOf(data.slice(), dims), outputSlices });
        expect(firstDifference(m.data, median.slice(k0 * plane, k1 * plane)), `${type} median slices ${k0}-${k1}`).toBe(-1);
      }
    }
  });
});
