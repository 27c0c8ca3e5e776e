/**
 * Image registration with elastix (`@itk-wasm/elastix`: elastix 5 built to WebAssembly), run in
 * this worker's thread (`webWorker: false`; its public function takes that option, so no worker
 * function is needed), pipelines from the staged assets. One call blocks this worker for the
 * whole registration (seconds to minutes): the pool's other workers go on.
 *
 * This elastix build prints no log (nothing reaches stdout), so the task's log carries the
 * parameter map used and the transform found instead.
 */
import type { TransformList } from 'itk-wasm';
import { defineOp, InputError } from '../../src/worker/index.ts';
import { itkImageToVolume, volumeToItkImage } from '../../src/data/itk-image.ts';
import { checkVolume, refuseNaN } from '../../src/data/validate.ts';
import type { Volume } from '../../src/data/volume.ts';
import { itkPackage, pipelineLoadFailed, unshared } from '../../wasm/itk/worker.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs, REGISTRATION_TRANSFORMS, type RegistrationTransform } from '../specs.ts';

const elastixPackage = itkPackage('elastix', () => import('@itk-wasm/elastix'));

export { REGISTRATION_TRANSFORMS, type RegistrationTransform };

/** An elastix parameter map: every value is a list of strings, as in its text parameter files. */
export type ParameterMap = Record<string, string[]>;

export interface RegisterInput {
  /** The reference: the result is on its grid. */
  fixed: Volume;
  /** The volume to move onto `fixed`. */
  moving: Volume;
  /** Which of elastix's default parameter maps to start from. */
  transform: RegistrationTransform;
  /** Optimizer iterations per resolution (elastix's MaximumNumberOfIterations; default 256). */
  iterations?: number;
  /** Levels of the smoothing pyramid, coarse to fine (default 3). */
  resolutions?: number;
  /** Random samples the metric takes per iteration (NumberOfSpatialSamples; default 2048). */
  samples?: number;
  /** bspline only: control-point spacing at the finest level, mm (elastix's default otherwise). */
  gridSpacing?: number;
  /** Further parameter-map entries, as elastix's parameter files name them; they win over the above. */
  parameters?: ParameterMap;
}

export interface RegistrationTransformResult {
  /** ITK's name of the transform (Translation, Euler3D, Affine, BSpline...). */
  parameterization: string;
  /**
   * ITK parameters of the transform that maps a fixed point (world mm) to the moving point it
   * matches: for a translation, moving = fixed + parameters.
   */
  parameters: number[];
  /** ITK fixed parameters (centre of rotation, B-spline grid). */
  fixedParameters: number[];
}

export interface RegisterOutput {
  /** The moving volume resampled onto the fixed grid (float32: elastix resamples in float). */
  volume: Volume;
  /** The transforms found, applied last to first (ITK composite order). */
  transforms: RegistrationTransformResult[];
  /** elastix's transform parameter maps, to keep or feed to transformix. */
  transformParameterMaps: ParameterMap[];
}

function checkImage(v: Volume, label: string): void {
  checkVolume(v, label);
  const name = v.name && v.name !== label ? `${label} (${v.name})` : label;
  if (v.components !== 1) throw new InputError(name, `has ${v.components} components; registration takes scalar volumes`);
  if (v.dimensions.some((n) => n < 4)) throw new InputError(name, `is too small to register (${v.dimensions.join(' x ')}): at least 4 voxels along each axis`);
  refuseNaN(v, name);
}

/** elastix works in float: other pixel types are converted (float32 input is passed as it is). */
function asFloat32(v: Volume): Volume {
  return v.data instanceof Float32Array ? v : { ...v, data: Float32Array.from(v.data) };
}

function numbers(a: unknown): number[] {
  return ArrayBuffer.isView(a) ? Array.from(a as unknown as ArrayLike<number>, Number) : [];
}

function transformsOf(list: TransformList): RegistrationTransformResult[] {
  return list
    .filter((t) => t.transformType.transformParameterization !== 'Composite')
    .map((t) => ({
      parameterization: t.transformType.transformParameterization,
      parameters: numbers(t.parameters),
      fixedParameters: numbers(t.fixedParameters),
    }));
}

function problem(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const registerVolumes = defineOp(async (input: RegisterInput, ctx): Promise<RegisterOutput> => {
  const { fixed, moving } = input;
  checkImage(fixed, 'input.fixed');
  checkImage(moving, 'input.moving');
  const { transform, resolutions } = checkParams(builtinSpecs['volume.register'], input);
  const extra = input.parameters ?? {};
  const { defaultParameterMap, elastix } = await elastixPackage();
  ctx.progress(0, `elastix ${transform}: parameter map`);
  const { parameterMap } = await defaultParameterMap(transform, {
    webWorker: false,
    numberOfResolutions: resolutions,
    ...(input.gridSpacing !== undefined && { finalGridSpacing: input.gridSpacing }),
  });
  const map: ParameterMap = { ...(parameterMap as ParameterMap) };
  if (input.iterations !== undefined) map.MaximumNumberOfIterations = [String(input.iterations)];
  if (input.samples !== undefined) map.NumberOfSpatialSamples = [String(input.samples)];
  Object.assign(map, extra);
  for (const [key, values] of Object.entries(map))
    ctx.log(`(${key} ${values.map((v) => (/^-?[\d.e+-]+$/.test(v) || v === 'true' || v === 'false' ? v : `"${v}"`)).join(' ')})`);
  ctx.throwIfCancelled();
  ctx.progress(0.05, `elastix ${transform}: ${resolutions} resolutions x ${map.MaximumNumberOfIterations?.[0] ?? '?'} iterations`);
  const started = performance.now();
  let result;
  try {
    result = await elastix([map], { fixed: volumeToItkImage(asFloat32(fixed)), moving: volumeToItkImage(asFloat32(moving)), webWorker: false });
  } catch (e) {
    // What elastix refuses is what it was given (no overlap, too few samples inside the moving
    // volume, a parameter it does not know...): the caller's to fix.
    if (pipelineLoadFailed(e)) throw e;
    throw new InputError('input (fixed, moving, parameters)', `elastix could not register them: ${problem(e)}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const transforms = transformsOf(result.transform);
  for (const t of transforms)
    ctx.log(
      `${t.parameterization}: parameters ${t.parameters.length > 12 ? `(${t.parameters.length} values)` : t.parameters.map((p) => +p.toFixed(5)).join(' ')}`,
    );
  ctx.log(`registered in ${seconds.toFixed(1)} s`);
  const volume = itkImageToVolume(result.result, `${moving.name} (registered to ${fixed.name})`);
  volume.data = unshared(volume.data);
  ctx.progress(1, `${transform} registration: ${seconds.toFixed(1)} s`);
  return { volume, transforms, transformParameterMaps: result.transformParameterObject as ParameterMap[] };
});
