/**
 * The Gaussian's wasm passes one by one (bench/suites/gauss-passes.mjs builds the kernels and
 * their driver from two trees into gauss-passes/<build>.wasm and .mjs): on this page's thread,
 * no worker and no copy, the k pass over every row and then the j and i passes over every slice,
 * called as calls.ts calls them, on the head phantom, rf 5 and rf 20. The builds take turns
 * rep by rep; each figure is a build's best rep. Both builds' outputs must be the same voxels.
 *   ?builds=base,current&reps=N
 */
import { makeHeadPhantom } from '../../src/data/phantom.ts';

interface Kernels {
  layout(sizes: readonly number[]): number[];
  write(offset: number, data: ArrayBufferView): void;
  readonly memory: WebAssembly.Memory;
  readonly exports: Record<string, (...args: number[]) => void>;
}
interface Driver {
  gaussianPlan(dims: [number, number, number], std: number, rf: number): { radius: number; tables: Float64Array[]; strips: [number, number] };
  KernelInstance: new (exports: WebAssembly.Exports) => Kernels;
}

const params = new URLSearchParams(location.search);
const builds = (params.get('builds') ?? 'base,current').split(',');
const reps = Number(params.get('reps') ?? 8);
const FACTORS = [5, 20];

async function load(name: string): Promise<{ driver: Driver; k: Kernels }> {
  const driver = (await import(/* @vite-ignore */ new URL(`gauss-passes/${name}.mjs`, location.href).href)) as Driver;
  const { instance } = await WebAssembly.instantiateStreaming(fetch(new URL(`gauss-passes/${name}.wasm`, location.href)), {
    env: {
      abort() {
        throw new Error(`${name} kernels: abort`);
      },
    },
  });
  return { driver, k: new driver.KernelInstance(instance.exports) };
}

async function main(): Promise<object> {
  const head = makeHeadPhantom();
  const dims = head.dimensions;
  const [nx, ny, nz] = dims;
  const loaded = await Promise.all(builds.map(load));
  const result: Record<string, Record<string, { k: number; ji: number }>> = {};
  const identical: Record<string, boolean> = {};
  for (const rf of FACTORS) {
    const runs = loaded.map(({ driver, k }) => {
      const { radius, tables, strips } = driver.gaussianPlan(dims, 2, rf);
      const bytes = head.data.byteLength;
      const [src, dst, w0, w1, w2, a, b] = k.layout([bytes, bytes, ...tables.map((t) => t.byteLength), ...strips]);
      const weights = [w0!, w1!, w2!];
      tables.forEach((t, axis) => k.write(weights[axis]!, t));
      const passK = k.exports.gaussk_i16!;
      const passJI = k.exports.gaussji_i16!;
      return {
        k,
        dst: dst!,
        best: { k: Infinity, ji: Infinity },
        rep(): void {
          k.write(src!, head.data);
          let t = performance.now();
          for (let j = 0; j < ny; j++) passK(src!, dst!, nx, ny, nz, radius, weights[2]!, a!, b!, j, j + 1, 0, nz);
          const kMs = performance.now() - t;
          t = performance.now();
          for (let z = 0; z < nz; z++) passJI(dst!, nx, ny, radius, weights[1]!, weights[0]!, a!, b!, z);
          const jiMs = performance.now() - t;
          this.best = { k: Math.min(this.best.k, kMs), ji: Math.min(this.best.ji, jiMs) };
        },
      };
    });
    for (let r = 0; r < reps; r++) {
      // Turns in both orders, so neither build always runs right after the other.
      const order = r % 2 === 0 ? runs : [...runs].reverse();
      for (const run of order) run.rep();
    }
    const outputs = runs.map((run) => new Int16Array(run.k.memory.buffer, run.dst, head.data.length));
    identical[`rf ${rf}`] = outputs.every((o) => o.every((v, i) => v === outputs[0]![i]));
    result[`rf ${rf}`] = Object.fromEntries(builds.map((name, i) => [name, runs[i]!.best]));
  }
  return { result, identical, dims };
}

main()
  .then((result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }))
  .catch((e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: String((e as Error)?.stack ?? e) }));
