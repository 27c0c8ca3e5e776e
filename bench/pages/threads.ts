/**
 * A bench-only prototype of WebAssembly threads for the Gaussian (not shipped; the page is
 * cross-origin isolated by the bench server): the kernels built with a shared, imported memory
 * (bench/suites/threads.mjs builds threads/kernels-shared.wasm), the volume in that memory once,
 * and N workers each running its share of rows of the k pass, a barrier, then its share of
 * slices of the j and i passes, no copies between them and no halos. Against it, on the same
 * head phantom: the pool's slab split in place (each slab copied to its worker with its halo
 * and back) and one worker unsplit. Rounds alternate the order; every output must equal the
 * 1-worker one voxel for voxel. Times include copying the volume into shared memory and out.
 *   ?workers=N&rounds=R
 */
import { createPool, splitVolume } from '../../src/index.ts';
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import type { Volume } from '../../src/data/volume.ts';
import { gaussianPlan } from '../../wasm/kernels/calls.ts';
import type { Done, Job } from './threads.worker.ts';

const params = new URLSearchParams(location.search);
const workers = Number(params.get('workers') ?? navigator.hardwareConcurrency);
const rounds = Number(params.get('rounds') ?? 3);
const FACTORS = [5, 20];
const PAGE = 65536;
const align = (n: number): number => (n + 15) & ~15;

/** N threads over one shared memory. */
class Threads {
  private readonly sync = new Int32Array(new SharedArrayBuffer(8));
  private readonly threads: Worker[] = [];
  private constructor(
    readonly memory: WebAssembly.Memory,
    private readonly heapBase: number,
  ) {}

  static async start(module: WebAssembly.Module, n: number): Promise<Threads> {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 4096, shared: true });
    const main = await WebAssembly.instantiate(module, { env: { memory } });
    const t = new Threads(memory, (main.exports.heapBase as () => number)());
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL('./threads.worker.ts', import.meta.url), { type: 'module' });
      const ready = new Promise<void>((resolve, reject) => {
        w.onmessage = () => resolve();
        w.onerror = (e) => reject(new Error(`thread ${i}: ${e.message}`));
      });
      w.postMessage({ module, memory, sync: t.sync });
      await ready;
      t.threads.push(w);
    }
    return t;
  }

  /** The Gaussian of `data` on the first `n` threads; the output and each thread's times. */
  async gaussian(data: Int16Array, dims: [number, number, number], rf: number, n: number): Promise<{ out: Int16Array; done: Done[] }> {
    const { radius, tables, strips } = gaussianPlan(dims, 2, rf);
    const sizes = [data.byteLength, data.byteLength, ...tables.map((t) => t.byteLength), ...Array.from({ length: n }, () => strips).flat()];
    let at = align(this.heapBase);
    const offsets = sizes.map((s) => {
      const o = at;
      at = align(at + s);
      return o;
    });
    if (at > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((at - this.memory.buffer.byteLength) / PAGE));
    const [src, dst, wx, wy, wz] = offsets as [number, number, number, number, number];
    tables.forEach((t, i) => new Float64Array(this.memory.buffer, offsets[2 + i]!, t.length).set(t));
    new Int16Array(this.memory.buffer, src, data.length).set(data);
    const [, ny, nz] = dims;
    const share = (len: number, i: number): [number, number] => [Math.floor((len * i) / n), Math.floor((len * (i + 1)) / n)];
    const done = await Promise.all(
      this.threads.slice(0, n).map(
        (w, i) =>
          new Promise<Done>((resolve) => {
            w.onmessage = (e: MessageEvent<Done>) => resolve(e.data);
            const job: Job = {
              src,
              dst,
              weights: [wx, wy, wz],
              strips: [offsets[5 + 2 * i]!, offsets[6 + 2 * i]!],
              dims,
              radius,
              rows: share(ny, i),
              slices: share(nz, i),
              parties: n,
            };
            w.postMessage(job);
          }),
      ),
    );
    return { out: new Int16Array(this.memory.buffer, dst, data.length).slice(), done };
  }

  terminate(): void {
    for (const w of this.threads) w.terminate();
  }
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function main(): Promise<object> {
  if (!crossOriginIsolated) throw new Error('the threads page needs cross-origin isolation (COOP/COEP) for shared wasm memory');
  const head = makeHeadPhantom();
  const dims = head.dimensions;
  const data = head.data as Int16Array;
  const module = await WebAssembly.compileStreaming(fetch('threads/kernels-shared.wasm'));
  const threads = await Threads.start(module, workers);
  const many = createPool({ size: workers });
  const one = createPool({ size: 1 });
  await Promise.all([many.warm(), one.warm()]);
  const volume = (): Volume => ({ ...head, data: data.slice() });
  const sides = {
    'pool, 1 worker, unsplit': async (rf: number) => (await one.run('volume.gaussianVtk', { volume: volume(), std: 2, radiusFactor: rf })).data,
    [`pool, ${workers} workers, split in place`]: async (rf: number) =>
      (await splitVolume(many, 'volume.gaussianVtk', { volume: volume(), std: 2, radiusFactor: rf }, { inPlace: true })).data,
    'shared memory, 1 thread': async (rf: number) => (await threads.gaussian(data, dims, rf, 1)).out,
    [`shared memory, ${workers} threads`]: async (rf: number) => (await threads.gaussian(data, dims, rf, workers)).out,
  };
  const result: Record<string, Record<string, { ms: number; identical: boolean }>> = {};
  const phases: Record<string, Done[]> = {};
  for (const rf of FACTORS) {
    const expected = await sides['pool, 1 worker, unsplit'](rf);
    for (const run of Object.values(sides)) await run(rf); // warm: memory grown, code tiered up
    const times: Record<string, number[]> = {};
    const identical: Record<string, boolean> = {};
    const names = Object.keys(sides);
    for (let r = 0; r < rounds; r++) {
      for (const name of r % 2 === 0 ? names : [...names].reverse()) {
        const t = performance.now();
        const out = await sides[name]!(rf);
        (times[name] ??= []).push(performance.now() - t);
        identical[name] = (identical[name] ?? true) && same(out, expected);
      }
    }
    result[`rf ${rf}`] = Object.fromEntries(names.map((n) => [n, { ms: Math.min(...times[n]!), identical: identical[n]! }]));
    phases[`rf ${rf}`] = (await threads.gaussian(data, dims, rf, workers)).done;
  }
  threads.terminate();
  await Promise.all([many.terminate(), one.terminate()]);
  return { workers, result, phases };
}

main()
  .then((result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }))
  .catch((e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: String((e as Error)?.stack ?? e) }));
