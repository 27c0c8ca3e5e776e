/**
 * One volume filter on every worker of a pool: the volume is cut into slabs along k (the slowest
 * axis, so a slab is one contiguous run of memory), each with a halo as wide as the filter
 * reaches, each slab a task; the cores of the results are stitched into one Volume equal voxel
 * for voxel to the unsplit filter.
 */
import type { Pool } from '../pool/pool.ts';
import { CancelledError, InputError, PoolTerminatedError } from '../core/errors.ts';
import { isShared } from '../core/transfer.ts';
import type { RunOptions, TaskProgress } from '../core/task.ts';
import type { InputOf, OpName, OpRegistry, OutputOf } from '../core/op.ts';
import { checkVolume } from '../data/validate.ts';
import { sliceRange, type PixelArray, type Volume } from '../data/volume.ts';
import { SlabFailedError } from './errors.ts';
import { splitReach } from './reach.ts';
import { planSlabs, type Slab } from './slabs.ts';
import { slabBuffersOf, touchPages, type SlabBuffers } from './slab-buffers.ts';

/** Ops of registry R that take `{ volume, ...params }` and give a Volume: the ones a split can serve. */
export type VolumeOpName<R extends OpRegistry> = {
  [K in OpName<R>]: InputOf<R[K]> extends { volume: Volume } ? (OutputOf<R[K]> extends Volume ? K : never) : never;
}[OpName<R>];

export interface SplitOptions {
  /** Cancels every slab task; the split rejects with CancelledError. */
  signal?: AbortSignal;
  /** Progress of the whole split: slab progress weighted by slab size. */
  onProgress?: (progress: TaskProgress) => void;
  /** Slabs to cut (default: one per worker at least, more while halos stay cheap; see planSlabs). */
  slabs?: number;
  /**
   * Relative sizes of the slabs' cores, in order (overrides `slabs` and `workers`): the pool's
   * auto split cuts a task unevenly so that workers still busy with other tasks end with it.
   */
  shares?: readonly number[];
  /** Workers to plan the slabs for (default the pool's size; the pool's auto split gives the idle ones). */
  workers?: number;
  /** Halo override: slices along k one output voxel depends on (needed for ops without a known reach). */
  reach?: number;
  /** Halo slices allowed, as a fraction of the volume, when adding slabs for balance. Default 0.05. */
  maxOverhead?: number;
  /** Priority of every slab task. */
  priority?: number;
  /**
   * Queues one slab task (default `pool.run`). The pool's auto split passes its own, which queues
   * the slabs in the split task's place, ahead of tasks queued after it.
   */
  runSlab?: (op: string, input: unknown, options: RunOptions) => Promise<unknown>;
  /** Estimated peak bytes of one slab task (default: the op's memory factor x the slab's input bytes). */
  memoryPerSlab?: number;
  /** Names the slab tasks in the monitor ("label 2/4"); default the op name. */
  label?: string;
  /** Told how the volume was cut, before any slab is sent. */
  onPlan?: (info: SplitInfo) => void;
  /**
   * Write the result over the input volume's own voxel array (default false: a new array).
   * Saves allocating and first touching a second volume, which on some machines costs as much
   * as a fast filter (about 3 ms per MB on the VMs voxpool is benchmarked on). The input is
   * overwritten only once every slab has succeeded; a failed or cancelled split leaves it as it
   * was. Needs an op whose output has the input's pixel type, and an array not shared with
   * other threads.
   */
  inPlace?: boolean;
  /**
   * Cut slabs into buffers kept from this pool's earlier splits, and keep this split's for the
   * next (default true; see slab-buffers.ts). False cuts into fresh memory and keeps nothing.
   */
  reuseBuffers?: boolean;
}

/** What a split did, for people and benchmarks. */
export interface SplitInfo {
  slabs: readonly Slab[];
  halo: number;
}

/**
 * Runs `op` on `input.volume` split into slabs across `pool`'s workers, and stitches the result.
 * The caller's volume is only read (each slab is a fresh copy that moves to its worker), so it
 * stays usable. Bad parameters and volumes are refused with an InputError before any slab is cut;
 * a failing slab rejects the whole with its InputError (naming its slices) or a SlabFailedError,
 * and cancels the others.
 */
export function splitVolume<R extends OpRegistry, K extends VolumeOpName<R>>(
  pool: Pool<R>,
  op: K,
  input: InputOf<R[K]>,
  options: SplitOptions = {},
): Promise<Volume> {
  return splitTask(pool, op, input as { volume: Volume } & Record<string, unknown>, options);
}

/** splitVolume without the registry's types: what the pool's auto split calls with a task it holds. */
export async function splitTask(pool: Pool, op: string, input: { volume: Volume } & Record<string, unknown>, options: SplitOptions = {}): Promise<Volume> {
  const { volume, ...params } = input;
  checkVolume(volume);
  if (options.slabs !== undefined && !(Number.isInteger(options.slabs) && options.slabs >= 1)) {
    throw new InputError('options.slabs', `must be a whole number >= 1 (got ${options.slabs})`);
  }
  const { halo, memoryFactor, outputSlices } = splitReach(op, params, options.reach);
  if (options.inPlace && isShared(volume.data.buffer)) {
    throw new InputError(
      'options.inPlace',
      "the volume's voxels are in a SharedArrayBuffer, which other threads may be reading; split it into a new array instead",
    );
  }
  if (options.signal?.aborted) throw new CancelledError('Split was cancelled before it started', options.signal.reason);

  const [nx, ny, nz] = volume.dimensions;
  const sliceValues = nx * ny * volume.components;
  const plan = planSlabs(nz, halo, { workers: options.workers ?? pool.size, slabs: options.slabs, shares: options.shares, maxOverhead: options.maxOverhead });
  options.onPlan?.({ slabs: plan, halo });

  // One controller for all slab tasks: the caller's abort and a failing slab both pull it.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const fractions = new Float64Array(plan.length);
  const weights = plan.map((s) => (s.inputEnd - s.inputStart) / plan.reduce((n, t) => n + t.inputEnd - t.inputStart, 0));
  let finished = 0;
  const report = (): void => {
    if (!options.onProgress) return;
    let fraction = 0;
    for (let i = 0; i < plan.length; i++) fraction += weights[i]! * fractions[i]!;
    options.onProgress({ fraction, message: `${finished} of ${plan.length} slabs` });
  };

  // Untyped here (any registry's op): splitVolume checked op and input against the registry.
  const runSlab = options.runSlab ?? ((slabOp: string, slabInput: unknown, o: RunOptions) => pool.run(slabOp, slabInput as never, o));
  const buffers = options.reuseBuffers === false ? null : slabBuffersOf(pool);
  // A slab's buffer is free once its result is stitched (the kernels write their output over their input).
  const recycle = (data: PixelArray): void => {
    if (buffers && !isShared(data.buffer)) buffers.give(data.buffer);
  };
  let output: PixelArray | null = options.inPlace ? volume.data : null;
  let first: Volume | null = null;
  // In place, the cores wait here until every slab has succeeded, so a failure leaves the input whole.
  const held: { slab: Slab; data: PixelArray; from: number }[] = [];
  const stitch = (slab: Slab, data: PixelArray, from: number): void => {
    output!.set(data.subarray(from, from + (slab.coreEnd - slab.coreStart) * sliceValues), slab.coreStart * sliceValues);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (error: Error): void => {
        if (failed) return;
        failed = true;
        controller.abort(new CancelledError('Another slab of the split failed', error));
        reject(error);
      };
      const start = (slab: Slab): void => {
        const slabInput: Record<string, unknown> = { ...params, volume: cutSlab(volume, slab, sliceValues, buffers) };
        // Only the slab's own slices are computed and come back; its halo is context.
        if (outputSlices) slabInput.outputSlices = [slab.coreStart - slab.inputStart, slab.coreEnd - slab.inputStart];
        const bytes = (slabInput.volume as Volume).data.byteLength;
        runSlab(op, slabInput, {
          signal: controller.signal,
          priority: options.priority,
          label: `${options.label ?? op} ${slab.index + 1}/${plan.length}`,
          memory: options.memoryPerSlab ?? memoryFactor * bytes,
          onProgress: (p) => {
            fractions[slab.index] = p.fraction;
            report();
          },
        })
          .then((result) => {
            if (failed) return;
            const out = result as Volume;
            const problem = checkSlabResult(out, slab, volume, outputSlices, output, options.inPlace === true);
            if (problem) return fail(new SlabFailedError(op, slab.index, plan.length, [slab.coreStart, slab.coreEnd], problem));
            if (slab.coreStart === 0) first = out;
            const from = outputSlices ? 0 : (slab.coreStart - slab.inputStart) * sliceValues;
            if (options.inPlace) {
              held.push({ slab, data: out.data, from });
            } else {
              output ??= new (out.data.constructor as new (n: number) => PixelArray)(nz * sliceValues);
              stitch(slab, out.data, from);
              recycle(out.data);
            }
            fractions[slab.index] = 1;
            finished++;
            report();
            if (finished === plan.length) resolve();
            else void feed();
          })
          .catch((e: unknown) => {
            if (failed) return;
            fail(slabError(op, slab, plan.length, e, options.signal));
          });
      };
      // Slabs are cut as the pool can take them, at most `ahead` waiting or running: the first
      // slab starts while the next is being cut, and the page never holds a copy of every slab.
      const ahead = Math.max(2, 2 * pool.size);
      let next = 0;
      let feeding = false;
      const feed = async (): Promise<void> => {
        if (feeding) return;
        feeding = true;
        while (!failed && next < plan.length && next - finished < ahead) {
          start(plan[next++]!);
          await null; // the pool dispatches (a microtask) before the next slab is cut
        }
        feeding = false;
        // All sent: make the new output now (the kernel ops keep the pixel type) and pay for its
        // fresh pages while the workers compute.
        if (next === plan.length && !output && outputSlices && !failed) {
          output = new (volume.data.constructor as new (n: number) => PixelArray)(nz * sliceValues);
          void touchPages(output, () => failed || finished === plan.length);
        }
      };
      void feed();
    });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  for (const h of held) {
    stitch(h.slab, h.data, h.from);
    recycle(h.data);
  }
  const head = first as Volume | null;
  if (!head || !output) throw new Error('splitVolume: no slab covered the first slice'); // cannot happen: slab 0 starts at 0
  // The geometry is the input's: slab 0's result sits at the input's origin.
  return { ...head, data: output, dimensions: [nx, ny, nz] };
}

/**
 * The slab's slices as a Volume of their own (a copy: it moves to the worker), placed where they
 * sit in space; copied into a kept buffer when `buffers` has one.
 */
function cutSlab(volume: Volume, slab: Slab, sliceValues: number, buffers: SlabBuffers | null): Volume {
  const from = slab.inputStart * sliceValues;
  const to = slab.inputEnd * sliceValues;
  const Ctor = volume.data.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => PixelArray;
  const kept = buffers?.take((to - from) * volume.data.BYTES_PER_ELEMENT);
  let data: PixelArray;
  if (kept) {
    data = new Ctor(kept, 0, to - from);
    data.set(volume.data.subarray(from, to) as never);
  } else {
    data = volume.data.slice(from, to);
  }
  return sliceRange(volume, slab.inputStart, slab.inputEnd, data);
}

/**
 * Why a slab's result cannot be stitched, or null: it must be the slab's grid (or its own slices
 * alone, when the op was asked for those), in one pixel type for all slabs (the input's, in place).
 */
function checkSlabResult(out: Volume, slab: Slab, volume: Volume, ownSlices: boolean, output: PixelArray | null, inPlace: boolean): string | null {
  const [nx, ny] = volume.dimensions;
  const depth = ownSlices ? slab.coreEnd - slab.coreStart : slab.inputEnd - slab.inputStart;
  const dims = out?.dimensions;
  if (!dims || dims[0] !== nx || dims[1] !== ny || dims[2] !== depth) {
    return `the result's dimensions (${dims?.join(' x ')}) are not the slab's (${nx} x ${ny} x ${depth}): an op that changes the grid cannot be split`;
  }
  if (!ArrayBuffer.isView(out.data) || out.data.length !== nx * ny * depth * out.components || out.components !== volume.components) {
    return 'the result does not hold one value per voxel and component of the slab';
  }
  if (output && output.constructor !== out.data.constructor) {
    return inPlace
      ? `the op gives ${out.data.constructor.name} voxels for ${output.constructor.name} ones, so its result cannot be written in place`
      : `slabs came back in different pixel types (${output.constructor.name}, ${out.data.constructor.name})`;
  }
  return null;
}

/** A slab's failure as the split's: cancellation and bad input keep their classes, the rest names the slab. */
function slabError(op: string, slab: Slab, slabs: number, e: unknown, signal: AbortSignal | undefined): Error {
  if (e instanceof CancelledError) {
    return signal?.aborted ? new CancelledError('Split was cancelled', signal.reason) : e;
  }
  const where = `slices ${slab.coreStart}..${slab.coreEnd - 1} (slab ${slab.index + 1} of ${slabs})`;
  if (e instanceof InputError) return new InputError(`${e.input}, ${where}`, e.problem);
  if (e instanceof PoolTerminatedError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new SlabFailedError(op, slab.index, slabs, [slab.coreStart, slab.coreEnd], message, e);
}
