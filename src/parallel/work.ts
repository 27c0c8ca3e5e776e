/**
 * How much work a task of a splittable volume op stands for, in a unit of its own: what the pool
 * forecasts run times with (src/pool/run-times.ts). Output voxels times the taps each one reads
 * along each axis of the op's reach, clipped at the volume's ends as the filters clip their
 * kernels there, plus one for the voxel's own write. Exact for a separable filter (the Gaussian);
 * for the others a fixed reach only scales the op's rate, and that is all a forecast needs.
 */
import type { Volume } from '../data/volume.ts';
import { axisReach } from './reach.ts';

/** The work of a task of `op` on `input` (see above), or null when `op` has no reach or the input is not one volume. */
export function taskWork(op: string, input: unknown): number | null {
  if (typeof input !== 'object' || input === null || !('volume' in input)) return null;
  const { volume, ...params } = input as { volume: Volume } & Record<string, unknown>;
  const dims = volume?.dimensions;
  if (!Array.isArray(dims) || dims.length !== 3 || !dims.every((n) => Number.isInteger(n) && n > 0)) return null;
  let reach: readonly number[] | null;
  try {
    reach = axisReach(op, params);
  } catch {
    return null; // bad parameters: the worker says what is wrong
  }
  if (!reach) return null;
  const slices = ownSlices(params.outputSlices, dims[2]);
  let taps = 1;
  for (let a = 0; a < 3; a++) taps += meanTaps(dims[a]!, reach[a]!);
  return dims[0]! * dims[1]! * slices * (volume.components || 1) * taps;
}

/** Slices a task computes: its `outputSlices` [k0, k1) when it has them, else all. */
function ownSlices(outputSlices: unknown, depth: number): number {
  if (Array.isArray(outputSlices) && outputSlices.length === 2) {
    const [k0, k1] = outputSlices as [number, number];
    if (Number.isInteger(k0) && Number.isInteger(k1) && k1 > k0) return k1 - k0;
  }
  return depth;
}

/** Mean taps of a kernel of radius r along a line of n voxels, clipped at the line's ends. */
export function meanTaps(n: number, r: number): number {
  const reach = Math.min(Math.max(0, Math.floor(r)), n - 1);
  // Each side: positions 0..reach-1 reach 0..reach-1 voxels, the rest reach all of `reach`.
  const side = (reach * (reach - 1)) / 2 + (n - reach) * reach;
  return (2 * side + n) / n;
}
