/**
 * The head phantom made in a worker: 8.5 million voxels of noise and tissue take the page's
 * main thread seconds, during which a page could not answer a click. Here it is one more task.
 */
import { defineOp, InputError } from '../../src/worker/index.ts';
import { makeHeadPhantom, type HeadPhantomOptions } from '../../src/data/phantom.ts';
import type { Volume } from '../../src/data/volume.ts';

const MAX_VOXELS = 2 ** 28;

export const headPhantom = defineOp((input: HeadPhantomOptions | null | undefined, ctx): Volume => {
  const options = input ?? {};
  const dims = options.dimensions;
  if (dims !== undefined) {
    if (!Array.isArray(dims) || dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d > 0)) {
      throw new InputError('input.dimensions', `must be three whole numbers > 0 (got ${JSON.stringify(dims)})`);
    }
    if (dims[0] * dims[1] * dims[2] > MAX_VOXELS) throw new InputError('input.dimensions', `${dims.join(' x ')} is more than ${MAX_VOXELS} voxels`);
  }
  const spacing = options.spacing;
  if (spacing !== undefined && (!Array.isArray(spacing) || spacing.length !== 3 || !spacing.every((s) => Number.isFinite(s) && s > 0))) {
    throw new InputError('input.spacing', `must be three finite numbers > 0 (got ${JSON.stringify(spacing)})`);
  }
  for (const key of ['seed', 'noise'] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new InputError(`input.${key}`, `must be a finite number >= 0 (got ${v})`);
  }
  ctx.progress(0, 'making the head phantom');
  const volume = makeHeadPhantom(options);
  ctx.progress(1);
  return volume;
});
