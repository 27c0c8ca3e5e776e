/**
 * The pool's splitter for `split: 'auto'` runs: a volume filter whose reach is known is split
 * across the workers that would otherwise idle, when it is long enough to pay for the slabs'
 * copies and halos. The pool decides when and into how many parts (src/pool/pool.ts, dispatch);
 * this decides whether a task can and should be split, and splits it with `splitVolume`.
 */
import type { Pool, SplitRun, TaskSplitter } from '../pool/pool.ts';
import type { Volume } from '../data/volume.ts';
import { checkVolume } from '../data/validate.ts';
import { isShared } from '../core/transfer.ts';
import { splitReach } from './reach.ts';
import { taskWork } from './work.ts';
import { cutSlabs, haloOverhead } from './slabs.ts';
import { splitTask } from './split.ts';

/**
 * Work below which a split does not pay: voxels x (2 x halo + 1), the slices one output slice
 * reads. 2^24 is the 256 x 256 x 130 head with a halo of 1 (a 3x3x3 median, ~150 ms on one
 * worker here) and up; a halo of 0 (a Gaussian of radius factor 0 is a copy) never reaches it
 * on that head, and neither does a 128^3 median (~30 ms), whose slab copies would eat the gain.
 */
export const MIN_SPLIT_WORK = 2 ** 24;

/** Halo slices read beyond the volume, as a fraction of it, above which two slabs are not worth it. */
const MAX_HALO_OVERHEAD = 1;

function volumeOf(input: unknown): { volume: Volume; params: Record<string, unknown> } | null {
  if (typeof input !== 'object' || input === null || !('volume' in input)) return null;
  const { volume, ...params } = input as { volume: Volume } & Record<string, unknown>;
  return { volume, params };
}

/** The work a task of `op` on `input` stands for, or null if it cannot be split. */
export function splitWork(op: string, input: unknown): number | null {
  const found = volumeOf(input);
  if (!found) return null;
  try {
    checkVolume(found.volume);
    const { halo } = splitReach(op, found.params);
    const [nx, ny, nz] = found.volume.dimensions;
    if (nz < 2 || haloOverhead(cutSlabs(nz, halo, 2), nz) > MAX_HALO_OVERHEAD) return null;
    return nx * ny * nz * found.volume.components * (2 * halo + 1);
  } catch {
    // An unknown op or bad parameters: the task runs whole, and its worker says what is wrong.
    return null;
  }
}

export const volumeSplitter: TaskSplitter = {
  accepts(op, input) {
    const work = splitWork(op, input);
    return work !== null && work >= MIN_SPLIT_WORK;
  },
  work: taskWork,
  run(pool: Pool, op: string, input: unknown, parts: number, options: SplitRun): Promise<unknown> {
    const found = volumeOf(input)!;
    // Called from the pool's dispatch: splitVolume queues its first slab before it first waits.
    return splitTask(
      pool,
      op,
      { ...found.params, volume: found.volume },
      {
        signal: options.signal,
        priority: options.priority,
        label: options.label,
        workers: parts,
        shares: options.shares,
        runSlab: options.runSlab,
        // Shared voxels may be read by other threads: never written over.
        inPlace: options.inPlace && !isShared(found.volume.data.buffer),
      },
    );
  },
};
