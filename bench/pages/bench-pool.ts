/** createPool on the benchmarks' worker, typed with what it serves. */
import { createPool, type Pool, type PoolOptions } from '../../src/index.ts';
import type { builtinWithTestOps } from '../../test/fixtures/test-ops.ts';

export type BenchOps = typeof builtinWithTestOps;

export function createBenchPool(options: Partial<PoolOptions> = {}): Pool<BenchOps> {
  const worker = (): Worker => new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'voxpool' });
  return createPool<BenchOps>({ ...options, worker });
}
