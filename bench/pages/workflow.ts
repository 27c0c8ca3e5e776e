/**
 * The workflow's scheduling overhead (issue 3): 1,000 no-op tasks in two shapes, straight on the
 * pool and as a workflow on the same pool, alternated within the page (ABAB...), each timed
 * from the first `add`/`run` to the last result.
 *   wide  1,000 independent tasks (pool: 1,000 runs at once; workflow: 1,000 adds, then run)
 *   deep  a chain of 1,000 (pool: each awaited before the next; workflow: each after the one before)
 * The workflow runs without a store (the comparison the goal is about) and with the IndexedDB
 * store (timed to the last result, and to the last write landed).
 */
import { IdbWorkflowStore, Workflow, type Pool } from '../../src/index.ts';
import { createBenchPool, type BenchOps } from './bench-pool.ts';

const N = 1000;
const REPS = Number(new URLSearchParams(location.search).get('reps') ?? 31);

type Shape = 'wide' | 'deep';

async function onPool(pool: Pool<BenchOps>, shape: Shape): Promise<number> {
  const t0 = performance.now();
  if (shape === 'wide') await Promise.all(Array.from({ length: N }, () => pool.run('test.noop', null)));
  else for (let i = 0; i < N; i++) await pool.run('test.noop', null);
  return performance.now() - t0;
}

async function onWorkflow(pool: Pool<BenchOps>, shape: Shape, store: IdbWorkflowStore | null): Promise<{ ms: number; storedMs: number }> {
  const t0 = performance.now();
  const wf = new Workflow(pool, { store });
  let prev: { id: number } | null = null;
  for (let i = 0; i < N; i++) prev = wf.add('test.noop', null, shape === 'deep' && prev ? { after: [prev] } : {});
  const added = performance.now();
  wf.start();
  const started = performance.now();
  const summary = await wf.settled();
  phases.push({ add: added - t0, start: started - added });
  const ms = performance.now() - t0;
  if (summary.done !== N) throw new Error(`workflow ended ${summary.state} with ${summary.done} done`);
  await wf.flush();
  const storedMs = performance.now() - t0;
  if (store) await store.delete(wf.id);
  return { ms, storedMs };
}

const phases: { add: number; start: number }[] = [];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<object> {
  const pool = createBenchPool({ size: navigator.hardwareConcurrency });
  await pool.warm();
  const store = await IdbWorkflowStore.open('voxpool-bench');
  // Warm-up: workers hot, the pool has measured test.noop as short, code paths compiled.
  for (const shape of ['wide', 'deep'] as const) {
    await onPool(pool, shape);
    await onWorkflow(pool, shape, null);
    await onWorkflow(pool, shape, store);
  }
  const out: Record<string, unknown> = { workers: pool.size, tasks: N, reps: REPS };
  for (const shape of ['wide', 'deep'] as const) {
    // Pool and workflow without a store, in pairs, the order alternating so drift falls on both.
    // The stored runs come after, apart: their garbage would otherwise land in the next run timed.
    const pairs: { pool: number; wf: number }[] = [];
    for (let r = 0; r < REPS; r++) {
      if (r % 2 === 0) {
        const p = await onPool(pool, shape);
        pairs.push({ pool: p, wf: (await onWorkflow(pool, shape, null)).ms });
      } else {
        const w = (await onWorkflow(pool, shape, null)).ms;
        pairs.push({ pool: await onPool(pool, shape), wf: w });
      }
    }
    const stored: { pool: number; wf: number; written: number }[] = [];
    for (let r = 0; r < Math.ceil(REPS / 2); r++) {
      const p = await onPool(pool, shape);
      const s = await onWorkflow(pool, shape, store);
      stored.push({ pool: p, wf: s.ms, written: s.storedMs });
    }
    out[shape] = {
      pairs,
      stored,
      poolMs: median(pairs.map((r) => r.pool)),
      wfMs: median(pairs.map((r) => r.wf)),
      ratio: median(pairs.map((r) => r.wf / r.pool)),
      overheadUsPerTask: median(pairs.map((r) => ((r.wf - r.pool) / N) * 1000)),
      // The fastest of each: what each costs when nothing else on the machine got in the way.
      bestRatio: Math.min(...pairs.map((r) => r.wf)) / Math.min(...pairs.map((r) => r.pool)),
      storedMs: median(stored.map((r) => r.wf)),
      storedWrittenMs: median(stored.map((r) => r.written)),
      storedRatio: median(stored.map((r) => r.wf / r.pool)),
      storedWrittenRatio: median(stored.map((r) => r.written / r.pool)),
      storedOverheadUsPerTask: median(stored.map((r) => ((r.wf - r.pool) / N) * 1000)),
    };
  }
  out.phases = {
    note: 'workflow, median ms for 1,000 tasks: the add loop, and start() (launch + pool.submit of each)',
    addMs: median(phases.map((p) => p.add)),
    startMs: median(phases.map((p) => p.start)),
  };
  await pool.terminate();
  store.close();
  return out;
}

main().then(
  (result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }),
  (e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: String(e) }),
);
