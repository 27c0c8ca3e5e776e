/**
 * The pool's round trip and tiny-task throughput before and after a change, in one page: the
 * pool of a given commit (./old/, staged by run.mjs), the working tree's (src/) and a raw
 * postMessage floor, in alternating blocks, so all three see the same load on a shared machine.
 */
import { Pool as OldPool } from './old/pool/pool.ts';
import { Pool as NewPool } from '../../src/pool/pool.ts';
import workerpool from 'workerpool';
import workerpoolUrl from '../pages/workerpool.worker.ts?worker&url';

type Call = () => Promise<unknown>;
const n = navigator.hardwareConcurrency;
const raw = Array.from({ length: n }, () => new Worker(new URL('./raw.worker.ts', import.meta.url), { type: 'module' }));
const pending = new Map<number, () => void>();
for (const w of raw)
  w.onmessage = (e: MessageEvent<{ id: number }>) => {
    pending.get(e.data.id)!();
    pending.delete(e.data.id);
  };
let next = 0;
const rawCall: Call = () =>
  new Promise<void>((resolve) => {
    const id = next++;
    pending.set(id, resolve);
    raw[id % n]!.postMessage({ id, data: null });
  });
const oldPool = new OldPool({ size: n, spareWorkers: 0, worker: () => new Worker(new URL('./old.worker.ts', import.meta.url), { type: 'module' }) });
const newPool = new NewPool({ size: n, spareWorkers: 0, worker: () => new Worker(new URL('./new.worker.ts', import.meta.url), { type: 'module' }) });
// The closest peer in the pool benchmark, in the same page: a ratio between libraries measured
// side by side, not across pages.
const peer = workerpool.pool(workerpoolUrl, { maxWorkers: n, workerType: 'web', workerOpts: { type: 'module' } });
const libs: Record<string, Call> = {
  raw: rawCall,
  before: () => oldPool.run('test.noop', null),
  after: () => newPool.run('test.noop', null),
  workerpool: () => peer.exec('noop', []) as Promise<unknown>,
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(): Promise<object> {
  await Promise.all([oldPool.warm(), newPool.warm(), peer.exec('noop', [])]);
  for (const call of Object.values(libs)) {
    await Promise.all(Array.from({ length: 2000 }, call));
    for (let i = 0; i < 300; i++) await call();
  }
  const names = Object.keys(libs);
  const latency: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  const throughput: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (let b = 0; b < 30; b++) {
    for (const k of b % 2 ? [...names].reverse() : names) {
      const s = performance.now();
      for (let i = 0; i < 100; i++) await libs[k]!();
      latency[k]!.push((performance.now() - s) * 10);
    }
  }
  for (let b = 0; b < 6; b++) {
    for (const k of b % 2 ? [...names].reverse() : names) {
      const s = performance.now();
      await Promise.all(Array.from({ length: 10_000 }, libs[k]!));
      throughput[k]!.push(10_000 / ((performance.now() - s) / 1000));
    }
  }
  const ratio = (k: string, m: Record<string, number[]>): number => median(m[k]!.map((x, i) => x / m.raw![i]!));
  return Object.fromEntries(
    names.map((k) => [
      k,
      { latencyUs: median(latency[k]!), latencyXRaw: ratio(k, latency), tasksPerS: median(throughput[k]!), throughputXRaw: ratio(k, throughput) },
    ]),
  );
}

measure()
  .then((result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }))
  .catch((e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: String((e as Error)?.stack ?? e) }));
