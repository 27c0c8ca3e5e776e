/**
 * Grayscale morphology (dilate, erode, open, close) with voxpool's own SIMD wasm kernel: max or
 * min over a box or ball clipped to the image (src/kernels/morphology-reference.ts). A binary
 * volume is the special case of two grey levels.
 */
import { defineOp, InputError } from '../../src/worker/index.ts';
import type { Vec3, Volume } from '../../src/data/volume.ts';
import { radius3 } from '../../src/kernels/reach.ts';
import type { ElementShape } from '../../src/kernels/structuring.ts';
import type { MorphologyOperation } from '../../src/kernels/morphology-reference.ts';
import { kernels } from '../engines/kernels.ts';
import { morphologyKernel } from '../engines/kernel-calls.ts';
import { checkOutputSlices, checkScalarVolume, sliceProgress, withSliceVoxels, type OutputSlicesOption } from './scalar-volume.ts';

export interface MorphologyInput extends OutputSlicesOption {
  volume: Volume;
  /** Radius in voxels, one for all axes or per axis (i, j, k): whole numbers from 0 to 64. */
  radius: number | Vec3;
  /** Structuring element (default 'box'). */
  shape?: ElementShape;
}

function checkRadius(radius: unknown): Vec3 {
  const ok = (r: unknown): r is number => Number.isInteger(r) && (r as number) >= 0 && (r as number) <= 64;
  if (ok(radius)) return radius3(radius);
  if (Array.isArray(radius) && radius.length === 3 && radius.every(ok)) return radius3(radius as Vec3);
  throw new InputError('input.radius', `must be a whole number from 0 to 64, or three of them (got ${JSON.stringify(radius)})`);
}

function morphologyOp(operation: MorphologyOperation) {
  return defineOp(async (input: MorphologyInput, ctx): Promise<Volume> => {
    const { volume } = input;
    checkScalarVolume(volume, `${operation}`);
    const slices = checkOutputSlices(input.outputSlices, volume);
    const radius = checkRadius(input.radius);
    const shape = input.shape ?? 'box';
    if (shape !== 'box' && shape !== 'ball') throw new InputError('input.shape', `must be 'box' or 'ball' (got ${JSON.stringify(shape)})`);
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
