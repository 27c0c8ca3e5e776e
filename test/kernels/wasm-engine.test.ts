/**
 * How the kernels' wasm gets to the workers: fetched and compiled once per pool on the page, the
 * Module posted to every worker (no worker fetches it), or fetched by the worker itself when a
 * pool gives no Module; always from the pool's asset base (a subpath works), never off origin.
 * Workers' own resource timelines show what they fetched (the page's cannot see them).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assetBase, createPool, Pool } from '../../src/index.ts';
import { kernelsUrl } from '../../wasm/kernels/page.ts';
import type { Volume } from '../../src/data/volume.ts';
import type { ioTestOps } from '../data/io.worker.ts';

let pool: Pool<typeof ioTestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

const ioWorker = () => new Worker(new URL('../data/io.worker.ts', import.meta.url), { type: 'module' });
const cube = (): Volume => ({
  name: 'cube',
  data: Int16Array.from({ length: 6 * 5 * 4 }, (_, n) => (n * 7919) % 1000),
  dimensions: [6, 5, 4],
  spacing: [1, 1, 1],
  origin: [0, 0, 0],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  components: 1,
});
const wasmFetches = (urls: string[]) => urls.filter((u) => u.endsWith('/kernels/voxpool-kernels.wasm'));

/**
 * Runs a task until each of the pool's two workers has run it once, giving results by worker:
 * two submitted in one turn onto two idle workers go one to each (posted at once from run() when
 * the op is known to be short, else by the turn's dispatch, idle workers first).
 */
async function onEachWorker<T>(p: Pool<typeof ioTestOps>, submit: () => { result: Promise<T>; record: { workerId: number | null } }): Promise<Map<number, T>> {
  // Both workers started (a pool starts them as its queue needs them): then each takes one.
  await p.warm();
  const byWorker = new Map<number, T>();
  for (let tries = 0; byWorker.size < 2 && tries < 40; tries++) {
    for (const h of [submit(), submit()]) {
      const result = await h.result;
      byWorker.set(h.record.workerId ?? -1, result);
    }
  }
  return byWorker;
}

describe('own kernels engine', () => {
  it('createPool compiles the wasm once on the page; its workers never fetch it', async () => {
    const seen = () => wasmFetches(performance.getEntriesByType('resource').map((e) => e.name)).length;
    const before = seen();
    pool = createPool({ size: 2, worker: ioWorker });
    const medians = await onEachWorker(pool, () => pool!.submit('volume.median', { volume: cube() }));
    expect(medians.size).toBe(2); // both workers instantiated the kernels
    await pool.run('volume.dilate', { volume: cube(), radius: 1 });
    expect(seen() - before).toBe(1);
    const timelines = await onEachWorker(pool, () => pool!.submit('data.fetched', null));
    expect(timelines.size).toBe(2);
    for (const urls of timelines.values()) {
      expect(wasmFetches(urls)).toEqual([]);
      for (const url of urls) expect(new URL(url).origin, url).toBe(location.origin);
    }
    for (const e of performance.getEntriesByType('resource')) expect(new URL(e.name).origin, e.name).toBe(location.origin);
  });

  it('a worker given no Module fetches the wasm itself, once, from the base it was given (a subpath)', async () => {
    const base = new URL('deployed/at/a/subpath/', assetBase).href;
    pool = new Pool<typeof ioTestOps>({ size: 1, worker: ioWorker, resources: { assetBase: () => base } });
    const a = await pool.run('volume.median', { volume: cube() });
    const b = await pool.run('volume.gaussianVtk', { volume: cube(), radiusFactor: 1 });
    expect(a.data.length).toBe(120);
    expect(b.data.length).toBe(120);
    const urls = await pool.run('data.fetched', null);
    expect(wasmFetches(urls)).toEqual([kernelsUrl(base)]);
    for (const url of urls) expect(new URL(url).origin).toBe(location.origin);
  });
});
