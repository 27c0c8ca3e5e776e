/**
 * voxpool: a pool of Web Workers for biomedical image and mesh processing.
 *
 *   const pool = createPool();
 *   const { points } = await pool.run('mesh.jitter', { points, amplitude: 5, seed: 1 });
 */
import { Pool, type PoolOptions } from './pool/pool.ts';
import type { BuiltinOps } from '../workers/builtin.ts';
import { engineResources } from '../wasm/compile.ts';
import { builtinSpecs } from '../workers/specs.ts';
import type { SomeOpSpec } from './core/op-spec.ts';
import type { OpRegistry } from './core/op.ts';
import { NIIMATH } from '../wasm/niimath/page.ts';
import { KERNELS } from '../wasm/kernels/page.ts';
import { volumeSplitter } from './parallel/index.ts';

export { Pool } from './pool/pool.ts';
export type { PoolOptions, PoolStats, TaskHandle, TaskSplitter, SplitRun } from './pool/pool.ts';
export type { RunOptions, TaskRecord, TaskState, TaskProgress } from './core/task.ts';
export { FINISHED_STATES } from './core/task.ts';
export { TaskEvent, WorkerEvent, DrainEvent } from './core/events.ts';
export type { PoolEventMap, TaskChange, WorkerChange, WorkerInfo } from './core/events.ts';
export * from './core/errors.ts';
export type { HistogramSummary } from './pool/histogram.ts';
export type { LoneRouteStats, LoneRouting, LoneWay } from './pool/lone-route.ts';
export type { SpinPolicy, SpinStats, SpinWay } from './pool/spin-choice.ts';
export type { WorkerSource } from './pool/worker-handle.ts';
export { processHost } from './pool/process-host.ts';
export type { ProcessHostSource, SharedWorkerFactory } from './pool/process-host.ts';
export type { OpRegistry, OpName, InputOf, OutputOf, OpDef, OpContext } from './core/op.ts';
export type { BuiltinOps } from '../workers/builtin.ts';
// The data the built-in ops take and give.
export type { Volume, PixelArray, PixelType, Vec3 } from './data/volume.ts';
export type { Mesh, DataArray } from './data/mesh.ts';
export type { NamedBytes, VolumeFormat } from '../workers/ops/io-volume.ts';
export type { MeshFormat } from '../workers/ops/io-mesh.ts';
export type { FileInput, FilesInput, NamedBlob } from '../workers/ops/file-input.ts';

/**
 * The site's root, where staged engine assets live (`itk/...`). Taken relative to this module,
 * not the page: it sits one folder below the root both in the sources (src/) and in the build
 * (assets/), and an embedding page elsewhere still finds the assets next to the script. From the
 * installed package in a consumer's dev server it is node_modules/voxpool/dist/, where the
 * voxpool/vite plugin's middleware answers for the staged files as well.
 */
const moduleUrl = import.meta.url;
export const assetBase = new URL('../', moduleUrl).href;

/**
 * How much estimated task memory may run at once by default: half the device's memory as the
 * browser reports it (navigator.deviceMemory, capped at 8 by browsers), else 2 GiB.
 */
function defaultMemoryBudget(): number {
  const gib = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return (gib && gib > 0 ? gib / 2 : 2) * 2 ** 30;
}

/** Peak bytes of a built-in op's task: its spec's factor times the input's bytes (3x when it declares none). */
function builtinMemoryEstimate(op: string, _input: unknown, bytesIn: number): number {
  const spec: SomeOpSpec | undefined = Object.hasOwn(builtinSpecs, op) ? builtinSpecs[op as keyof typeof builtinSpecs] : undefined;
  return (spec?.memoryFactor ?? 3) * bytesIn;
}

/**
 * A pool with the built-in engines staged, typed with the built-in operations. With a worker of
 * your own (`options.worker` serving `{ ...builtinOps, ...yours }`), name its registry:
 * `createPool<typeof myOps>({ worker })`; the type is yours to keep true, as with Comlink's `wrap<T>`.
 */
export function createPool<R extends OpRegistry = BuiltinOps>(options?: Partial<PoolOptions>): Pool<R>;
// Last, so `ReturnType<typeof createPool>` is the built-in pool.
export function createPool(options?: Partial<PoolOptions>): Pool<BuiltinOps>;
export function createPool<R extends OpRegistry>(options: Partial<PoolOptions> = {}): Pool<R> {
  // A caller's own assetBase (assets hosted elsewhere on the origin) is where engines look too.
  const base = async (): Promise<string> => String(await (options.resources?.assetBase ?? (() => assetBase))());
  return new Pool<R>({
    memoryBudget: defaultMemoryBudget(),
    estimateMemory: builtinMemoryEstimate,
    // `split: 'auto'` runs: a long volume filter is split across idle workers.
    splitter: volumeSplitter,
    // A literal `new Worker(new URL(...))` is what Vite recognises and bundles as a worker.
    worker: () => new Worker(new URL('../workers/voxpool.worker.ts', import.meta.url), { type: 'module', name: 'voxpool' }),
    ...options,
    resources: {
      assetBase: () => assetBase,
      // Engines: each compiled once here, its WebAssembly.Module posted to every worker.
      ...engineResources([NIIMATH, KERNELS], base),
      ...options.resources,
    },
  });
}

export {
  splitVolume,
  SlabFailedError,
  planSlabs,
  splitReach,
  slabBuffersOf,
  SlabBuffers,
  volumeSplitter,
  splitWork,
  MIN_SPLIT_WORK,
} from './parallel/index.ts';
export type { SplitOptions, SplitInfo, Slab, VolumeOpName, SlabBufferOptions } from './parallel/index.ts';
// Workflows (src/graph/): tasks with prerequisites, states, retries, persistence and resume.
export * from './graph/index.ts';
