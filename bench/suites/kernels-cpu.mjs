/**
 * Before and after in one run, measured in CPU time (steady on a shared machine where wall
 * clocks swing 2-10x): the kernels of the base commit (BENCH_BASE, default the commit before
 * the issue-15 kernel work) and of this tree, each built with asc and driven by its own
 * wasm/kernels/calls.ts in this Node process, beside the native C reference
 * (bench/native/kernels.c, 1 thread), on the head phantom (256 x 256 x 130 int16). Every
 * output of both builds is compared voxel for voxel with the C one.
 * Node's V8 is older than Chromium's: the browser figures are in bench/results/native.md.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GCC_FLAGS } from './native.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BASE = process.env.BENCH_BASE ?? 'f4eab2c';
const ASC = ['-O3', '--enable', 'simd', '--runtime', 'stub', '--noAssert'];
const FIVE = [0, 5, 10, 15, 20];
const CASES = {
  'Gaussian rf 5': { c: ['gaussian', '2', '5'], run: (m, k, d, dims) => m.gaussianVtkKernel(k, d, dims, 2, 5) },
  'Gaussian rf 20': { c: ['gaussian', '2', '20'], run: (m, k, d, dims) => m.gaussianVtkKernel(k, d, dims, 2, 20) },
  'median 3x3x3': { c: ['median'], run: (m, k, d, dims) => m.medianKernel(k, d, dims, [3, 3, 3]) },
  // The same wasm against a C port of its own network (bench/native/kernels.c median_net): like for like.
  'median 3x3x3, C same network': { c: ['median-net'], run: (m, k, d, dims) => m.medianKernel(k, d, dims, [3, 3, 3]) },
  'dilate box r 1': { c: ['dilate', '1'], run: (m, k, d, dims) => m.morphologyKernel(k, 'dilate', d, dims, [1, 1, 1], 'box') },
  'dilate ball r 2': { c: ['dilate-ball', '2'], run: (m, k, d, dims) => m.morphologyKernel(k, 'dilate', d, dims, [2, 2, 2], 'ball') },
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sh = (cmd, args) => execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** asc build and driver bundle of the tree at `tree` (a folder with src/, wasm/, bench/native/). */
async function load(dir, tree, name) {
  if (tree !== root) {
    mkdirSync(`${tree}bench/native`, { recursive: true });
    copyFileSync(`${root}bench/native/cpu-entry.ts`, `${tree}bench/native/cpu-entry.ts`);
  }
  sh('npx', ['asc', `${tree}wasm/kernels/assembly/index.ts`, '-o', `${dir}${name}.wasm`, ...ASC]);
  sh('npx', ['rolldown', `${tree}bench/native/cpu-entry.ts`, '--platform', 'node', '--format', 'esm', '-o', `${dir}${name}.mjs`]);
  const m = await import(pathToFileURL(`${dir}${name}.mjs`).href);
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(`${dir}${name}.wasm`)), {
    env: {
      abort() {
        throw new Error(`${name} kernels: abort`);
      },
    },
  });
  return { m, k: new m.KernelInstance(wasm.exports) };
}

/** Best of `reps` CPU times (user + system) of `f`, and its last result. */
function cpu(f, reps = 3) {
  let best = Infinity;
  let out;
  for (let r = 0; r < reps; r++) {
    const t = process.cpuUsage();
    out = f();
    const u = process.cpuUsage(t);
    best = Math.min(best, (u.user + u.system) / 1000);
  }
  return { ms: best, out };
}

const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

export async function run(ctx) {
  // Outside the repository (tsc and eslint would read a copied tree), beside a link to its node_modules.
  const dir = `${mkdtempSync(join(os.tmpdir(), 'voxpool-kernels-cpu-'))}/`;
  try {
    return await measure(ctx, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(ctx, dir) {
  mkdirSync(`${dir}base/`, { recursive: true });
  symlinkSync(`${root}node_modules`, `${dir}node_modules`);
  execFileSync('sh', ['-c', `git archive ${BASE} src wasm | tar -x -C ${dir}base/`], { cwd: root });
  const base = await load(dir, `${dir}base/`, 'base');
  const now = await load(dir, root, 'current');
  const binary = `${dir}kernels-c`;
  execFileSync('gcc', [...GCC_FLAGS, `${root}bench/native/kernels.c`, '-o', binary, '-lm']);
  const head = now.m.makeHeadPhantom();
  const dims = head.dimensions;
  writeFileSync(`${dir}phantom.raw`, head.data);
  const c = (args) => {
    const t = JSON.parse(execFileSync(binary, [`${dir}phantom.raw`, ...dims.map(String), '1', `${dir}c.raw`, ...args], { encoding: 'utf8' }));
    const b = readFileSync(`${dir}c.raw`);
    return { ms: t.cpuMs, out: new Int16Array(b.buffer, b.byteOffset, b.length / 2) };
  };
  const passes = [];
  for (let p = 0; p < ctx.passes; p++) {
    const pass = {};
    for (const [name, { c: args, run }] of Object.entries(CASES)) {
      const C = c(args);
      const before = cpu(() => run(base.m, base.k, head.data.slice(), dims));
      const after = cpu(() => run(now.m, now.k, head.data.slice(), dims));
      pass[name] = { base: before.ms, now: after.ms, c: C.ms, identical: same(before.out, C.out) && same(after.out, C.out) };
    }
    let five = { base: 0, now: 0, c: 0, identical: true };
    for (const rf of FIVE) {
      const C = c(['gaussian', '2', String(rf)]);
      const before = cpu(() => base.m.gaussianVtkKernel(base.k, head.data.slice(), dims, 2, rf));
      const after = cpu(() => now.m.gaussianVtkKernel(now.k, head.data.slice(), dims, 2, rf));
      five = {
        base: five.base + before.ms,
        now: five.now + after.ms,
        c: five.c + C.ms,
        identical: five.identical && same(before.out, C.out) && same(after.out, C.out),
      };
    }
    pass['the five smooths rf 0-20'] = five;
    pass.load = os.loadavg()[0];
    ctx.log(
      `pass ${p + 1}: ${Object.entries(pass)
        .filter(([k]) => k !== 'load')
        .map(([k, v]) => `${k} ${v.base.toFixed(0)} -> ${v.now.toFixed(0)} ms (C ${v.c.toFixed(0)})`)
        .join(', ')}`,
    );
    passes.push(pass);
  }
  const names = [...Object.keys(CASES), 'the five smooths rf 0-20'];
  const rows = names.map((name) => {
    const of = (f) => median(passes.map((p) => f(p[name])));
    return {
      'filter, 256x256x130 int16 phantom, 1 thread': name,
      [`before (${BASE}) CPU ms`]: of((x) => x.base),
      'after CPU ms': of((x) => x.now),
      'before / after': of((x) => x.base / x.now),
      'C CPU ms': of((x) => x.c),
      'before / C': of((x) => x.base / x.c),
      'after / C': of((x) => x.now / x.c),
      'identical (before, after, C)': passes.every((p) => p[name].identical) ? 'yes' : 'NO',
    };
  });
  const notes = [
    `Command: \`npm run bench -- kernels-cpu\` (BENCH_PASSES=${ctx.passes}, BENCH_BASE=${BASE}). Both builds in this Node ${process.version} process (V8 ${process.versions.v8}), each with its own calls.ts, asc ${ASC.join(' ')}; C: bench/native/kernels.c, \`gcc ${GCC_FLAGS.join(' ')}\`, 1 OpenMP thread. Each figure is the best of 3 runs' CPU time (user + system) in a pass, the table the median over passes; the volume copy in is included for wasm, not for C.`,
    `Load (1-minute average after each pass, ${os.cpus().length} cores, shared): ${passes.map((p) => p.load.toFixed(1)).join(', ')}.`,
  ];
  return { title: "voxpool's kernels before and after, against native C, in CPU time", rows, notes, raw: passes };
}
