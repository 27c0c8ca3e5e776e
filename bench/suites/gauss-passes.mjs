/**
 * The Gaussian's wasm passes one by one, before and after, in the browser: the kernels of the
 * base commit (BENCH_BASE, default the commit before this stop's kernel work) and of this tree,
 * each built with asc and bundled with its own calls.ts, timed on one page's thread
 * (bench/pages/gauss-passes.ts) rep by rep in turns, on the head phantom at rf 5 and rf 20: the
 * k pass, then the j and i passes. Beside them, this core's multiply-add peak (bench/native/peak.c):
 * WebAssembly's f64x2 holds half an AVX2 vector, so half that peak is the wasm kernels' ceiling,
 * and each pass's share of it says how much a faster kernel could still gain.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GCC_FLAGS } from './native.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = fileURLToPath(new URL('../dist/gauss-passes/', import.meta.url));
const BASE = process.env.BENCH_BASE ?? '8490a43';
const ASC = ['-O3', '--enable', 'simd', '--runtime', 'stub', '--noAssert'];
const DIMS = [256, 256, 130];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sh = (cmd, args) => execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** Multiply-add pairs of one pass along an axis of n (each voxel one pair per tap of its clipped kernel), over the whole volume. */
function passPairs(n, r) {
  let taps = 0;
  for (let a = 0; a < n; a++) taps += Math.min(a + r, n - 1) - Math.max(a - r, 0) + 1;
  return (taps / n) * DIMS[0] * DIMS[1] * DIMS[2];
}

/** asc build and browser bundle of the tree at `tree` into `out`/<name>.wasm and .mjs. */
function build(tree, name) {
  if (tree !== root) {
    mkdirSync(`${tree}bench/native`, { recursive: true });
    copyFileSync(`${root}bench/native/passes-entry.ts`, `${tree}bench/native/passes-entry.ts`);
  }
  sh('npx', ['asc', `${tree}wasm/kernels/assembly/index.ts`, '-o', `${out}${name}.wasm`, ...ASC]);
  sh('npx', ['rolldown', `${tree}bench/native/passes-entry.ts`, '--platform', 'browser', '--format', 'esm', '-o', `${out}${name}.mjs`]);
}

export async function run(ctx) {
  // The base tree outside the repository (tsc and eslint would read it), beside a link to node_modules.
  const dir = `${mkdtempSync(join(os.tmpdir(), 'voxpool-gauss-passes-'))}/`;
  try {
    mkdirSync(out, { recursive: true });
    mkdirSync(`${dir}base/`, { recursive: true });
    symlinkSync(`${root}node_modules`, `${dir}node_modules`);
    execFileSync('sh', ['-c', `git archive ${BASE} src wasm | tar -x -C ${dir}base/`], { cwd: root });
    build(`${dir}base/`, 'base');
    build(root, 'current');
    execFileSync('gcc', [...GCC_FLAGS, `${root}bench/native/peak.c`, '-o', `${dir}peak-c`]);
    const peak = () => median(Array.from({ length: 3 }, () => JSON.parse(execFileSync(`${dir}peak-c`, ['1'], { encoding: 'utf8' })).mulAdd));
    const passes = [];
    for (let p = 0; p < ctx.passes; p++) {
      // The peak on both sides of the page: this core's clock moves with the host's load.
      const before = peak();
      const page = await ctx.openPage('gauss-passes', { builds: 'base,current', reps: 8 });
      page.peaks = [before, peak()];
      page.load = os.loadavg()[0];
      passes.push(page);
      ctx.log(
        `pass ${p + 1}: ${Object.entries(page.result)
          .map(([rf, b]) => `${rf} k ${b.base.k.toFixed(1)} -> ${b.current.k.toFixed(1)}, j+i ${b.base.ji.toFixed(1)} -> ${b.current.ji.toFixed(1)} ms`)
          .join('; ')}; peak ${page.peaks.map((x) => (x / 1e9).toFixed(1)).join(' and ')} G/s`,
      );
    }
    const peaks = passes.flatMap((p) => p.peaks);
    // A peak's lower readings are interference (the same wasm passes stayed within 2% meanwhile).
    const ceiling = Math.max(...peaks) / 2;
    const rows = [];
    for (const rf of Object.keys(passes[0].result)) {
      const r = Math.trunc(2 * Number(rf.slice(3)));
      const pairs = { k: passPairs(DIMS[2], r), ji: passPairs(DIMS[1], r) + passPairs(DIMS[0], r) };
      for (const name of ['base', 'current']) {
        const of = (f) => median(passes.map((p) => f(p.result[rf][name])));
        const k = of((b) => b.k);
        const ji = of((b) => b.ji);
        const share = (ms, n) => `${Math.round((100 * n) / (ms / 1000) / ceiling)}%`;
        rows.push({
          'filter, head phantom 256x256x130 int16, 1 thread': `Gaussian ${rf}`,
          build: name === 'base' ? `before (${BASE})` : 'after (this tree)',
          'k pass (ms)': k,
          'j and i passes (ms)': ji,
          'all three (ms)': of((b) => b.k + b.ji),
          'k pass, share of the f64x2 ceiling': share(k, pairs.k),
          'j and i, share of the f64x2 ceiling': share(ji, pairs.ji),
          'same voxels, both builds': passes.every((p) => p.identical[rf]) ? 'yes' : 'NO',
        });
      }
    }
    const notes = [
      `Command: \`npm run bench -- gauss-passes\` (BENCH_PASSES=${ctx.passes}, BENCH_BASE=${BASE}). Both builds (asc ${ASC.join(' ')}, each with its own calls.ts) on one headless Chromium page's thread, no worker and no copy: the k pass row by row, then the j and i passes slice by slice, as calls.ts calls them; 8 reps each, the builds taking turns, each figure a build's best rep in a pass, the table the median over passes.`,
      `The f64x2 ceiling: half of this core's 256-bit multiply-add peak (bench/native/peak.c, \`gcc ${GCC_FLAGS.join(' ')}\`, 1 thread, measured before and after each page: ${peaks.map((x) => (x / 2e9).toFixed(1)).join(', ')} G/s halved), the highest ${(ceiling / 1e9).toFixed(2)} G pairs/s (a peak's lower readings are interference); a pass's share is its multiply-add pairs (each voxel one pair per tap of its clipped kernel) over its time, against that.`,
      `Load (1-minute average after each pass, ${os.cpus().length} cores, shared): ${passes.map((p) => p.load.toFixed(1)).join(', ')}.`,
    ];
    return { title: "The Gaussian's wasm passes one by one, before and after, against the f64x2 ceiling", rows, notes, raw: passes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
