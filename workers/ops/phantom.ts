/**
 * The head phantom made in a worker: 8.5 million voxels of noise and tissue take the page's
 * main thread seconds, during which a page could not answer a click. Here it is one more task.
 */
import { defineOp } from '../../src/worker/index.ts';
import { makeHeadPhantom, type HeadPhantomOptions } from '../../src/data/phantom.ts';
import type { Volume } from '../../src/data/volume.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs } from '../specs.ts';

export const headPhantom = defineOp((input: HeadPhantomOptions | null | undefined, ctx): Volume => {
  const options = checkParams(builtinSpecs['volume.phantom'], input ?? {});
  ctx.progress(0, 'making the head phantom');
  const volume = makeHeadPhantom(options);
  ctx.progress(1);
  return volume;
});
