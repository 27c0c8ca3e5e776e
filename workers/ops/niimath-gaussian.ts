/**
 * Gaussian smoothing with the standard deviation in millimetres (niimath `-s`, fslmaths'
 * semantics): each axis gets sigma / spacing voxels, so anisotropic voxels are smoothed
 * isotropically in space.
 */
import { defineOp } from '../../src/worker/index.ts';
import type { Volume } from '../../src/data/volume.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs } from '../specs.ts';
import { checkNiimathVolume, niimathVoxels, arg } from './niimath-support.ts';
import { withVoxels } from './scalar-volume.ts';

export interface GaussianInput {
  volume: Volume;
  /** Standard deviation in mm (world units), > 0. */
  sigma: number;
}

export const gaussian = defineOp(async (input: GaussianInput, ctx): Promise<Volume> => {
  const { volume } = input;
  checkNiimathVolume(volume);
  const { sigma } = checkParams(builtinSpecs['volume.gaussian'], input);
  ctx.progress(0, `sigma ${sigma} mm`);
  // niimath smooths in float32; integer voxels go back to the input's type (-odt input).
  const data = await niimathVoxels(volume, ['-s', arg(sigma)], ctx);
  ctx.progress(1);
  return withVoxels(volume, data, `${volume.name} (Gaussian ${sigma} mm)`);
});
