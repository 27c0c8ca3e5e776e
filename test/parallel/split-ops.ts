/** Ops of a user's own worker module, for split tests that need a slab to fail or to misbehave. */
import { defineOp } from '../../src/worker/index.ts';
import type { Volume } from '../../src/data/volume.ts';

export const splitTestOps = {
  /** Negates every voxel, and fails when it meets `poison`: one slab of a split fails, the others would not. */
  'splitTest.negate': defineOp((input: { volume: Volume; poison: number }): Volume => {
    const data = input.volume.data.slice();
    for (let i = 0; i < data.length; i++) {
      if (data[i] === input.poison) throw new Error(`met the poison value ${input.poison}`);
      data[i] = -data[i]!;
    }
    return { ...input.volume, data };
  }),
  /** Drops the last slice: a result a split cannot stitch. */
  'splitTest.crop': defineOp((input: { volume: Volume }): Volume => {
    const [nx, ny, nz] = input.volume.dimensions;
    return { ...input.volume, dimensions: [nx, ny, Math.max(1, nz - 1)], data: input.volume.data.slice(0, nx * ny * Math.max(1, nz - 1)) };
  }),
} as const;
