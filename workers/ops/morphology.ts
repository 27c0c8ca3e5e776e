/**
 * Grayscale morphology (dilate, erode, open, close) with voxpool's own SIMD wasm kernel: max or
 * min over a box or ball clipped to the image (test/kernels/reference/morphology.ts). A binary
 * volume is the special case of two grey levels.
 */
import { defineOp } from '../../src/worker/index.ts';
import { checkParams, perAxis } from '../../src/core/op-spec.ts';
import type { Vec3, Volume } from '../../src/data/volume.ts';
import { builtinSpecs } from '../specs.ts';
import type { ElementShape, MorphologyOperation } from '../../wasm/kernels/structuring.ts';
import { kernels } from '../../wasm/kernels/worker.ts';
import { morphologyKernel } from '../../wasm/kernels/calls.ts';
import { checkOutputSlices, checkScalarVolume, sliceProgress, withSliceVoxels, type OutputSlicesOption } from './scalar-volume.ts';

export interface MorphologyInput extends OutputSlicesOption {
  volume: Volume;
  /** Radius in voxels, one for all axes or per axis (i, j, k): whole numbers from 0 to 64. */
  radius: number | Vec3;
  /** Structuring element (default 'box'). */
  shape?: ElementShape;
}

function morphologyOp(operation: MorphologyOperation) {
  const spec = builtinSpecs[`volume.${operation}`];
  return defineOp(async (input: MorphologyInput, ctx): Promise<Volume> => {
    const { volume } = input;
    checkScalarVolume(volume, `${operation}`);
    const slices = checkOutputSlices(input.outputSlices, volume);
    const checked = checkParams(spec, input);
    const radius: Vec3 = perAxis(checked.radius);
    const { shape } = checked;
    ctx.progress(0, `${operation} ${shape} radius ${radius.join(', ')}`);
    const k = await kernels();
    ctx.throwIfCancelled();
    const data = morphologyKernel(k, operation, volume.data, volume.dimensions, radius, shape, sliceProgress(ctx), slices);
    ctx.progress(1);
    return withSliceVoxels(volume, slices, data, `${volume.name} (${operation} ${shape} ${radius.join(',')})`);
  });
}

export const dilate = morphologyOp('dilate');
export const erode = morphologyOp('erode');
export const open = morphologyOp('open');
export const close = morphologyOp('close');
