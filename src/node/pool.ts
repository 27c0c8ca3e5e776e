/**
 * The same `Pool` in Node: worker threads running the built-in ops (src/node/worker.ts), the
 * engines' modules compiled once from files (engines.ts), sized to the machine's cores.
 */
import { availableParallelism, totalmem } from 'node:os';
import { Pool, type PoolOptions } from '../pool/pool.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import { builtinSpecs } from '../../workers/specs.ts';
import type { SomeOpSpec } from '../core/op-spec.ts';
import { nodeEngineResources } from './engines.ts';
import { NodeWorker } from './node-worker.ts';

function builtinMemoryEstimate(op: string, _input: unknown, bytesIn: number): number {
  const spec: SomeOpSpec | undefined = Object.hasOwn(builtinSpecs, op) ? builtinSpecs[op as keyof typeof builtinSpecs] : undefined;
  return (spec?.memoryFactor ?? 3) * bytesIn;
}

/** A pool of worker threads serving the built-in ops. Default size: `os.availableParallelism()`. */
export function createNodePool(options: Partial<PoolOptions> = {}): Pool<BuiltinOps> {
  return new Pool<BuiltinOps>({
    size: availableParallelism(),
    memoryBudget: totalmem() / 2,
    estimateMemory: builtinMemoryEstimate,
    spareWorkers: 0,
    worker: () => new NodeWorker(new URL('./worker.ts', import.meta.url), { name: 'voxpool' }),
    ...options,
    resources: { ...nodeEngineResources(), ...options.resources },
  });
}
