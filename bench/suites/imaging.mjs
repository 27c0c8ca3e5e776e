/**
 * The imaging benchmark (issue 4), side by side in one run: the Slicer volume demo (256 x 256 x
 * 130 int16 head phantom, vtkImageGaussianSmooth std 2 voxels, radius factors 0, 5, 10, 15, 20 as
 * five tasks) on N workers, on 1 worker, and in native VTK 9 (Debian's python3-vtk9, all threads
 * and one); the 3x3x3 median (vtkImageMedian3D) and one Gaussian, each split across the N
 * workers, against the same filter unsplit on 1 and native VTK.
 * Passes are interleaved (native, the page, native on one thread), a fresh browser per page;
 * inside the page, N workers and 1 worker alternate in rounds so both see the same background
 * load; each page gives the best of its rounds. Figures are medians over passes, with their spread.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('../native/vtk_filters.py', import.meta.url));
const nativeDir = fileURLToPath(new URL('../dist/native/', import.meta.url));
const RADIUS_FACTORS = [0, 5, 10, 15, 20];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => {
  const m = median(xs);
  return m > 0 ? (Math.max(...xs) - Math.min(...xs)) / m : 0;
};

/** Native VTK must be there: this benchmark never downloads anything. */
function requireNativeVtk() {
  const check = spawnSync(PYTHON, ['-c', 'import vtk, numpy'], { encoding: 'utf8' });
  if (check.status !== 0) {
    const why = check.error ? check.error.message : check.stderr.trim().split('\n').at(-1);
    throw new Error(
      `the imaging benchmark compares against native VTK, and \`${PYTHON} -c 'import vtk, numpy'\` failed (${why}). ` +
        "Install Debian's VTK 9 for Python with `apt-get install python3-vtk9 python3-numpy` (the system Python, not a pyenv/venv one) and run again.",
    );
  }
}

function nativeRun(raw, dims, spacing, threads, out) {
  const args = [script, raw, ...dims.map(String), ...spacing.map(String), '--threads', threads, '--median'];
  if (out) args.push('--out', out);
  return JSON.parse(execFileSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

/**
 * Balance (issue 15): the five smooths and rf 20 alone on N workers, as whole tasks (what the
 * pool did before) and with `split: 'auto'`, each worker's timeline lane (busy ms, last end);
 * against the five on 1 worker. `BENCH_IMAGING_PART=balance` runs this part alone.
 */
async function balance(ctx, n) {
  const passes = [];
  for (let p = 0; p < ctx.passes; p++) {
    const page = await ctx.openPage('imaging', { mode: 'balance', workers: n, rounds: 2 });
    ctx.log(
      `pass ${p + 1} balance: five whole ${page.fiveWhole.wallMs.toFixed(0)} ms, five auto ${page.fiveAuto.wallMs.toFixed(0)} ms, five on 1 ${page.fiveOne.wallMs.toFixed(0)} ms, rf 20 whole ${page.rf20Whole.wallMs.toFixed(0)} ms, auto ${page.rf20Auto.wallMs.toFixed(0)} ms`,
    );
    passes.push(page);
  }
  const lanes = (run) =>
    run.lanes
      .map(
        (l) =>
          `worker ${l.worker}: ${l.runs.map(([label, ms]) => `${label} ${ms.toFixed(0)} ms`).join(', ')}; ${l.tasks} tasks, first start ${l.firstStartMs.toFixed(0)} ms, busy ${l.busyMs.toFixed(0)} ms, gaps ${l.gapsMs.toFixed(0)} ms, last end ${l.endMs.toFixed(0)} ms`,
      )
      .join('; ');
  const gap = (run) => (run.lanes.length < 2 ? NaN : Math.max(...run.lanes.map((l) => l.endMs)) - Math.min(...run.lanes.map((l) => l.endMs)));
  const row = (measure, key) => ({
    measure,
    [`wall ms (${n} workers)`]: median(passes.map((p) => p[key].wallMs)),
    'speedup vs five on 1': key.startsWith('five') ? median(passes.map((p) => p.fiveOne.wallMs / p[key].wallMs)) : '',
    'workers ending apart (ms)': passes[0][key].lanes.length < 2 ? '' : median(passes.map((p) => gap(p[key]))),
    'lanes (best round, pass 1)': lanes(passes[0][key]),
  });
  const rows = [
    row('five smooths, whole tasks (as before)', 'fiveWhole'),
    row("five smooths, split: 'auto'", 'fiveAuto'),
    row('five smooths on 1 worker', 'fiveOne'),
    row('rf 20 alone, one task (as before)', 'rf20Whole'),
    row("rf 20 alone, split: 'auto'", 'rf20Auto'),
  ];
  const notes = [
    `Balance command: \`BENCH_IMAGING_PART=balance npm run bench -- imaging\` (BENCH_PASSES=${ctx.passes}); each page runs 2 rounds, alternating order, and gives the best round; figures are medians over passes. "Workers ending apart": the last task end of the latest worker less that of the earliest (an idle worker waiting on the other).`,
    `Outputs with split: 'auto' equal the whole-task ones voxel for voxel (five smooths, rf 20 alone), in every pass: ${passes.every((p) => p.checks.fiveAutoEqualsWhole && p.checks.rf20AutoEqualsWhole)}.`,
    `Per pass (wall ms: five whole / five auto / five on 1 / rf 20 whole / rf 20 auto): ${passes.map((p) => [p.fiveWhole, p.fiveAuto, p.fiveOne, p.rf20Whole, p.rf20Auto].map((r) => r.wallMs.toFixed(0)).join(' / ')).join('; ')}. Load average (1 min) at the end: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores.`,
  ];
  return { rows, notes, raw: passes };
}

export async function run(ctx) {
  if (process.env.BENCH_IMAGING_PART === 'balance') {
    const n = os.availableParallelism?.() ?? os.cpus().length;
    const b = await balance(ctx, n);
    return {
      title: "voxpool imaging benchmark, balance part: the five smooths and rf 20, whole and split: 'auto'",
      rows: b.rows,
      notes: b.notes,
      raw: { balance: b.raw },
    };
  }
  requireNativeVtk();
  const n = os.availableParallelism?.() ?? os.cpus().length;
  const tmp = mkdtempSync(join(os.tmpdir(), 'voxpool-imaging-'));
  try {
    const phantom = await ctx.openPage('imaging', { mode: 'phantom' });
    if (!phantom.littleEndian) throw new Error('the page is big-endian; the native side reads little-endian int16');
    const raw = join(tmp, 'phantom.raw');
    writeFileSync(raw, Buffer.from(phantom.base64, 'base64'));
    mkdirSync(nativeDir, { recursive: true });

    const passes = [];
    for (let p = 0; p < ctx.passes; p++) {
      const first = p === 0;
      const nativeAll = nativeRun(raw, phantom.dimensions, phantom.spacing, 'all', first ? nativeDir : undefined);
      ctx.log(`pass ${p + 1} native VTK, all threads: five ${nativeAll.gaussianTotal.toFixed(0)} ms`);
      const page = await ctx.openPage('imaging', { mode: 'run', workers: n, native: first ? 1 : 0, rounds: 2 });
      const { many, one } = page;
      ctx.log(
        `pass ${p + 1} voxpool ${n} workers: five ${many.fiveMs.toFixed(0)} ms, split Gaussian ${many.big.ms.toFixed(0)} ms (${many.big.slabs} slabs), split median ${many.median.ms.toFixed(0)} ms (${many.median.slabs} slabs)`,
      );
      ctx.log(
        `pass ${p + 1} voxpool 1 worker: five ${one.fiveMs.toFixed(0)} ms, unsplit Gaussian ${one.big.ms.toFixed(0)} ms, median ${one.median.ms.toFixed(0)} ms`,
      );
      const nativeOne = nativeRun(raw, phantom.dimensions, phantom.spacing, '1');
      ctx.log(`pass ${p + 1} native VTK, 1 thread: five ${nativeOne.gaussianTotal.toFixed(0)} ms`);
      passes.push({ nativeAll, many, one, nativeOne, checks: page.checks, nativeMaxDiff: page.nativeMaxDiff, memory: page.memory, load: os.loadavg()[0] });
    }

    const of = (f) => passes.map(f);
    const row = (measure, manyMs, oneMs, nativeAllMs, nativeOneMs) => ({
      measure,
      [`voxpool ${n} workers (ms)`]: median(manyMs),
      'voxpool 1 worker (ms)': median(oneMs),
      speedup: median(passes.map((_, i) => oneMs[i] / manyMs[i])),
      'native VTK all threads (ms)': nativeAllMs ? median(nativeAllMs) : '',
      'native VTK 1 thread (ms)': nativeOneMs ? median(nativeOneMs) : '',
      [`${n} workers / native all`]: nativeAllMs ? median(passes.map((_, i) => manyMs[i] / nativeAllMs[i])) : '',
    });
    const five = row(
      'five smooths (5 tasks, rf 0-20)',
      of((p) => p.many.fiveMs),
      of((p) => p.one.fiveMs),
      of((p) => p.nativeAll.gaussianTotal),
      of((p) => p.nativeOne.gaussianTotal),
    );
    const perFilter = RADIUS_FACTORS.map((rf) =>
      row(
        `  rf ${rf}, one task's run time`,
        of((p) => p.many.taskMs[rf]),
        of((p) => p.one.taskMs[rf]),
        of((p) => p.nativeAll.gaussian[rf]),
        of((p) => p.nativeOne.gaussian[rf]),
      ),
    );
    const bigRf = passes[0].many.big.radiusFactor;
    const splitRows = (name, key, nativeKey) => {
      const slabs = passes[0].many[key].slabs;
      const nat = (f) => (nativeKey === null ? null : of(f));
      return [
        row(
          `${name}: split in ${slabs} slabs, in place, slab buffers kept, vs unsplit on 1`,
          of((p) => p.many[key].ms),
          of((p) => p.one[key].ms),
          nat((p) => nativeKey(p.nativeAll)),
          nat((p) => nativeKey(p.nativeOne)),
        ),
        row(
          `  the same, first split (no slab buffers kept)`,
          of((p) => p.many[key].coldMs),
          of((p) => p.one[key].ms),
          nat((p) => nativeKey(p.nativeAll)),
          nat((p) => nativeKey(p.nativeOne)),
        ),
        row(
          `  the same, into a new volume (input kept)`,
          of((p) => p.many[key].newOutputMs),
          of((p) => p.one[key].ms),
          nat((p) => nativeKey(p.nativeAll)),
          nat((p) => nativeKey(p.nativeOne)),
        ),
      ];
    };
    const [med, medCold, medNew] = splitRows('median 3x3x3', 'median', (nat) => nat.median);
    const [split, splitCold, splitNew] = splitRows(`one Gaussian rf ${bigRf}`, 'big', (nat) => nat.gaussian[bigRf]);
    const bigKernel = passes[0].many.bigMedian.kernelSize.join('x');
    const [bigMed, bigMedCold, bigMedNew] = splitRows(`the one big filter, median ${bigKernel}`, 'bigMedian', null);
    const rows = [five, ...perFilter, med, medCold, medNew, split, splitCold, splitNew, bigMed, bigMedCold, bigMedNew];
    const perPass = (key, ms) => passes.map((p) => (p.one[key].ms / ms(p.many[key])).toFixed(2)).join(', ');
    const fault = passes.map((p) => p.memory).filter(Boolean);

    const goal = (ok) => (ok ? 'met' : 'NOT met');
    const diffs = passes[0].nativeMaxDiff;
    const worst = Math.max(...Object.values(diffs).map((d) => (d === null ? Infinity : d)));
    const range = (xs) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} ms`;
    const notes = [
      `Command: \`npm run bench -- imaging\` (BENCH_PASSES=${ctx.passes}). Native VTK ${passes[0].nativeAll.vtk} (${passes[0].nativeAll.smp} SMP) from Debian's python3-vtk9 via ${PYTHON}; only the filters' Update() calls are timed. voxpool: production build, Chromium headless, the op \`volume.gaussianVtk\`.`,
      `Five smooths, ${n} workers vs 1: speedup ${five.speedup.toFixed(2)} (goal >= ${(0.9 * n).toFixed(2)}), ${goal(five.speedup >= 0.9 * n)}; per pass ${passes.map((p) => (p.one.fiveMs / p.many.fiveMs).toFixed(2)).join(', ')}.`,
      `Split median, ${n} workers vs unsplit on 1 (in place, slab buffers kept from the split before): speedup ${med.speedup.toFixed(2)} (goal >= ${(0.85 * n).toFixed(2)}), ${goal(med.speedup >= 0.85 * n)}; per pass ${perPass('median', (b) => b.ms)}. First split of a pool (fresh slab buffers): ${medCold.speedup.toFixed(2)}, ${goal(medCold.speedup >= 0.85 * n)} (per pass ${perPass('median', (b) => b.coldMs)}). Into a new volume: ${medNew.speedup.toFixed(2)} (per pass ${perPass('median', (b) => b.newOutputMs)}).`,
      `Split Gaussian rf ${bigRf} (halo ${2 * bigRf} slices each side, only the slab's own slices computed), ${n} workers vs unsplit on 1 (in place, slab buffers kept): speedup ${split.speedup.toFixed(2)} (goal >= ${(0.85 * n).toFixed(2)}), ${goal(split.speedup >= 0.85 * n)}; per pass ${perPass('big', (b) => b.ms)}. First split: ${splitCold.speedup.toFixed(2)}, ${goal(splitCold.speedup >= 0.85 * n)} (per pass ${perPass('big', (b) => b.coldMs)}). Into a new volume: ${splitNew.speedup.toFixed(2)} (per pass ${perPass('big', (b) => b.newOutputMs)}).`,
      `The one big filter, a ${bigKernel} median (${(bigMed['voxpool 1 worker (ms)'] / 1000).toFixed(1)} s on one worker), split, ${n} workers vs unsplit on 1: speedup ${bigMedCold.speedup.toFixed(2)} on a pool's first split (fresh slab buffers) (goal >= ${(0.85 * n).toFixed(2)}), ${goal(bigMedCold.speedup >= 0.85 * n)}, per pass ${perPass('bigMedian', (b) => b.coldMs)}; ${bigMed.speedup.toFixed(2)} with slab buffers kept, ${goal(bigMed.speedup >= 0.85 * n)}, per pass ${perPass('bigMedian', (b) => b.ms)}; into a new volume ${bigMedNew.speedup.toFixed(2)} (per pass ${perPass('bigMedian', (b) => b.newOutputMs)}). No native figure: the native script runs VTK's 3x3x3 median only.`,
      `What fresh memory costs here (why the first split and a new volume are slower): copying the ${fault[0]?.megabytes.toFixed(1)} MB volume into a new array takes ${fault.map((f) => f.firstTouchMs.toFixed(1)).join(', ')} ms (per pass), copying it again into the same array ${fault.map((f) => f.rewriteMs.toFixed(1)).join(', ')} ms: the difference is the kernel mapping and zeroing pages on first touch. Both sides of every comparison get their input copy made before the clock starts; the unsplit task moves it into its worker and the kernel writes its output over it, the in-place split writes its result over it.`,
      `Five smooths against native VTK on all threads: ${five[`${n} workers / native all`].toFixed(2)}x its time (goal <= 1, aim 0.5), ${goal(five[`${n} workers / native all`] <= 1)}.`,
      `Split median against native vtkImageMedian3D on all threads: ${med[`${n} workers / native all`].toFixed(2)}x its time (goal <= 1, aim 0.5), ${goal(med[`${n} workers / native all`] <= 1)}.`,
      `Split results equal the unsplit ones voxel for voxel on the full volume (Gaussian rf ${bigRf}, median 3x3x3 and ${bigKernel}) and N-worker outputs equal 1-worker ones, in every pass: ${passes.every((p) => p.checks.splitGaussianEqualsUnsplit && p.checks.splitMedianEqualsUnsplit && p.checks.splitBigMedianEqualsUnsplit && p.checks.fiveEqual)}.`,
      `Outputs against native VTK (max |voxpool - VTK| in grey levels, goal <= 2): ${Object.entries(diffs)
        .map(([k, d]) => `${k}: ${d}`)
        .join(', ')}; ${goal(worst <= 2)}.`,
      `How much this machine gives to threads right now: native VTK's own five smooths on all threads vs 1 thread, speedup ${median(passes.map((p) => p.nativeOne.gaussianTotal / p.nativeAll.gaussianTotal)).toFixed(2)} (per pass ${passes.map((p) => (p.nativeOne.gaussianTotal / p.nativeAll.gaussianTotal).toFixed(2)).join(', ')}); below 1, a second thread costs more than it gives, and no pool can show its speedup.`,
      `Noise (max - min over passes, as a fraction of the median): voxpool ${n} workers ${(spread(of((p) => p.many.fiveMs)) * 100).toFixed(0)}% (${range(of((p) => p.many.fiveMs))}), 1 worker ${(spread(of((p) => p.one.fiveMs)) * 100).toFixed(0)}% (${range(of((p) => p.one.fiveMs))}), native all threads ${(spread(of((p) => p.nativeAll.gaussianTotal)) * 100).toFixed(0)}% (${range(of((p) => p.nativeAll.gaussianTotal))}), native 1 thread ${(spread(of((p) => p.nativeOne.gaussianTotal)) * 100).toFixed(0)}% (${range(of((p) => p.nativeOne.gaussianTotal))}). The machine is shared with other sessions (1-minute load average at the end of each pass: ${passes.map((p) => p.load.toFixed(1)).join(', ')} on ${os.cpus().length} cores); the N-worker and 1-worker figures come from alternating rounds in the same page, so their ratio is the steadier figure.`,
    ];
    const b = await balance(ctx, n);
    return {
      title: 'voxpool imaging benchmark: the Slicer volume demo against native VTK',
      rows: [...rows, ...b.rows],
      notes: [...notes, ...b.notes],
      raw: { phantom: { dimensions: phantom.dimensions, spacing: phantom.spacing }, passes, balance: b.raw },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
