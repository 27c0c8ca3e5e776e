/** How a split filter fails, besides cancellation and bad input (which keep their own classes). */
import { VoxpoolError } from '../core/errors.ts';

/** One slab's task failed (or returned something that cannot be stitched); the others were cancelled. */
export class SlabFailedError extends VoxpoolError {
  override name = 'SlabFailedError';
  constructor(
    readonly op: string,
    /** Which slab (0-based) of how many, and the slices [start, end) it was to provide. */
    readonly slab: number,
    readonly slabs: number,
    readonly slices: readonly [number, number],
    readonly problem: string,
    cause?: unknown,
  ) {
    super(`${op} failed on slab ${slab + 1} of ${slabs} (slices ${slices[0]}..${slices[1] - 1}): ${problem}`, { cause });
  }
}
