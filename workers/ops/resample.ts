/**
 * Downsampling and resampling with itk-wasm's `@itk-wasm/downsample` pipelines (ITK's own
 * filters: the output grid, origin shift included, is what ITK computes), run in this worker's
 * thread (`webWorker: false`), from the staged pipelines.
 */
import type { Image } from 'itk-wasm';
import { defineOp, InputError, type OpContext } from '../../src/worker/index.ts';
import { itkImageToVolume, volumeToItkImage } from '../../src/data/itk-image.ts';
import { checkDimensions, checkVolume, refuseNaN } from '../../src/data/validate.ts';
import { PIXEL_ARRAYS, pixelTypeOf, type PixelType, type Vec3, type Volume } from '../../src/data/volume.ts';
import { itkPackage, pipelineLoadFailed, unshared } from '../../wasm/itk/worker.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs, type Interpolator } from '../specs.ts';

const downsampling = itkPackage('downsample', () => import('@itk-wasm/downsample'));

export interface DownsampleInput {
  volume: Volume;
  /** Whole shrink factor per axis i, j, k (1 keeps an axis). */
  factors: Vec3;
  /**
   * `gaussian` (default): Gaussian anti-aliasing matched to each factor, then subsampling.
   * `bin`: each output voxel is the mean of its factor-sized bin (ITK's BinShrinkImageFilter).
   */
  method?: 'gaussian' | 'bin';
}

export type { Interpolator };

export interface ResampleInput {
  volume: Volume;
  /** Output spacing (mm). Without `dimensions`, the size is chosen to keep the physical extent. */
  spacing?: Vec3;
  /** Output voxels along i, j, k (default: the input's, or derived from `spacing`). */
  dimensions?: Vec3;
  /**
   * Output origin (centre of voxel 0,0,0, mm). Default: the one that keeps the volume's corner
   * (the outer edge of its first voxel) in place, so the new grid covers the same box. ITK's own
   * default keeps the first voxel's centre, which shifts the box by half the change in spacing.
   */
  origin?: Vec3;
  /** Default `linear`. */
  interpolator?: Interpolator;
  /** Value of output voxels falling outside the input (default 0). */
  defaultValue?: number;
}

function problem(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const INTEGER_RANGE: Partial<Record<PixelType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
};

/**
 * ITK's filters cast each weighted sum to the pixel type with a truncating cast, so an integer
 * constant of -321 comes out of the Gaussian as -319 (every pass lands a hair short and is cut
 * toward zero). Integer volumes that are weighted (not picked) are therefore filtered as floats
 * (float32 holds 8- and 16-bit values exactly, float64 32-bit ones) and rounded back here.
 */
function asFloat(volume: Volume): Volume {
  const wide = volume.data instanceof Int32Array || volume.data instanceof Uint32Array;
  return { ...volume, data: wide ? Float64Array.from(volume.data) : Float32Array.from(volume.data) };
}

function roundBack(out: Volume, type: PixelType): Volume {
  const [lo, hi] = INTEGER_RANGE[type]!;
  const data = new PIXEL_ARRAYS[type](out.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(hi, Math.max(lo, Math.round(out.data[i]!)));
  return { ...out, data };
}

/**
 * Our Volume as the pipeline's input, and its result back as a plain Volume with `name`.
 * `weighted`: the output voxels are weighted sums of input voxels (see asFloat).
 */
async function runOnVolume(volume: Volume, name: string, weighted: boolean, ctx: OpContext, run: (image: Image) => Promise<Image>): Promise<Volume> {
  ctx.throwIfCancelled();
  const type = pixelTypeOf(volume.data);
  const viaFloat = weighted && type in INTEGER_RANGE;
  let image: Image;
  try {
    image = await run(volumeToItkImage(viaFloat ? asFloat(volume) : volume));
  } catch (e) {
    // The checks above leave only what ITK itself refuses (a pixel type its pipeline lacks...).
    if (pipelineLoadFailed(e)) throw e;
    throw new InputError(`input.volume (${volume.name})`, `was refused by ITK: ${problem(e)}`);
  }
  const out = itkImageToVolume(image, name);
  return viaFloat ? roundBack(out, type) : { ...out, data: unshared(out.data) };
}

export const downsampleVolume = defineOp(async (input: DownsampleInput, ctx): Promise<Volume> => {
  const { volume } = input;
  checkVolume(volume);
  refuseNaN(volume, `input.volume (${volume.name})`);
  const { factors, method } = checkParams(builtinSpecs['volume.downsample'], input);
  const axis = factors.findIndex((f, i) => f > volume.dimensions[i]!);
  if (axis >= 0)
    throw new InputError('input.factors', `factor ${factors[axis]} along axis ${'ijk'[axis]} exceeds the volume's ${volume.dimensions[axis]} voxels`);
  ctx.progress(0, `${method === 'bin' ? 'bin shrink' : 'Gaussian downsample'} by ${factors.join(' x ')}`);
  const shrinkFactors = [...factors];
  const out = await runOnVolume(volume, `${volume.name} (downsampled ${factors.join('x')})`, method === 'gaussian', ctx, async (image) =>
    method === 'bin'
      ? (await (await downsampling()).downsampleBinShrink(image, { shrinkFactors, webWorker: false })).downsampled
      : (await (await downsampling()).downsample(image, { shrinkFactors, webWorker: false })).downsampled,
  );
  ctx.progress(1, `${out.dimensions.join(' x ')} voxels of ${out.spacing.map((s) => +s.toFixed(4)).join(' x ')} mm`);
  return out;
});

/** The origin of a grid of `spacing` whose first voxel's outer corner is the volume's. */
export function keepCorner(volume: Volume, spacing: Vec3): Vec3 {
  const origin: Vec3 = [...volume.origin];
  for (let a = 0; a < 3; a++) {
    const shift = (spacing[a]! - volume.spacing[a]!) / 2;
    for (let w = 0; w < 3; w++) origin[w] = origin[w]! + volume.direction[3 * a + w]! * shift;
  }
  return origin;
}

export const resampleVolume = defineOp(async (input: ResampleInput, ctx): Promise<Volume> => {
  const { volume } = input;
  checkVolume(volume);
  refuseNaN(volume, `input.volume (${volume.name})`);
  const { interpolator } = checkParams(builtinSpecs['volume.resample'], input);
  const spacing = input.spacing ?? volume.spacing;
  // Without a size, as many voxels of the new spacing as cover the input's extent.
  const size = input.dimensions ?? (volume.dimensions.map((n, a) => Math.max(1, Math.round((n * volume.spacing[a]!) / spacing[a]!))) as Vec3);
  checkDimensions(size, input.dimensions ? 'input.dimensions' : 'input.spacing (the output grid it gives)');
  const origin = input.origin ?? keepCorner(volume, spacing);
  ctx.progress(0, `resample (${interpolator}) to ${size.join(' x ')} voxels of ${spacing.join(' x ')} mm`);
  const out = await runOnVolume(
    volume,
    `${volume.name} (resampled)`,
    interpolator !== 'nearest_neighbor' && interpolator !== 'label_image',
    ctx,
    async (image) =>
      (
        await (
          await downsampling()
        ).resample(image, {
          webWorker: false,
          interpolator,
          outputSpacing: [...spacing],
          size: [...size],
          outputOrigin: [...origin],
          ...(input.defaultValue !== undefined && { defaultValue: input.defaultValue }),
        })
      ).output,
  );
  ctx.progress(1, `${out.dimensions.join(' x ')} voxels of ${out.spacing.map((s) => +s.toFixed(4)).join(' x ')} mm`);
  return out;
});
