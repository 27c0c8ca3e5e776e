/**
 * How far each splittable operation reaches along k: the halo a slab needs so that its interior
 * boundaries behave like the inside of the image. The reach itself comes from the kernels'
 * own table (src/kernels/reach.ts); this module checks the parameters first, on the page, so a
 * bad split is refused before any slab is cut, and adds each op's memory factor for admission.
 */
import { InputError } from '../core/errors.ts';
import { reachOf, type ReachInputs, type ReachOp } from '../kernels/reach.ts';

/** What a slab needs around it along k, and how many bytes a slab task may peak at per input byte. */
export interface OpReach {
  /** Slices needed on each side of the slab's own slices. */
  halo: number;
  /** Peak task memory as a multiple of the slab's input bytes (input, output, the engine's work). */
  memoryFactor: number;
  /**
   * Whether the op takes `outputSlices` (computes only the slab's own slices and returns just
   * those): then no time goes into halo outputs that would be thrown away. Ops split with a
   * given reach are assumed not to.
   */
  outputSlices: boolean;
}

type Params = Record<string, unknown>;

const finiteAtLeast = (value: unknown, min: number, label: string): void => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new InputError(label, `must be a finite number >= ${min} (got ${String(value)})`);
  }
};

const wholeIn = (value: unknown, min: number, max: number, label: string): void => {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new InputError(label, `must be a whole number from ${min} to ${max} (got ${String(value)})`);
  }
};

const checkRadius = (p: Params): void => {
  const r = p.radius;
  if (Array.isArray(r)) {
    if (r.length !== 3) throw new InputError('input.radius', `must be a number or three numbers (got ${JSON.stringify(r)})`);
    r.forEach((x, a) => wholeIn(x, 0, 64, `input.radius[${a}]`));
  } else wholeIn(r, 0, 64, 'input.radius');
};

/**
 * Per op: its parameter checks and its peak memory per input byte. The wasm kernels hold the
 * input and the output in their own memory besides the JS input and result: 4x the slab;
 * morphology also keeps a padded copy: 5x.
 */
const SPLITTABLE: Record<ReachOp, { check: (p: Params) => void; memoryFactor: number }> = {
  'volume.gaussianVtk': {
    check: (p) => {
      if (p.std !== undefined) finiteAtLeast(p.std, 0, 'input.std');
      finiteAtLeast(p.radiusFactor, 0, 'input.radiusFactor');
    },
    memoryFactor: 4,
  },
  'volume.median': {
    check: (p) => {
      const size = p.kernelSize;
      if (size === undefined) return;
      if (!Array.isArray(size) || size.length !== 3) throw new InputError('input.kernelSize', `must be three odd whole numbers (got ${JSON.stringify(size)})`);
      size.forEach((s, a) => {
        wholeIn(s, 1, 99, `input.kernelSize[${a}]`);
        if ((s as number) % 2 === 0) throw new InputError(`input.kernelSize[${a}]`, `must be odd (got ${s})`);
      });
    },
    memoryFactor: 4,
  },
  'volume.dilate': { check: checkRadius, memoryFactor: 5 },
  'volume.erode': { check: checkRadius, memoryFactor: 5 },
  'volume.open': { check: checkRadius, memoryFactor: 5 },
  'volume.close': { check: checkRadius, memoryFactor: 5 },
};

const isKnown = (op: string): op is ReachOp => Object.hasOwn(SPLITTABLE, op);

/** The ops `splitVolume` knows the reach of (others need `options.reach`). */
export function knownSplitOps(): string[] {
  return Object.keys(SPLITTABLE);
}

/**
 * The reach of `op` with these parameters along k. Throws an InputError naming a bad parameter,
 * or the op when its reach is unknown and none was given.
 */
export function splitReach(op: string, params: Params, given?: number): OpReach {
  if (given !== undefined && !(Number.isInteger(given) && given >= 0)) {
    throw new InputError('options.reach', `must be a whole number >= 0 (got ${String(given)})`);
  }
  if (!isKnown(op)) {
    if (given !== undefined) return { halo: given, memoryFactor: 4, outputSlices: false };
    throw new InputError('op', `${op} has no known reach, so it cannot be split safely; pass options.reach (slices along k one output voxel depends on). Known: ${knownSplitOps().join(', ')}`);
  }
  const entry = SPLITTABLE[op];
  entry.check(params);
  const halo = given ?? reachOf(op, params as unknown as ReachInputs[typeof op])[2];
  // Every op of the table is one of voxpool's kernel ops, which all take outputSlices.
  return { halo, memoryFactor: entry.memoryFactor, outputSlices: true };
}
