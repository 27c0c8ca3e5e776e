/**
 * voxpool's own kernels against a straightforward native C version of the same filters
 * (bench/native/kernels.c, built here with Debian's gcc: -O3 -march=native -fopenmp
 * -ffp-contract=off), side by side in one run: on the head phantom (256 x 256 x 130 int16) and
 * on the real head MR of public/samples/anatomical.nii. Every voxpool output is compared voxel
 * for voxel with the C one. The Gaussian has two C versions: the straightforward one (each input
 * widened to double once per tap) and `gaussian-strip`, a port of voxpool's own algorithm to
 * AVX2 (strips of lines widened once, the j and i passes slice by slice in place), for a
 * like-for-like comparison; voxpool's Gaussian outputs are compared with both and its times
 * shown against each (the "C: same strips" rows reuse the same voxpool runs). On a CPU with
 * AVX-512, the straightforward Gaussian is built a second time with 512-bit vectors (gcc keeps
 * 256 by default for such CPUs), and its rows ("C: 512-bit vectors") reuse the same runs too.
 * Passes interleave
 * C (1 thread, then all) and a fresh browser (1 worker and N alternating in rounds); figures are
 * medians over passes of each pass's best.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../native/kernels.c', import.meta.url));
const peakSource = fileURLToPath(new URL('../native/peak.c', import.meta.url));
const sample = fileURLToPath(new URL('../../public/samples/anatomical.nii', import.meta.url));
const dir = fileURLToPath(new URL('../dist/native/', import.meta.url));
const binary = `${dir}kernels-c`;
const wideBinary = `${dir}kernels-c-wide`;
export const GCC_FLAGS = ['-O3', '-march=native', '-fopenmp', '-ffp-contract=off'];
/** The straightforward C again, in 512-bit vectors where the CPU has AVX-512. */
const WIDE_FLAGS = [...GCC_FLAGS, '-mprefer-vector-width=512'];
const FIVE = [0, 5, 10, 15, 20];
const CASES = {
  'gaussian-rf5': ['gaussian', '2', '5'],
  'gaussian-rf20': ['gaussian', '2', '20'],
  'gaussian-rf5-strip': ['gaussian-strip', '2', '5'],
  'gaussian-rf20-strip': ['gaussian-strip', '2', '20'],
  median: ['median'],
  'median-net': ['median-net'],
  'dilate-r1': ['dilate', '1'],
  'dilate-ball-r2': ['dilate-ball', '2'],
};
/** Cases of the 512-bit build (wideBinary), against the same voxpool runs as their key without `-wide`. */
const WIDE_CASES = {
  'gaussian-rf5-wide': ['gaussian', '2', '5'],
  'gaussian-rf20-wide': ['gaussian', '2', '20'],
};
const WIDE_LABELS = {
  'gaussian-rf5-wide': 'Gaussian rf 5, C: 512-bit vectors',
  'gaussian-rf20-wide': 'Gaussian rf 20, C: 512-bit vectors',
  'five-wide': 'the five smooths rf 0-20, C: 512-bit vectors',
};
const LABELS = {
  'gaussian-rf5': 'Gaussian rf 5',
  'gaussian-rf20': 'Gaussian rf 20',
  five: 'the five smooths rf 0-20',
  'gaussian-rf5-strip': 'Gaussian rf 5, C: same strips',
  'gaussian-rf20-strip': 'Gaussian rf 20, C: same strips',
  'five-strip': 'the five smooths rf 0-20, C: same strips',
  median: 'median 3x3x3',
  'median-net': 'median 3x3x3, C same network',
  'dilate-r1': 'dilate box r 1',
  'dilate-ball-r2': 'dilate ball r 2',
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Builds the C (and, with AVX-512, its 512-bit twin); gives the compiler's name and whether this CPU has AVX-512. */
function build() {
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (gcc.status !== 0)
    throw new Error("the native benchmark builds its C reference with gcc, which is not here: `apt-get install gcc` (Debian's toolchain) and run again.");
  mkdirSync(dir, { recursive: true });
  execFileSync('gcc', [...GCC_FLAGS, source, '-o', binary, '-lm'], { stdio: 'inherit' });
  execFileSync('gcc', [...GCC_FLAGS, peakSource, '-o', `${dir}peak-c`], { stdio: 'inherit' });
  // What -march=native enables here: the macro peak.c's 512-bit measure is built under.
  const avx512 = /\b__AVX512F__\b/.test(execFileSync('gcc', ['-march=native', '-dM', '-E', '-x', 'c', '/dev/null'], { encoding: 'utf8' }));
  if (avx512) execFileSync('gcc', [...WIDE_FLAGS, source, '-o', wideBinary, '-lm'], { stdio: 'inherit' });
  return { compiler: gcc.stdout.split('\n')[0], avx512 };
}

/** This core's multiply-add peak (bench/native/peak.c) on `threads` threads at once: medians of 3 runs, per thread. */
function peak(threads) {
  const runs = Array.from({ length: 3 }, () => JSON.parse(execFileSync(`${dir}peak-c`, [String(threads)], { encoding: 'utf8' })));
  return { mulAdd: median(runs.map((r) => r.mulAdd)), fma: median(runs.map((r) => r.fma)), mulAdd512: median(runs.map((r) => r.mulAdd512)) };
}

/**
 * Multiply-add pairs one Gaussian smooth does (VTK's semantics: three passes, each voxel one pair
 * per tap of its kernel as clipped by the image edge).
 */
function gaussianPairs(dims, std, radiusFactor) {
  const r = Math.trunc(std * radiusFactor);
  const taps = (n) => {
    let t = 0;
    for (let a = 0; a < n; a++) t += Math.min(a + r, n - 1) - Math.max(a - r, 0) + 1;
    return t / n;
  };
  return (taps(dims[0]) + taps(dims[1]) + taps(dims[2])) * dims[0] * dims[1] * dims[2];
}
/** The issue's own C figures (one thread, 256x256x130 int16, std 2), for the arithmetic in the notes. */
const ISSUE_C_1T_MS = { 'gaussian-rf5': 20.7, 'gaussian-rf20': 49.3 };

/** The NIfTI-1 sample's int16 voxels, either byte order, as little-endian raw. */
function readSample() {
  const b = readFileSync(sample);
  const little = b.readInt32LE(0) === 348;
  if (!little && b.readInt32BE(0) !== 348) throw new Error(`${sample}: not a NIfTI-1 file (sizeof_hdr is not 348 in either byte order)`);
  const i16 = (o) => (little ? b.readInt16LE(o) : b.readInt16BE(o));
  const dims = [i16(42), i16(44), i16(46)];
  if (i16(70) !== 4) throw new Error(`${sample}: datatype ${i16(70)}, the native benchmark reads int16 (4) only`);
  const offset = Math.round(little ? b.readFloatLE(108) : b.readFloatBE(108));
  const n = dims[0] * dims[1] * dims[2];
  const out = Buffer.alloc(2 * n);
  for (let v = 0; v < n; v++) out.writeInt16LE(i16(offset + 2 * v), 2 * v);
  return { dims, raw: out };
}

function runC(vol, dims, threads, name, args, bin = binary) {
  const out = `${dir}c-${vol}-${name}.raw`;
  return JSON.parse(execFileSync(bin, [`${dir}${vol}.raw`, ...dims.map(String), String(threads), out, ...args], { encoding: 'utf8' }));
}

/** C times for every case at `threads`; the five smooths are the sum of the five filters, by each Gaussian. */
function cSide(vol, dims, threads, wide) {
  const ms = {};
  for (const [name, args] of Object.entries(CASES)) ms[name] = runC(vol, dims, threads, name, args).ms;
  if (wide) for (const [name, args] of Object.entries(WIDE_CASES)) ms[name] = runC(vol, dims, threads, name, args, wideBinary).ms;
  ms.five = 0;
  ms['five-strip'] = 0;
  if (wide) ms['five-wide'] = 0;
  for (const rf of FIVE) {
    ms.five += runC(vol, dims, threads, `gaussian-rf${rf}`, ['gaussian', '2', String(rf)]).ms;
    ms['five-strip'] += runC(vol, dims, threads, `gaussian-rf${rf}-strip`, ['gaussian-strip', '2', String(rf)]).ms;
    if (wide) ms['five-wide'] += runC(vol, dims, threads, `gaussian-rf${rf}-wide`, ['gaussian', '2', String(rf)], wideBinary).ms;
  }
  return ms;
}

export async function run(ctx) {
  const { compiler, avx512 } = build();
  const labels = avx512 ? { ...LABELS, ...WIDE_LABELS } : LABELS;
  const n = os.availableParallelism?.() ?? os.cpus().length;
  const phantom = await ctx.openPage('imaging', { mode: 'phantom' });
  if (!phantom.littleEndian) throw new Error('the page is big-endian; the native side reads little-endian int16');
  writeFileSync(`${dir}phantom.raw`, Buffer.from(phantom.base64, 'base64'));
  const head = readSample();
  writeFileSync(`${dir}head.raw`, head.raw);
  const volumes = { phantom: phantom.dimensions, head: head.dims };

  // BENCH_NATIVE_SPIN_AB=1: a pool of N without the spin wait beside the default one, in the same
  // rounds; =aa: the same pool twice (A/A), the spread that reading has on this machine.
  const spinAB = ['1', 'aa'].includes(process.env.BENCH_NATIVE_SPIN_AB) ? process.env.BENCH_NATIVE_SPIN_AB : null;
  const passes = [];
  for (let p = 0; p < ctx.passes; p++) {
    const pass = { load: 0, peak1: peak(1), peakN: peak(n) };
    for (const [vol, dims] of Object.entries(volumes)) {
      const c1 = cSide(vol, dims, 1, avx512);
      const cN = cSide(vol, dims, n, avx512);
      const page = await ctx.openPage('native', {
        vol,
        nx: dims[0],
        ny: dims[1],
        nz: dims[2],
        workers: n,
        rounds: spinAB ? 3 : 2,
        wide: avx512 ? 1 : 0,
        spinab: spinAB ?? 0,
      });
      pass[vol] = { c1, cN, page };
      ctx.log(
        `pass ${p + 1} ${vol}: ${Object.keys(labels)
          .map((k) => `${k} voxpool ${page.cases[k].many.toFixed(0)}/${page.cases[k].one.toFixed(0)} C ${cN[k].toFixed(0)}/${c1[k].toFixed(0)} ms`)
          .join(', ')}`,
      );
    }
    pass.load = os.loadavg()[0];
    passes.push(pass);
  }
  const rows = [];
  for (const vol of Object.keys(volumes)) {
    for (const [key, label] of Object.entries(labels)) {
      const of = (f) => median(passes.map((p) => f(p[vol])));
      const vN = of((s) => s.page.cases[key].many);
      const v1 = of((s) => s.page.cases[key].one);
      rows.push({
        volume: `${vol === 'head' ? 'real head MR' : 'head phantom'} ${volumes[vol].join('x')} int16`,
        filter: label,
        [`voxpool ${n} workers (ms)`]: vN,
        'voxpool 1 worker (ms)': v1,
        [`C ${n} threads (ms)`]: of((s) => s.cN[key]),
        'C 1 thread (ms)': of((s) => s.c1[key]),
        [`voxpool ${n}w / C ${n}t`]: of((s) => s.page.cases[key].many / s.cN[key]),
        'voxpool 1w / C 1t': of((s) => s.page.cases[key].one / s.c1[key]),
        'identical to C': passes.every((p) => p[vol].page.cases[key].identical) ? 'yes' : 'NO',
      });
    }
  }
  const peak1 = median(passes.map((p) => p.peak1.mulAdd));
  const peakN = median(passes.map((p) => p.peakN.mulAdd));
  const fma1 = median(passes.map((p) => p.peak1.fma));
  const wide1 = median(passes.map((p) => p.peak1.mulAdd512));
  const G = (x) => `${(x / 1e9).toFixed(1)} G/s`;
  const shares = ['gaussian-rf5', 'gaussian-rf20'].map((key) => {
    const pairs = gaussianPairs(volumes.phantom, 2, key === 'gaussian-rf5' ? 5 : 20);
    const of = (f) => median(passes.map((p) => f(p.phantom)));
    const rate = (ms, threads) => pairs / (ms / 1000) / threads;
    const pct = (ms, threads, pk) => `${((100 * rate(ms, threads)) / pk).toFixed(0)}%`;
    const strip = `${key}-strip`;
    const c1ms = (k) => of((s) => s.c1[k]);
    const cNms = (k) => of((s) => s.cN[k]);
    const v1ms = of((s) => s.page.cases[key].one);
    const vNms = of((s) => s.page.cases[key].many);
    const [c1, strip1, v1] = [c1ms(key), c1ms(strip), v1ms].map((ms) => pct(ms, 1, peak1));
    const [cN, stripN, vN] = [cNms(key), cNms(strip), vNms].map((ms) => pct(ms, n, peakN));
    const issue = rate(ISSUE_C_1T_MS[key], 1);
    return `${LABELS[key]} (${(pairs / 1e9).toFixed(3)} G pairs): C 1 thread ${c1}, C same strips 1 thread ${strip1}, voxpool 1 worker ${v1}, C ${n} threads ${cN}, C same strips ${n} threads ${stripN}, voxpool ${n} workers ${vN}; the issue's C at ${ISSUE_C_1T_MS[key]} ms on 1 thread would be ${G(issue)}, ${(issue / peak1).toFixed(2)}x this core's peak`;
  });
  const notes = [
    `This core's measured peak (bench/native/peak.c, built with the same flags) in AVX2's 256-bit vectors (4 doubles), which both C kernels use: ${G(peak1)} multiply-add pairs (a multiply, then an add, as the Gaussian's passes do) on 1 thread, ${G(peakN)} per thread with ${n} at once; fused multiply-adds ${G(fma1)}. ${avx512 ? `This CPU also has AVX-512: in 512-bit vectors (8 doubles) the same pairs reach ${G(wide1)} on 1 thread, ${(wide1 / peak1).toFixed(2)}x the 256-bit rate.` : 'No AVX-512 on this CPU.'} Share of the 256-bit peak reached, phantom: ${shares.join('; ')}. (WebAssembly SIMD holds 2 doubles a vector, so the wasm kernels' own ceiling is half the 256-bit C's.)`,
    `Command: \`npm run bench -- native\` (BENCH_PASSES=${ctx.passes}). C: bench/native/kernels.c built by ${compiler} with \`${GCC_FLAGS.join(' ')}\`, OpenMP on 1 and ${n} threads, the filter's own wall time. "C: same strips": the Gaussian rows again, the C now \`gaussian-strip\`, voxpool's own algorithm (gaussian.ts) ported to AVX2 intrinsics, against the same voxpool runs.${avx512 ? ` "C: 512-bit vectors": the straightforward C built with \`-mprefer-vector-width=512\` added (for this CPU gcc's -march=native keeps 256-bit vectors), against the same voxpool runs.` : ''} voxpool: production build, Chromium headless; a single filter runs as one task on 1 worker and split in place into slabs on ${n} (\`splitVolume\`), the five smooths as five tasks; times include moving the volume to the workers and back, not the copies of the input each run takes (five for the five smooths, each task taking its volume by transfer), made before the clock starts as the C reads its one input before its own.`,
    `"identical to C": every voxel of every voxpool output (both pools, every round and pass) equals the C output. The C and the wasm kernels also equal the TypeScript references (test/kernels/).`,
    ...(spinAB
      ? [
          `Spin wait ${spinAB === 'aa' ? 'A/A' : 'A/B'} (BENCH_NATIVE_SPIN_AB=${spinAB}): ${n} workers with the spin wait (the default) / ${spinAB === 'aa' ? 'a second such pool' : 'without (spinWait: 0)'}, the pools taking turns in the same rounds (three, each pool in every place once), median over passes of the per-pass ratio: ${Object.keys(
            volumes,
          )
            .map(
              (vol) =>
                `${vol}: ${Object.keys(LABELS)
                  .filter((key) => !key.endsWith('-strip'))
                  .map((key) => `${key} ${median(passes.map((p) => p[vol].page.cases[key].many / p[vol].page.cases[key].manyB)).toFixed(2)}`)
                  .join(', ')}`,
            )
            .join('; ')}.`,
        ]
      : []),
    `Load (1-minute average at the end of each pass, ${os.cpus().length} cores, shared with other sessions): ${passes.map((p) => p.load.toFixed(1)).join(', ')}. Each side's figure is its best round in the pass, the table the median over passes.`,
  ];
  return { title: "voxpool's own kernels against native C, side by side", rows, notes, raw: { volumes, passes } };
}
