/** Helpers for the workflow tests: run counters kept by the fixture ops, unique keys. */
import { openDB } from 'idb';
import { Pool, type PoolOptions } from '../../src/index.ts';
import type { builtinWithTestOps } from '../fixtures/test-ops.ts';
import type { graphOps } from './graph-ops.ts';

export type GraphOps = typeof builtinWithTestOps & typeof graphOps;

/** A pool of the workflow tests' worker: the built-in ops plus graph-ops.ts. */
export function graphPool(options: Partial<PoolOptions> = {}): Pool<GraphOps> {
  return new Pool<GraphOps>({
    worker: () => new Worker(new URL('./graph.worker.ts', import.meta.url), { type: 'module' }),
    ...options,
  });
}

/** A prefix of keys no other test run uses (the run counters live on across runs). */
export function keys(): (name: string) => string {
  const run = crypto.randomUUID().slice(0, 8);
  return (name) => `${run}:${name}`;
}

/** How many times the fixture ops ran with this key (`fixture.tick`, `crashUntil`, `failUntil`). */
export async function runsOf(key: string): Promise<number> {
  const db = await openDB('voxpool-test-runs', 1, { upgrade: (d) => void d.createObjectStore('runs') });
  const n = ((await db.get('runs', key)) as number | undefined) ?? 0;
  db.close();
  return n;
}

export const ramp = (n: number, from = 0, k = 1): number[] => Array.from({ length: n }, (_, i) => (from + i) * k);
