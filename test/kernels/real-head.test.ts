/**
 * The kernels on a real head MR (public/samples/anatomical.nii, read by our own NIfTI reader):
 * voxel for voxel equal to the TypeScript references, as on the phantom.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type BuiltinOps, type Pool } from '../../src/index.ts';
import { readNifti } from '../../src/data/nifti-read.ts';
import type { Volume } from '../../src/data/volume.ts';
import { gaussianVtkReference } from './reference/gaussian.ts';
import { medianReference } from './reference/median.ts';
import { morphologyReference } from './reference/morphology.ts';

let pool: Pool<BuiltinOps>;
let head: Volume;
beforeAll(async () => {
  pool = createPool({ size: 2 });
  const res = await fetch('/samples/anatomical.nii');
  expect(res.ok).toBe(true);
  head = await readNifti([{ name: 'anatomical.nii', bytes: new Uint8Array(await res.arrayBuffer()) }]);
});
afterAll(async () => {
  await pool.terminate();
});

const copy = (): Volume => ({ ...head, data: head.data.slice() });

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('the kernels on the real head MR', () => {
  it('is the int16 volume the sample says it is', () => {
    expect(head.dimensions).toEqual([33, 41, 25]);
    expect(head.data).toBeInstanceOf(Int16Array);
  });

  it('volume.gaussianVtk equals the reference, radius factors 0-20', async () => {
    for (const radiusFactor of [0, 5, 10, 15, 20]) {
      const out = await pool.run('volume.gaussianVtk', { volume: copy(), std: 2, radiusFactor });
      expect(firstDifference(out.data, gaussianVtkReference(head.data, head.dimensions, 2, radiusFactor)), `rf ${radiusFactor}`).toBe(-1);
    }
  });

  it('volume.median equals the reference', async () => {
    const out = await pool.run('volume.median', { volume: copy() });
    expect(firstDifference(out.data, medianReference(head.data, head.dimensions, [3, 3, 3]))).toBe(-1);
  });

  it('morphology equals the reference, box and ball', async () => {
    for (const op of ['dilate', 'erode', 'open', 'close'] as const) {
      for (const shape of ['box', 'ball'] as const) {
        const out = await pool.run(`volume.${op}`, { volume: copy(), radius: shape === 'box' ? 1 : 2, shape });
        const r = shape === 'box' ? 1 : 2;
        expect(firstDifference(out.data, morphologyReference(op, head.data, head.dimensions, [r, r, r], shape)), `${op} ${shape}`).toBe(-1);
      }
    }
  });
});
