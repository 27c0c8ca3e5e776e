/**
 * How many voxels each kernel op reads beyond the voxel it writes, per axis (i, j, k): the halo
 * a slab needs so that filtering slabs and stitching them equals filtering the whole volume.
 */
import type { Vec3 } from '../data/volume.ts';

export interface ReachInputs {
  'volume.gaussianVtk': { std?: number; radiusFactor: number };
  'volume.median': { kernelSize?: Vec3 };
  'volume.dilate': { radius: number | Vec3 };
  'volume.erode': { radius: number | Vec3 };
  'volume.open': { radius: number | Vec3 };
  'volume.close': { radius: number | Vec3 };
}

export type ReachOp = keyof ReachInputs;

export const DEFAULT_MEDIAN_KERNEL: Vec3 = [3, 3, 3];

export function radius3(radius: number | Vec3): Vec3 {
  return typeof radius === 'number' ? [radius, radius, radius] : [radius[0], radius[1], radius[2]];
}

/** Voxels read on each side of the output voxel along i, j, k (the same both ways). */
export function reachOf<O extends ReachOp>(op: O, input: ReachInputs[O]): Vec3 {
  switch (op) {
    case 'volume.gaussianVtk': {
      const { std = 2, radiusFactor } = input as ReachInputs['volume.gaussianVtk'];
      const r = Math.trunc(std * radiusFactor);
      return [r, r, r];
    }
    case 'volume.median': {
      const k = (input as ReachInputs['volume.median']).kernelSize ?? DEFAULT_MEDIAN_KERNEL;
      // The neighbourhood spans i - floor(k/2) .. i - floor(k/2) + k - 1: floor(k/2) both ways for odd k.
      return [k[0] >> 1, k[1] >> 1, k[2] >> 1];
    }
    case 'volume.dilate':
    case 'volume.erode':
      return radius3((input as ReachInputs['volume.dilate']).radius);
    case 'volume.open':
    case 'volume.close': {
      const r = radius3((input as ReachInputs['volume.open']).radius);
      return [2 * r[0], 2 * r[1], 2 * r[2]];
    }
  }
  throw new RangeError(`reachOf: unknown op ${String(op)}`);
}
