/** Checks shared by the kernel ops, and the output record every scalar volume filter returns (niimath's too). */
import { InputError, type OpContext } from '../../src/worker/index.ts';
import type { PixelArray, Volume } from '../../src/data/volume.ts';
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
