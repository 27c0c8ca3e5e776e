/** Checks shared by the kernel ops, and the output record every scalar volume filter returns (niimath's too). */
import { InputError, type OpContext } from '../../src/worker/index.ts';
import { sliceRange, type PixelArray, type Volume } from '../../src/data/volume.ts';
import type { SliceRange } from '../../wasm/kernels/calls.ts';
import { checkVolume, refuseNaN } from '../../src/data/validate.ts';

/** A valid, scalar volume without NaN voxels (a median or max of NaN means nothing). */
export function checkScalarVolume(volume: Volume, filter: string): void {
  checkVolume(volume);
  if (volume.components !== 1) throw new InputError(`input.volume (${volume.name})`, `has ${volume.components} components; ${filter} takes scalar volumes`);
  refuseNaN(volume, `input.volume (${volume.name})`);
}

/** The filtered voxels with the input's geometry (copied: the input's arrays may be moved). */
export function withVoxels(volume: Volume, data: PixelArray, name: string): Volume {
  return {
    ...volume,
    name,
    data,
    dimensions: [...volume.dimensions],
    spacing: [...volume.spacing],
    origin: [...volume.origin],
    direction: [...volume.direction],
  };
}

/** Between slices of a kernel: stop if the task was cancelled, report how far it got. */
export function sliceProgress(ctx: OpContext): (done: number, total: number) => void {
  return (done, total) => {
    ctx.throwIfCancelled();
    ctx.progress(done / total);
  };
}

/** What the kernel ops (Gaussian, median, morphology) take besides their own parameters. */
export interface OutputSlicesOption {
  /**
   * Compute only output slices [k0, k1) and return them as a volume of their own, placed where
   * they sit; the other slices are read as context (a slab of a split asks for its own slices).
   */
  outputSlices?: [number, number];
}

/**
 * The output slices a kernel op was asked for: all of them, or `[k0, k1)` (what a slab of a
 * split asks for, its halo being read as context only).
 */
export function checkOutputSlices(value: unknown, volume: Volume): SliceRange {
  const nz = volume.dimensions[2];
  if (value === undefined) return [0, nz];
  if (!Array.isArray(value) || value.length !== 2 || !value.every(Number.isInteger) || value[0] < 0 || value[1] <= value[0] || value[1] > nz) {
    throw new InputError('input.outputSlices', `must be two whole numbers k0 < k1 within the volume's ${nz} slices (got ${JSON.stringify(value)})`);
  }
  return [value[0], value[1]];
}

/** The filtered voxels of output slices `range` with the input's geometry: the whole volume, or those slices placed where they sit. */
export function withSliceVoxels(volume: Volume, range: SliceRange, data: PixelArray, name: string): Volume {
  if (range[0] === 0 && range[1] === volume.dimensions[2]) return withVoxels(volume, data, name);
  return { ...sliceRange(volume, range[0], range[1], data), name };
}
