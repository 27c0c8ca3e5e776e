/**
 * The seed's mesh test: add `amplitude * U[0,1)` to every vertex coordinate. Seeded, so a task
 * gives the same result however often it runs (a retried task must not change the answer).
 */
import { defineOp, InputError } from '../../src/worker/index.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs } from '../specs.ts';

export interface JitterInput {
  /** xyz triples. */
  points: Float32Array;
  amplitude: number;
  seed: number;
}

/** mulberry32: a tiny, fast, well-distributed 32-bit generator; plenty for jitter. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const meshJitter = defineOp((input: JitterInput, ctx): { points: Float32Array } => {
  const { points, amplitude, seed } = input;
  if (!(points instanceof Float32Array)) throw new InputError('input.points', 'must be a Float32Array of xyz triples');
  if (points.length % 3 !== 0) throw new InputError('input.points', `length ${points.length} is not a multiple of 3`);
  checkParams(builtinSpecs['mesh.jitter'], input);
  const random = mulberry32(seed);
  // In place: the buffer was moved here, nobody else holds it, and it moves back the same way.
  for (let i = 0; i < points.length; i++) {
    points[i] = points[i]! + amplitude * random();
    if ((i & 0xfffff) === 0xfffff) ctx.progress(i / points.length);
  }
  return { points };
});
