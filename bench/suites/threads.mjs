/**
 * WebAssembly threads for the Gaussian, measured (issue 15): a bench-only prototype
 * (bench/pages/threads.ts, not shipped) runs the kernels over one shared memory in N workers,
 * against the pool's slab split with its copies and halos, on the head phantom, rf 5 and rf 20.
 * The suite builds the shared-memory variant of wasm/kernels/assembly with asc (the shipped
 * flags plus threads, an imported shared memory) into the bench build, then opens the page once
 * per pass; figures are medians over passes of each pass's best round.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = fileURLToPath(new URL('../dist/threads/', import.meta.url));
const ASC = [
  '-O3',
  '--enable',
  'simd',
  '--enable',
  'threads',
  '--runtime',
  'stub',
  '--noAssert',
  '--importMemory',
  '--sharedMemory',
  '--initialMemory',
  '16',
  '--maximumMemory',
  '4096',
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(ctx) {
  mkdirSync(dir, { recursive: true });
  execFileSync('npx', ['asc', `${root}wasm/kernels/assembly/index.ts`, '-o', `${dir}kernels-shared.wasm`, ...ASC], { cwd: root, stdio: 'inherit' });
  const workers = os.availableParallelism?.() ?? os.cpus().length;
  const passes = [];
  for (let p = 0; p < ctx.passes; p++) {
    const page = await ctx.openPage('threads', { workers, rounds: 3 });
    page.load = os.loadavg()[0];
    passes.push(page);
    ctx.log(
      `pass ${p + 1}: ${Object.entries(page.result)
        .map(
          ([rf, sides]) =>
            `${rf} ${Object.entries(sides)
              .map(([s, v]) => `${s} ${v.ms.toFixed(0)}`)
              .join(' / ')}`,
        )
        .join('; ')} ms`,
    );
  }
  const split = `pool, ${workers} workers, split in place`;
  const shared = `shared memory, ${workers} threads`;
  const rows = [];
  for (const rf of Object.keys(passes[0].result)) {
    const of = (f) => median(passes.map((p) => f(p.result[rf])));
    const row = { filter: `Gaussian ${rf}, head phantom 256x256x130 int16` };
    for (const side of Object.keys(passes[0].result[rf])) row[`${side} (ms)`] = of((s) => s[side].ms);
    row[`split / shared memory`] = of((s) => s[split].ms / s[shared].ms);
    row['speedup, split vs 1 worker'] = of((s) => s['pool, 1 worker, unsplit'].ms / s[split].ms);
    row['speedup, shared memory N vs 1 thread'] = of((s) => s['shared memory, 1 thread'].ms / s[shared].ms);
    row['identical to 1 worker'] = passes.every((p) => Object.values(p.result[rf]).every((v) => v.identical)) ? 'yes' : 'NO';
    rows.push(row);
  }
  const phase = (rf) =>
    passes
      .at(-1)
      .phases[rf].map((d, i) => `thread ${i + 1}: k pass ${d.k.toFixed(0)} ms, barrier wait ${d.wait.toFixed(1)} ms, j and i passes ${d.ji.toFixed(0)} ms`)
      .join('; ');
  const notes = [
    `Command: \`npm run bench -- threads\` (BENCH_PASSES=${ctx.passes}); ${workers} workers, production build, headless Chromium, cross-origin isolated. Shared-memory kernels: asc ${ASC.join(' ')}, the very same AssemblyScript source as the shipped kernels; the threads sync with one Atomics barrier between the k pass (rows split) and the j and i passes (slices split), with no halo and no copy but the volume into shared memory and the result out (both timed).`,
    `Split: \`splitVolume(pool, 'volume.gaussianVtk', ..., { inPlace: true })\`, slabs with their halo moved to the workers and back, slab buffers kept from the warm-up run.`,
    ...Object.keys(passes[0].result).map((rf) => `Phases of the shared-memory run, ${rf} (last pass): ${phase(rf)}.`),
    `Load (1-minute average after each pass, ${os.cpus().length} cores, shared): ${passes.map((p) => p.load.toFixed(1)).join(', ')}.`,
  ];
  return { title: 'The Gaussian on WebAssembly threads (shared memory, a bench-only prototype) against the slab split', rows, notes, raw: passes };
}
