/**
 * Compile-time checks of the typed registry: `npm test` runs `tsc --noEmit` first, and every
 * `@ts-expect-error` below fails the build if the line it marks ever compiles.
 */
import { createPool, Pool, defineOpTypes } from './support.ts';
import type { InputOf, OutputOf } from '../../src/index.ts';
import type { TestOps } from '../fixtures/pool.ts';

declare const pool: ReturnType<typeof createPool>;
declare const withTestOps: Pool<TestOps>;

export async function checks(): Promise<void> {
  // Right name, right input: the output type comes through.
  const out: { points: Float32Array } = await pool.run('mesh.jitter', { points: new Float32Array(3), amplitude: 1, seed: 1 });
  void out;
  const n: number = await withTestOps.run('test.spin', { ms: 1 });
  void n;
  // @ts-expect-error: the pool's test ops are not built-in operations (test/fixtures/test-ops.ts)
  void pool.run('test.spin', { ms: 1 });

  // @ts-expect-error: no such operation
  void pool.run('mesh.jiter', { points: new Float32Array(3), amplitude: 1, seed: 1 });
  // @ts-expect-error: wrong input type (amplitude must be a number)
  void pool.run('mesh.jitter', { points: new Float32Array(3), amplitude: '5', seed: 1 });
  // @ts-expect-error: missing field
  void pool.run('mesh.jitter', { points: new Float32Array(3), amplitude: 5 });
  // @ts-expect-error: output is not a string
  const wrong: string = await withTestOps.run('test.spin', { ms: 1 });
  void wrong;

  // A user's own registry types their pool the same way.
  const mine = new Pool<TestOps>({ worker: '/x.js' });
  const c: { calls: number; workerId: number } = await mine.run('fixture.count', null);
  void c;
  // @ts-expect-error: the built-in pool does not know the user's operation
  void pool.run('fixture.count', null);
  defineOpTypes();
}

// The helper types agree with the definitions.
type JitterIn = InputOf<TestOps['mesh.jitter']>;
type JitterOut = OutputOf<TestOps['mesh.jitter']>;
export const inOk: JitterIn = { points: new Float32Array(3), amplitude: 1, seed: 2 };
export const outOk: JitterOut = { points: new Float32Array(3) };
