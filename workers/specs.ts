/**
 * The declarations of the built-in operations: parameters (labels, units, defaults, ranges),
 * their checks, reach and memory per input byte. The ops check their input with these
 * (workers/ops/*), the page builds its forms from them (src/ui/catalog.ts) and the splitter reads
 * their reach (src/parallel/reach.ts). This module imports no engine, so the page can load it.
 */
import type { OpSpec } from '../src/core/op-spec.ts';
import { InputError } from '../src/core/errors.ts';
import type { Vec3 } from '../src/data/volume.ts';
import type { GaussianVtkInput } from './ops/gaussian-vtk.ts';
import type { MedianInput } from './ops/median.ts';
import type { MorphologyInput } from './ops/morphology.ts';
import type { GaussianInput } from './ops/niimath-gaussian.ts';
import type { RangeInput } from './ops/niimath-threshold.ts';
import type { ComponentsInput } from './ops/niimath-components.ts';
import type { IsosurfaceInput } from './ops/niimath-isosurface.ts';
import type { DownsampleInput, ResampleInput } from './ops/resample.ts';
import type { MeshSmoothInput } from './ops/mesh-smooth.ts';
import type { MeshDecimateInput } from './ops/mesh-decimate.ts';
import type { JitterInput } from './ops/mesh-jitter.ts';
import type { ThresholdInput } from './ops/niimath-threshold.ts';
import type { RegisterInput } from './ops/register.ts';
import type { ReadVolumeInput, WriteVolumeInput } from './ops/io-volume.ts';
import type { WriteMeshInput } from './ops/io-mesh.ts';
import type { WriteTextInput } from './ops/io-text.ts';
import type { HeadPhantomOptions } from '../src/data/phantom.ts';

/** The formats `volume.write` writes. */
export const VOLUME_FORMATS = ['nii', 'nii.gz', 'nrrd', 'mha'] as const;
export type VolumeFormat = (typeof VOLUME_FORMATS)[number];
/** The formats `mesh.write` writes. */
export const MESH_FORMATS = ['stl', 'obj', 'vtk'] as const;
export type MeshFormat = (typeof MESH_FORMATS)[number];
/** How `volume.write` stores NIfTI voxels: as held, or as the scaled integers they were read from. */
export const NIFTI_STORAGES = ['values', 'as-read'] as const;
/** ITK's interpolators, as `@itk-wasm/downsample`'s resample names them. */
export const INTERPOLATORS = ['linear', 'nearest_neighbor', 'label_image', 'b_spline', 'windowed_sinc', 'gaussian'] as const;
export type Interpolator = (typeof INTERPOLATORS)[number];
/** elastix's default parameter maps ("presets") offered. */
export const REGISTRATION_TRANSFORMS = ['translation', 'rigid', 'affine', 'bspline'] as const;
export type RegistrationTransform = (typeof REGISTRATION_TRANSFORMS)[number];

/** Characters `text.write` takes at most: a description or a README, not data (data goes in a volume or a mesh). */
export const MAX_TEXT_LENGTH = 2 ** 24;

/** Voxels the phantom op makes at most (about 512 MiB of int16). */
export const MAX_PHANTOM_VOXELS = 2 ** 28;

/** Kernel radius beyond which the Gaussian's weight table alone would not fit one worker. */
const MAX_GAUSSIAN_RADIUS = 4096;

const radiusOf = (r: number | Vec3): Vec3 => (typeof r === 'number' ? [r, r, r] : [r[0], r[1], r[2]]);

export const gaussianVtkSpec = {
  title: 'Gaussian smoothing (VTK, radius factor)',
  params: {
    radiusFactor: { type: 'number', label: 'Radius factor', min: 0, form: '0:20:5' },
    std: { type: 'number', label: 'Standard deviation', unit: 'voxels', min: 0, default: 2, optional: true, form: '2' },
  },
  check: (p) => {
    const std = p.std ?? 2;
    if (std * p.radiusFactor > MAX_GAUSSIAN_RADIUS)
      throw new InputError('input.radiusFactor', `std x radiusFactor must be at most ${MAX_GAUSSIAN_RADIUS} voxels (got ${std * p.radiusFactor})`);
  },
  reach: (p: Pick<GaussianVtkInput, 'std' | 'radiusFactor'>) => {
    const r = Math.trunc((p.std ?? 2) * p.radiusFactor);
    return [r, r, r];
  },
  // The wasm kernels hold the input and the output in their own memory besides the JS input and result.
  memoryFactor: 4,
  outputSlices: true,
} as const satisfies OpSpec<GaussianVtkInput>;

export const DEFAULT_MEDIAN_KERNEL: Vec3 = [3, 3, 3];

export const medianSpec = {
  title: 'Median filter',
  params: {
    kernelSize: {
      type: 'number',
      shape: 'three',
      label: 'Neighbourhood',
      unit: 'voxels',
      integer: true,
      odd: true,
      min: 1,
      max: 99,
      default: DEFAULT_MEDIAN_KERNEL,
      optional: true,
      form: '3',
    },
  },
  // The neighbourhood spans i - floor(k/2) .. i - floor(k/2) + k - 1: floor(k/2) both ways for odd k.
  reach: (p: Pick<MedianInput, 'kernelSize'>) => {
    const k = p.kernelSize ?? DEFAULT_MEDIAN_KERNEL;
    return [k[0] >> 1, k[1] >> 1, k[2] >> 1];
  },
  memoryFactor: 4,
  outputSlices: true,
} as const satisfies OpSpec<MedianInput>;

const morphologyParams = {
  radius: { type: 'number', shape: 'one-or-three', label: 'Radius', unit: 'voxels', integer: true, min: 0, max: 64, form: '1, 2' },
  shape: { type: 'choice', label: 'Structuring element', options: ['box', 'ball'], default: 'box', optional: true },
} as const satisfies OpSpec<MorphologyInput>['params'];

/** Morphology also keeps a padded copy: 5x the input. */
const morphologySpec = (name: string, twice: boolean) =>
  ({
    title: `Morphology: ${name} (grey level, box)`,
    params: morphologyParams,
    reach: (p: Pick<MorphologyInput, 'radius'>): Vec3 => {
      const r = radiusOf(p.radius);
      return twice ? [2 * r[0], 2 * r[1], 2 * r[2]] : r;
    },
    memoryFactor: 5,
    outputSlices: true,
  }) as const satisfies OpSpec<MorphologyInput>;

const rangeParams = {
  lower: { type: 'number', label: 'Lower', form: '100' },
  upper: { type: 'number', label: 'Upper', form: '10000' },
} as const satisfies OpSpec<RangeInput>['params'];

const rangeCheck = (p: RangeInput): void => {
  if (p.lower > p.upper) throw new InputError('input.lower', `is above input.upper (${p.lower} > ${p.upper})`);
};

/** Whether `value` maps names to lists of strings, as elastix parameter files do. */
const isParameterMap = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Object.values(value).every((v) => Array.isArray(v) && v.every((s) => typeof s === 'string'));

export const builtinSpecs = {
  'volume.gaussianVtk': gaussianVtkSpec,
  'volume.gaussian': {
    title: 'Gaussian smoothing (sigma in mm)',
    params: { sigma: { type: 'number', label: 'Sigma', unit: 'mm', above: 0, form: '1, 2, 4' } },
  } as const satisfies OpSpec<GaussianInput>,
  'volume.median': medianSpec,
  'volume.dilate': morphologySpec('dilate', false),
  'volume.erode': morphologySpec('erode', false),
  'volume.open': morphologySpec('open', true),
  'volume.close': morphologySpec('close', true),
  'volume.threshold': {
    title: 'Threshold (keep values in range)',
    // Whether the background fits the volume's pixel type is the op's own check: it needs the volume.
    params: { ...rangeParams, background: { type: 'number', label: 'Background', default: 0, optional: true } },
    check: rangeCheck,
  } as const satisfies OpSpec<ThresholdInput>,
  'volume.binarize': { title: 'Binarize (1 inside range, 0 outside)', params: rangeParams, check: rangeCheck } as const satisfies OpSpec<RangeInput>,
  'volume.components': {
    title: 'Connected components (labels of the non-zero voxels)',
    params: { connectivity: { type: 'choice', label: 'Connectivity', options: [6, 18, 26], default: 26, optional: true, form: '26' } },
  } as const satisfies OpSpec<ComponentsInput>,
  'volume.downsample': {
    title: 'Downsample (Gaussian anti-aliasing)',
    params: {
      factors: { type: 'number', shape: 'three', label: 'Factor (each axis)', integer: true, min: 1, form: '2, 4' },
      method: { type: 'choice', label: 'Method', options: ['gaussian', 'bin'], default: 'gaussian', optional: true },
    },
  } as const satisfies OpSpec<DownsampleInput>,
  'volume.resample': {
    title: 'Resample to a spacing (linear)',
    params: {
      spacing: { type: 'number', shape: 'three', label: 'Spacing', unit: 'mm', above: 0, optional: true, form: '2' },
      origin: { type: 'number', shape: 'three', label: 'Origin', unit: 'mm', optional: true },
      interpolator: { type: 'choice', label: 'Interpolator', options: INTERPOLATORS, default: 'linear', optional: true },
      defaultValue: { type: 'number', label: 'Value outside the input', optional: true },
    },
  } as const satisfies OpSpec<ResampleInput>,
  'volume.register': {
    title: 'Register (elastix)',
    params: {
      transform: { type: 'choice', label: 'Transform', options: REGISTRATION_TRANSFORMS },
      iterations: { type: 'number', label: 'Iterations per resolution', integer: true, min: 1, max: 100_000, optional: true },
      resolutions: { type: 'number', label: 'Resolutions', integer: true, min: 1, max: 8, default: 3, optional: true },
      samples: { type: 'number', label: 'Samples per iteration', integer: true, min: 16, max: 10_000_000, optional: true },
      gridSpacing: { type: 'number', label: 'B-spline grid spacing', unit: 'mm', above: 0, optional: true },
    },
    check: (p) => {
      if (p.parameters !== undefined && !isParameterMap(p.parameters))
        throw new InputError('input.parameters', 'must map parameter names to lists of strings, as elastix parameter files do');
    },
  } as const satisfies OpSpec<RegisterInput>,
  'volume.read': {
    title: 'Read a volume file',
    params: { frame: { type: 'number', label: 'Frame (of a 4-D file)', integer: true, min: 0, optional: true } },
  } as const satisfies OpSpec<ReadVolumeInput>,
  'volume.write': {
    title: 'Write a volume file',
    params: {
      format: { type: 'choice', label: 'Format', options: VOLUME_FORMATS },
      storage: { type: 'choice', label: 'NIfTI voxels', options: NIFTI_STORAGES, default: 'values', optional: true },
    },
    check: (p) => {
      if (p.storage === 'as-read' && p.format !== 'nii' && p.format !== 'nii.gz')
        throw new InputError('input.storage', `"as-read" (scaled integers with a slope and intercept) is for NIfTI; .${p.format} is written as values`);
    },
  } as const satisfies OpSpec<WriteVolumeInput>,
  'mesh.write': {
    title: 'Write a mesh file',
    params: { format: { type: 'choice', label: 'Format', options: MESH_FORMATS } },
  } as const satisfies OpSpec<WriteMeshInput>,
  'text.write': {
    title: 'Write a text file',
    // Strings are not among the parameter kinds the forms know: both fields are checked here.
    params: {},
    check: (p) => {
      if (typeof p.name !== 'string' || p.name === '' || /[/\\\0]/.test(p.name) || p.name === '.' || p.name === '..')
        throw new InputError('input.name', `must be a file name without a folder (got ${JSON.stringify(p.name) ?? String(p.name)})`);
      if (typeof p.text !== 'string')
        throw new InputError('input.text', `must be a string, the file's content (got ${p.text === null ? 'null' : typeof p.text})`);
      if (p.text.length > MAX_TEXT_LENGTH)
        throw new InputError('input.text', `is ${p.text.length} characters long, more than the ${MAX_TEXT_LENGTH} a text file takes`);
    },
  } as const satisfies OpSpec<WriteTextInput>,
  'volume.phantom': {
    title: 'Head phantom',
    params: {
      dimensions: { type: 'number', shape: 'three', label: 'Voxels', integer: true, min: 1, optional: true },
      spacing: { type: 'number', shape: 'three', label: 'Spacing', unit: 'mm', above: 0, optional: true },
      seed: { type: 'number', label: 'Noise seed', min: 0, optional: true },
      noise: { type: 'number', label: 'Noise spread', unit: 'grey levels', min: 0, optional: true },
    },
    check: (p) => {
      const d = p.dimensions;
      if (d && d[0] * d[1] * d[2] > MAX_PHANTOM_VOXELS) throw new InputError('input.dimensions', `${d.join(' x ')} is more than ${MAX_PHANTOM_VOXELS} voxels`);
    },
  } as const satisfies OpSpec<HeadPhantomOptions>,
  'volume.isosurface': {
    title: 'Isosurface (to a mesh)',
    params: { isovalue: { type: 'number', label: 'Isovalue', form: '400' } },
  } as const satisfies OpSpec<IsosurfaceInput>,
  'mesh.smooth': {
    title: 'Smooth mesh (windowed sinc)',
    params: {
      iterations: { type: 'number', label: 'Iterations', integer: true, min: 0, max: 10_000, default: 20, optional: true, form: '10, 20' },
      passBand: {
        type: 'number',
        label: 'Pass band (0 to 2, lower smooths more)',
        noun: 'a number',
        above: 0,
        below: 2,
        default: 0.1,
        optional: true,
        form: '0.1',
      },
      featureAngle: { type: 'number', label: 'Feature angle (degrees)', noun: 'an angle in degrees', min: 0, max: 180, default: 45, optional: true },
      edgeAngle: { type: 'number', label: 'Edge angle (degrees)', noun: 'an angle in degrees', min: 0, max: 180, default: 15, optional: true },
    },
  } as const satisfies OpSpec<MeshSmoothInput>,
  'mesh.decimate': {
    title: 'Decimate mesh',
    params: {
      ratio: { type: 'number', label: 'Triangles kept (0 to 1)', noun: 'a fraction', above: 0, max: 1, optional: true, form: '0.5, 0.25' },
      triangles: { type: 'number', label: 'Triangles kept', integer: true, min: 1, optional: true },
      maxError: { type: 'number', label: 'Largest error (fraction of the mesh size)', noun: 'a number', min: 0, default: 1, optional: true },
    },
    check: (p) => {
      if ((p.ratio === undefined) === (p.triangles === undefined)) throw new InputError('input', 'give either ratio or triangles');
    },
  } as const satisfies OpSpec<MeshDecimateInput>,
  'mesh.jitter': {
    title: 'Jitter vertices (the seed demo)',
    params: {
      amplitude: { type: 'number', label: 'Amplitude', form: '1, 5' },
      seed: { type: 'number', label: 'Seed', integer: true, form: '1' },
    },
  } as const satisfies OpSpec<JitterInput>,
} as const;

export type BuiltinSpecs = typeof builtinSpecs;

/** The built-in ops whose reach is known: what `splitVolume` can split without being told. */
export type ReachOp = { [K in keyof BuiltinSpecs]: BuiltinSpecs[K] extends { reach: unknown } ? K : never }[keyof BuiltinSpecs];

/** The parameters each splittable op's reach depends on. */
export type ReachInputs = { [K in ReachOp]: Parameters<BuiltinSpecs[K]['reach']>[0] };

/** Voxels read on each side of the output voxel along i, j, k (the same both ways). */
export function reachOf<O extends ReachOp>(op: O, input: ReachInputs[O]): Vec3 {
  const reach = builtinSpecs[op].reach as (p: unknown) => Vec3;
  return reach(input);
}
