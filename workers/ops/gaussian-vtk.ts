/**
 * The Slicer volume demo's filter: vtkImageGaussianSmooth (standard deviation in voxels, radius
 * factor), with VTK's own semantics, run by voxpool's own SIMD wasm kernel. Its output equals the
 * TypeScript reference (test/kernels/reference/gaussian.ts) voxel for voxel.
 */
import { defineOp } from '../../src/worker/index.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { gaussianVtkSpec } from '../specs.ts';
import type { Volume } from '../../src/data/volume.ts';
import { kernels } from '../../wasm/kernels/worker.ts';
import { gaussianVtkKernel } from '../../wasm/kernels/calls.ts';
import { checkOutputSlices, checkScalarVolume, sliceProgress, withSliceVoxels, type OutputSlicesOption } from './scalar-volume.ts';

export interface GaussianVtkInput extends OutputSlicesOption {
  volume: Volume;
  /** Standard deviation in voxels (VTK's default is 2). */
  std?: number;
  /** The kernel reaches (int)(std * radiusFactor) voxels each way; 0 copies the input. */
  radiusFactor: number;
}

export const gaussianVtk = defineOp(async (input: GaussianVtkInput, ctx): Promise<Volume> => {
  const { volume } = input;
  checkScalarVolume(volume, 'this filter');
  const slices = checkOutputSlices(input.outputSlices, volume);
  const { std, radiusFactor } = checkParams(gaussianVtkSpec, input);
  ctx.progress(0, `std ${std} voxels, radius factor ${radiusFactor}`);
  const k = await kernels();
  ctx.throwIfCancelled();
  const data = gaussianVtkKernel(k, volume.data, volume.dimensions, std, radiusFactor, sliceProgress(ctx), slices);
  ctx.progress(1);
  return withSliceVoxels(volume, slices, data, `${volume.name} (Gaussian std ${std}, r=${radiusFactor})`);
});
