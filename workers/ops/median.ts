/**
 * 3D median (vtkImageMedian3D semantics, see test/kernels/reference/median.ts) with voxpool's
 * own SIMD wasm kernel: there is no itk-wasm median on the registry, and niimath's takes ~30 s
 * on the demo head.
 */
import { defineOp } from '../../src/worker/index.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import type { Vec3, Volume } from '../../src/data/volume.ts';
import { medianSpec } from '../specs.ts';
import { kernels } from '../../wasm/kernels/worker.ts';
import { medianKernel } from '../../wasm/kernels/calls.ts';
import { checkOutputSlices, checkScalarVolume, sliceProgress, withSliceVoxels, type OutputSlicesOption } from './scalar-volume.ts';

export interface MedianInput extends OutputSlicesOption {
  volume: Volume;
  /** Neighbourhood size in voxels along i, j, k: odd, 1 to 99 (default 3 x 3 x 3). */
  kernelSize?: Vec3;
}

export const median = defineOp(async (input: MedianInput, ctx): Promise<Volume> => {
  const { volume } = input;
  checkScalarVolume(volume, 'the median');
  const slices = checkOutputSlices(input.outputSlices, volume);
  const { kernelSize } = checkParams(medianSpec, input);
  ctx.progress(0, `median ${kernelSize.join(' x ')}`);
  const k = await kernels();
  ctx.throwIfCancelled();
  const data = medianKernel(k, volume.data, volume.dimensions, kernelSize, sliceProgress(ctx), slices);
  ctx.progress(1);
  return withSliceVoxels(volume, slices, data, `${volume.name} (median ${kernelSize.join('x')})`);
});
