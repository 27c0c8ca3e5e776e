/**
 * Threshold and binarize with niimath (`-thr`, `-uthr`, `-bin`, `-add`), inclusive bounds.
 * niimath compares in float32, so the bounds are first moved to the float32 values that select
 * exactly the same voxels (a voxel is float32-exact here: see checkNiimathVolume).
 */
import { defineOp, InputError, type OpContext } from '../../src/worker/index.ts';
import { decodeNifti1 } from '../../src/data/nifti1.ts';
import { PIXEL_ARRAYS, pixelTypeOf, type Volume } from '../../src/data/volume.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs } from '../specs.ts';
import { checkNiimathVolume, niimathVoxels, runNiimath, arg } from './niimath-support.ts';
import { withVoxels } from './scalar-volume.ts';

export interface RangeInput {
  volume: Volume;
  /** Voxels >= lower and <= upper are inside. */
  lower: number;
  upper: number;
}

export interface ThresholdInput extends RangeInput {
  /** Value of the voxels outside [lower, upper]; default 0. Must fit the volume's pixel type. */
  background?: number;
}

function checkRange(input: RangeInput): void {
  checkNiimathVolume(input.volume);
  // threshold and binarize declare the same range
  checkParams(builtinSpecs['volume.threshold'], input);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The next float32 after `f` (a float32 value) towards +∞ or -∞. */
function nextFloat32(f: number, up: boolean): number {
  if (f === 0) return up ? 2 ** -149 : -(2 ** -149);
  f32[0] = f;
  u32[0] = u32[0]! + (f > 0 === up ? 1 : -1);
  return f32[0];
}

/** Smallest float32 >= x: for float32 voxels v, v >= x exactly when v >= it. */
function float32AtLeast(x: number): number {
  const f = Math.fround(x);
  return f < x ? nextFloat32(f, true) : f;
}

/** Largest float32 <= x. */
function float32AtMost(x: number): number {
  const f = Math.fround(x);
  return f > x ? nextFloat32(f, false) : f;
}

/** `-thr lower -uthr upper`, bounds moved to float32 values selecting the same voxels. */
function bounds(input: RangeInput): string[] {
  return ['-thr', arg(float32AtLeast(input.lower)), '-uthr', arg(float32AtMost(input.upper))];
}

/**
 * The inside of [lower, upper] as a uint8 NIfTI mask made by niimath. `-thr`/`-uthr` zero what
 * is outside; `-bin` and `-binv` test > 0 and <= 0 (fslmaths' rules), so the kept values go
 * through `-abs` first, and when 0 is inside the range the zero voxels (`-abs -binv`), which
 * look like outside after thresholding, are added back with `-max`.
 */
async function rangeMask(input: RangeInput, ctx: OpContext): Promise<Uint8Array<ArrayBuffer>> {
  const select = [...bounds(input), '-abs', '-bin'];
  if (!(input.lower <= 0 && 0 <= input.upper)) return runNiimath(input.volume, select, ctx, { odt: 'char' });
  const zeros = await runNiimath(input.volume, ['-abs', '-binv'], ctx, { odt: 'char' });
  return runNiimath(input.volume, [...select, '-max', 'zeros.nii'], ctx, { odt: 'char', extra: { 'zeros.nii': zeros } });
}

export const binarize = defineOp(async (input: RangeInput, ctx): Promise<Volume> => {
  checkRange(input);
  ctx.progress(0, `[${input.lower}, ${input.upper}] -> 1`);
  const { data } = decodeNifti1(await rangeMask(input, ctx));
  ctx.progress(1);
  return withVoxels(input.volume, data, `${input.volume.name} (binarized ${input.lower}..${input.upper})`);
});

export const threshold = defineOp(async (input: ThresholdInput, ctx): Promise<Volume> => {
  checkNiimathVolume(input.volume);
  const { background } = checkParams(builtinSpecs['volume.threshold'], input);
  const type = pixelTypeOf(input.volume.data);
  if (PIXEL_ARRAYS[type].of(background)[0] !== background || Math.fround(background) !== background) {
    throw new InputError('input.background', `${background} does not fit the volume's ${type} voxels`);
  }
  ctx.progress(0, `keep [${input.lower}, ${input.upper}], background ${background}`);
  // -thr/-uthr zero what is outside and leave the rest as it is: with background 0, that is all.
  const ops = bounds(input);
  const extra: Record<string, Uint8Array> = {};
  if (background !== 0) {
    // Then + background x (1 - mask): each voxel gets v + 0 or 0 + background, exactly.
    const mask = await rangeMask(input, ctx);
    extra['background.nii'] = await runNiimath(input.volume, ['-mul', '0', '-add', 'mask.nii', '-binv', '-mul', arg(background)], ctx, {
      odt: 'flt',
      extra: { 'mask.nii': mask },
    });
    ops.push('-add', 'background.nii');
  }
  const data = await niimathVoxels(input.volume, ops, ctx, { extra });
  ctx.progress(1);
  return withVoxels(input.volume, data, `${input.volume.name} (threshold ${input.lower}..${input.upper})`);
});
