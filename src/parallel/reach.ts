/**
 * How far each splittable operation reaches along k: the halo a slab needs so that its interior
 * boundaries behave like the inside of the image. Reading parameters here also validates them,
 * so a bad split is refused on the page before any slab is cut.
 */
import { InputError } from '../pool/errors.ts';

/** What a slab needs around it along k, and how many bytes a slab task may peak at per input byte. */
export interface OpReach {
  /** Slices needed on each side of the slab's own slices. */
  halo: number;
  /** Peak task memory as a multiple of the slab's input bytes (input, output, the engine's work). */
  memoryFactor: number;
}

type ReachFn = (params: Record<string, unknown>) => OpReach;

const finiteAtLeast = (value: unknown, min: number, label: string): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new InputError(label, `must be a finite number >= ${min} (got ${String(value)})`);
  }
  return value;
};

const wholeAtLeast = (value: unknown, min: number, label: string): number => {
  if (!Number.isInteger(value) || (value as number) < min) throw new InputError(label, `must be a whole number >= ${min} (got ${String(value)})`);
  return value as number;
};

/** A radius given as one number or per axis (i, j, k); the k one is what crosses slabs. */
const radiusAlongK = (value: unknown, label: string): number => {
  if (Array.isArray(value)) {
    if (value.length !== 3) throw new InputError(label, `must be a number or three numbers (got ${JSON.stringify(value)})`);
    value.forEach((r, a) => wholeAtLeast(r, 0, `${label}[${a}]`));
    return value[2] as number;
  }
  return wholeAtLeast(value, 0, label);
};

const morphology = (passes: number): ReachFn => (p) => ({ halo: passes * radiusAlongK(p.radius, 'input.radius'), memoryFactor: 2 + passes });

const REACH: Record<string, ReachFn> = {
  // vtkImageGaussianSmooth: kernel radius (int)(std * radiusFactor) along every axis. The k pass
  // is the only one that crosses slabs; its clipped-and-renormalised kernel at a slab edge is
  // the interior kernel as long as the halo is at least that radius.
  'volume.gaussianVtk': (p) => {
    const std = p.std === undefined ? 2 : finiteAtLeast(p.std, 0, 'input.std');
    const radiusFactor = finiteAtLeast(p.radiusFactor, 0, 'input.radiusFactor');
    // The TS kernel keeps the input, the output and one pass's copy; 4 leaves room for a wasm
    // engine holding its own input and output copies.
    return { halo: Math.trunc(std * radiusFactor), memoryFactor: 4 };
  },
  // vtkImageMedian3D: the neighbourhood starts kernelSize/2 (integer division) before the voxel,
  // so it reaches that far one way and kernelSize - 1 - that the other.
  'volume.median': (p) => {
    const size = p.kernelSize ?? [3, 3, 3];
    if (!Array.isArray(size) || size.length !== 3) throw new InputError('input.kernelSize', `must be three whole numbers (got ${JSON.stringify(size)})`);
    size.forEach((s, a) => wholeAtLeast(s, 1, `input.kernelSize[${a}]`));
    const k = size[2] as number;
    return { halo: Math.max(Math.floor(k / 2), k - 1 - Math.floor(k / 2)), memoryFactor: 3 };
  },
  'volume.dilate': morphology(1),
  'volume.erode': morphology(1),
  // Opening and closing are two passes (erode then dilate, or the reverse): twice the reach.
  'volume.open': morphology(2),
  'volume.close': morphology(2),
};

/** The ops `splitVolume` knows the reach of (others need `options.reach`). */
export function knownSplitOps(): string[] {
  return Object.keys(REACH);
}

/**
 * The reach of `op` with these parameters. Throws an InputError naming a bad parameter, or the
 * op when its reach is unknown and none was given.
 */
export function splitReach(op: string, params: Record<string, unknown>, given?: number): OpReach {
  const known = REACH[op];
  if (given !== undefined) {
    wholeAtLeast(given, 0, 'options.reach');
    return { halo: given, memoryFactor: known ? known(params).memoryFactor : 3 };
  }
  if (!known) {
    throw new InputError('op', `${op} has no known reach, so it cannot be split safely; pass options.reach (slices along k one output voxel depends on). Known: ${knownSplitOps().join(', ')}`);
  }
  return known(params);
}
