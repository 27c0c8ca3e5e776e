/**
 * Operations the workflow tests run, served by their own worker (graph.worker.ts) so the shared
 * test worker stays as it was: run counters kept in IndexedDB (they survive reloads), buffers to
 * pass between tasks, crashes and failures that heal, and an op that adds tasks.
 */
import { openDB } from 'idb';
import { defineOp } from '../../src/worker/index.ts';
import { addTasks, specRef, type TaskSpec } from '../../src/graph/spawn.ts';

/**
 * Counts runs per key in IndexedDB, from inside the worker: the count survives page reloads and
 * is kept apart from the workflow's own store, so the tests can tell what really ran.
 */
async function countRun(key: string): Promise<number> {
  const db = await openDB('voxpool-test-runs', 1, { upgrade: (d) => void d.createObjectStore('runs') });
  const tx = db.transaction('runs', 'readwrite');
  const runs = (((await tx.store.get(key)) as number | undefined) ?? 0) + 1;
  await tx.store.put(runs, key);
  await tx.done;
  db.close();
  return runs;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });

export const graphOps = {
  /** Counts its run (per key, in IndexedDB), waits `ms`, returns `n` values `fill + i`. */
  'fixture.tick': defineOp(
    async (input: { key: string; ms?: number; n?: number; fill?: number }, ctx): Promise<{ key: string; runs: number; data: Float32Array }> => {
      const runs = await countRun(input.key);
      ctx.log(`tick ${input.key} run ${runs}`);
      if (input.ms) await sleep(input.ms, ctx.signal);
      const data = new Float32Array(input.n ?? 4);
      for (let i = 0; i < data.length; i++) data[i] = (input.fill ?? 0) + i;
      return { key: input.key, runs, data };
    },
  ),
  /** `data * k` after `ms`; logs to out and err. */
  'fixture.scale': defineOp(async (input: { data: Float32Array; k: number; ms?: number }, ctx): Promise<{ data: Float32Array; bytes: number }> => {
    ctx.log(`scale by ${input.k}`);
    ctx.log(`got ${input.data.length} values`, 'err');
    if (input.ms) await sleep(input.ms, ctx.signal);
    return { data: input.data.map((v) => v * input.k), bytes: input.data.byteLength };
  }),
  'fixture.combine': defineOp((input: { a: Float32Array; b: Float32Array }): Float32Array => input.a.map((v, i) => v + input.b[i]!)),
  'fixture.sum': defineOp((input: { values: number[] }): number => input.values.reduce((a, b) => a + b, 0)),
  /** Crashes its worker on its first `crashes` runs (counted per key in IndexedDB), then answers. */
  'fixture.crashUntil': defineOp(async (input: { key: string; crashes: number }): Promise<number> => {
    const runs = await countRun(input.key);
    if (runs <= input.crashes) {
      (globalThis as unknown as { close(): void }).close();
      return new Promise<number>(() => {});
    }
    return runs;
  }),
  /** Throws on its first `failures` runs (counted per key), then answers. */
  'fixture.failUntil': defineOp(async (input: { key: string; failures: number }): Promise<number> => {
    const runs = await countRun(input.key);
    if (runs <= input.failures) throw new Error(`failure ${runs} of ${input.failures}`);
    return runs;
  }),
  /**
   * A folder-like task that adds tasks to its own workflow: below level `depth`, one child per
   * `fanout` (each adding its own in turn) and a closing `fixture.sum` that waits on the group of
   * children's whole trees and adds their levels up. At `depth` it is a leaf.
   */
  'fixture.expand': defineOp((input: { level: number; depth: number; fanout: number; tag: string }, ctx) => {
    ctx.log(`level ${input.level} (${input.tag})`);
    if (input.level >= input.depth) return addTasks({ level: input.level, tag: input.tag, leaf: true }, []);
    const keys = Array.from({ length: input.fanout }, (_, i) => `c${i}`);
    const specs: TaskSpec[] = keys.map((key, i) => ({
      key,
      op: 'fixture.expand',
      label: `${input.tag}.${i}`,
      input: { level: input.level + 1, depth: input.depth, fanout: input.fanout, tag: `${input.tag}.${i}` },
      after: [],
    }));
    specs.push({
      op: 'fixture.sum',
      label: `${input.tag} close`,
      input: { values: keys.map((k) => specRef(k, 'level')) },
      after: keys.map((k) => ({ tree: k })),
    });
    return addTasks({ level: input.level, tag: input.tag, leaf: false }, specs);
  }),
} as const;
