/**
 * How far each splittable operation reaches along k: the halo a slab needs so that its interior
 * boundaries behave like the inside of the image. The reach, the parameter checks and the memory
 * factor come from each op's declaration (workers/specs.ts); the parameters are checked here, on
 * the page, so a bad split is refused before any slab is cut.
 */
import { InputError } from '../core/errors.ts';
import { checkInput, reachOfInput, type SomeOpSpec } from '../core/op-spec.ts';
import type { Vec3 } from '../data/volume.ts';
import { builtinSpecs, type BuiltinSpecs, type ReachOp } from '../../workers/specs.ts';

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

/** The built-in ops that declare a reach: `splitVolume` knows how to split them. */
const SPLITTABLE = Object.fromEntries(Object.entries(builtinSpecs).filter(([, spec]) => 'reach' in spec)) as Pick<BuiltinSpecs, ReachOp>;

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
    throw new InputError(
      'op',
      `${op} has no known reach, so it cannot be split safely; pass options.reach (slices along k one output voxel depends on). Known: ${knownSplitOps().join(', ')}`,
    );
  }
  const spec: SomeOpSpec = SPLITTABLE[op];
  const halo = given ?? declaredReach(spec, params)[2];
  return { halo, memoryFactor: spec.memoryFactor ?? 4, outputSlices: spec.outputSlices === true };
}

/**
 * How far a known splittable op reaches along each axis (i, j, k) with these parameters, or
 * null for an op that declares no reach. Throws the InputError naming a bad parameter.
 */
export function axisReach(op: string, params: Params): Vec3 | null {
  return isKnown(op) ? declaredReach(SPLITTABLE[op], params) : null;
}

/** The op's own declaration: the same checks (and messages) as in its worker, the same reach. */
function declaredReach(spec: SomeOpSpec, params: Params): Vec3 {
  return reachOfInput(spec, checkInput(spec, params))!;
}
