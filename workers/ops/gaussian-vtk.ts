/**
 * The Slicer volume demo's filter: vtkImageGaussianSmooth (standard deviation in voxels, radius
 * factor), with VTK's own semantics (see src/kernels/reference.ts). Runs the TypeScript kernel
 * for now; an AssemblyScript SIMD build of the same kernel is the planned speed-up.
 */
import { defineOp, InputError } from '../../src/worker/index.ts';
import { gaussianVtkReference } from '../../src/kernels/reference.ts';
import type { Volume } from '../../src/data/volume.ts';
import { checkVolume } from '../../src/data/validate.ts';

export interface GaussianVtkInput {
  volume: Volume;
  /** Standard deviation in voxels (VTK's default is 2). */
  std?: number;
  /** The kernel reaches (int)(std * radiusFactor) voxels each way; 0 copies the input. */
  radiusFactor: number;
}

export const gaussianVtk = defineOp((input: GaussianVtkInput, ctx): Volume => {
  const { volume, radiusFactor } = input;
  const std = input.std ?? 2;
  checkVolume(volume);
  if (!(Number.isFinite(std) && std >= 0)) throw new InputError('input.std', `must be a finite number >= 0 (got ${std})`);
  if (!(Number.isFinite(radiusFactor) && radiusFactor >= 0)) throw new InputError('input.radiusFactor', `must be a finite number >= 0 (got ${radiusFactor})`);
  if (volume.components !== 1) throw new InputError(`input.volume (${volume.name})`, `has ${volume.components} components; this filter takes scalar volumes`);
  ctx.progress(0, `std ${std} voxels, radius factor ${radiusFactor}`);
  ctx.throwIfCancelled();
  const data = gaussianVtkReference(volume.data, volume.dimensions, std, radiusFactor);
  ctx.progress(1);
  return {
    ...volume,
    name: `${volume.name} (Gaussian std ${std}, r=${radiusFactor})`,
    data,
    dimensions: [...volume.dimensions],
    spacing: [...volume.spacing],
    origin: [...volume.origin],
    direction: [...volume.direction],
  };
});
