/**
 * One side of the imaging benchmark in a fresh browser; bench/suites/imaging.mjs interleaves them
 * with native VTK.
 *   mode=phantom            the 256 x 256 x 130 int16 head phantom, base64, for the native side
 *   mode=run&workers=N      in rounds, alternating a pool of N workers and one of 1: the Slicer
 *                           demo's five Gaussian smooths (std 2 voxels, radius factors 0, 5, 10,
 *                           15, 20) as five tasks; then the 3x3x3 median, one Gaussian (rf 5)
 *                           and the 5x5x5 median (the one big filter), each split across the N
 *                           workers, or unsplit on the 1;
 *                           &native=1 compares every output with native VTK's (native/*.raw)
 *   mode=balance&workers=N  the five smooths and rf 20 alone on N workers, as whole tasks and with
 *                           `split: 'auto'`, each worker's busy time and last end (its timeline
 *                           lane), against the five on 1 worker; outputs compared voxel for voxel
 *   mode=profile&workers=N  where a split's time goes (bench/suites/split-profile.mjs): per slab
 *                           task, when it was queued, started and ended, for 2 and 4 slabs, into
 *                           a new volume and in place, against the filter unsplit on 1 worker and
 *                           two unsplit at once on N
 */
import { createPool, slabBuffersOf, splitVolume, type BuiltinOps, type Pool, type SplitOptions } from '../../src/index.ts';
import { benchPoolOptions } from './pool-options.ts';
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import type { PixelArray, Volume } from '../../src/data/volume.ts';

const params = new URLSearchParams(location.search);
const mode = params.get('mode') ?? 'run';
const workers = Number(params.get('workers') ?? navigator.hardwareConcurrency);
const compareNative = params.get('native') === '1';
const rounds = Number(params.get('rounds') ?? 2);
const RADIUS_FACTORS = [0, 5, 10, 15, 20];
/** A Gaussian split too: the demo's r = 5 smooth (halo 10 slices). */
const BIG_RADIUS_FACTOR = 5;
/** The one big filter: a 5x5x5 median, a common denoising step, some seconds on one worker. */
const BIG_MEDIAN: [number, number, number] = [5, 5, 5];

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function phantom(): Promise<object> {
  const v = makeHeadPhantom();
  const data = v.data as Int16Array;
  return {
    dimensions: v.dimensions,
    spacing: v.spacing,
    littleEndian: new Uint8Array(new Uint16Array([1]).buffer)[0] === 1,
    base64: base64(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  };
}

async function native(name: string): Promise<Int16Array | null> {
  const res = await fetch(`native/${name}`);
  return res.ok ? new Int16Array(await res.arrayBuffer()) : null;
}

function maxDiff(a: PixelArray, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const withData = (v: Volume): Volume => ({ ...v, data: v.data.slice() });

/** Runs `work` with every worker's code hot: the kernel is compiled and optimised before timing. */
async function warmUp(pool: Pool<BuiltinOps>): Promise<void> {
  const small = makeHeadPhantom({ dimensions: [96, 96, 48] });
  await Promise.all(
    Array.from({ length: pool.size * 2 }, (_, i) => pool.run('volume.gaussianVtk', { volume: withData(small), radiusFactor: 2 + i }, { priority: i })),
  );
  await Promise.all(Array.from({ length: pool.size * 2 }, () => pool.run('volume.median', { volume: withData(small) })));
  // And once at full size on every worker: wasm memory grown, the kernels' code tiered up.
  const full = makeHeadPhantom();
  await Promise.all(Array.from({ length: pool.size }, () => pool.run('volume.median', { volume: withData(full) })));
}

interface Side {
  fiveMs: number;
  taskMs: Record<number, number>;
  outputs: Volume[];
  big: Big;
  median: Big;
  bigMedian: Big;
}

/** One big filter on one side: unsplit (1 worker), or split in place with kept slab buffers (N workers). */
interface Big {
  ms: number;
  slabs: number;
  out: Volume;
  /** The same split with no slab buffers kept from an earlier one. */
  coldMs: number;
  /** The same split into a new volume (input kept), slab buffers kept. */
  newOutputMs: number;
}

/** One round on one pool: the five smooths as five tasks, then each big filter alone (split when `split`). */
async function side(pool: Pool<BuiltinOps>, volume: Volume, split: boolean, round: number): Promise<Side> {
  // Five filters, five tasks: widest kernels first, as the demo does, so the workers end together.
  const inputs = RADIUS_FACTORS.map(() => withData(volume));
  const label = (rf: number): string => `round ${round} rf ${rf}`;
  const t0 = performance.now();
  const outputs = await Promise.all(
    RADIUS_FACTORS.map((radiusFactor, i) =>
      pool.run('volume.gaussianVtk', { volume: inputs[i]!, std: 2, radiusFactor }, { priority: radiusFactor, label: label(radiusFactor) }),
    ),
  );
  const fiveMs = performance.now() - t0;
  const taskMs = Object.fromEntries(
    RADIUS_FACTORS.map((rf) => {
      const r = pool.tasks().find((t) => t.label === label(rf))!;
      return [rf, r.endedAt! - r.startedAt!];
    }),
  );
  const big = async <K extends 'volume.gaussianVtk' | 'volume.median'>(op: K, params: Omit<Parameters<typeof pool.run<K>>[1], 'volume'>): Promise<Big> => {
    const run = async (options: SplitOptions | null, keep = false): Promise<{ ms: number; out: Volume; slabs: number }> => {
      // Both sides get a copy of the volume made before the clock starts, which they may use up:
      // the unsplit task moves it to its worker, the split writes its result over it (inPlace).
      const input = { ...params, volume: keep ? volume : withData(volume) } as Parameters<typeof pool.run<K>>[1];
      let slabs = 1;
      const t = performance.now();
      const out = options ? await splitVolume(pool, op, input, { ...options, onPlan: (p) => (slabs = p.slabs.length) }) : await pool.run(op, input);
      return { ms: performance.now() - t, out: out as Volume, slabs };
    };
    if (!split) return { ...(await run(null)), coldMs: NaN, newOutputMs: NaN };
    // First with no slab buffers kept (as the first split of a page), then with the ones it left.
    slabBuffersOf(pool).clear();
    const cold = await run({ inPlace: true });
    const warm = await run({ inPlace: true });
    // And into a new volume, the caller's kept (what the page's "split" option does).
    const fresh = await run({}, true);
    return { ...warm, coldMs: cold.ms, newOutputMs: fresh.ms };
  };
  return {
    fiveMs,
    taskMs,
    outputs,
    big: await big('volume.gaussianVtk', { std: 2, radiusFactor: BIG_RADIUS_FACTOR }),
    median: await big('volume.median', {}),
    bigMedian: await big('volume.median', { kernelSize: BIG_MEDIAN }),
  };
}

/** The best of the rounds: on a shared machine, the round least disturbed by other work. */
const med = (xs: number[]): number => Math.min(...xs);

function bigSummary(runs: Big[]): object {
  return { ms: med(runs.map((b) => b.ms)), coldMs: med(runs.map((b) => b.coldMs)), newOutputMs: med(runs.map((b) => b.newOutputMs)), slabs: runs[0]!.slabs };
}

/** Best over rounds of one side's figures (the suite takes medians of these over passes). */
function summary(sides: Side[]): object {
  return {
    fiveMs: med(sides.map((s) => s.fiveMs)),
    taskMs: Object.fromEntries(RADIUS_FACTORS.map((rf) => [rf, med(sides.map((s) => s.taskMs[rf]!))])),
    big: { op: 'volume.gaussianVtk', radiusFactor: BIG_RADIUS_FACTOR, ...bigSummary(sides.map((s) => s.big)) },
    median: bigSummary(sides.map((s) => s.median)),
    bigMedian: { kernelSize: BIG_MEDIAN, ...bigSummary(sides.map((s) => s.bigMedian)) },
    rounds: sides.map((s) => ({ fiveMs: s.fiveMs, bigMs: s.big.ms, medianMs: s.median.ms })),
  };
}

/** The head phantom, and a pool of N workers and one of 1, both started and their kernels hot. */
async function warmPools(): Promise<{ volume: Volume; many: Pool<BuiltinOps>; one: Pool<BuiltinOps> }> {
  const volume = makeHeadPhantom();
  const many = createPool({ size: workers, ...benchPoolOptions() });
  const one = createPool({ size: 1, ...benchPoolOptions() });
  await Promise.all([many.warm(), one.warm()]);
  await warmUp(many);
  await warmUp(one);
  return { volume, many, one };
}

/**
 * N workers and 1 worker in the same page, alternating round by round, so both see the same
 * background load (these machines are shared); the split results are checked against the
 * unsplit ones on the full volume.
 */
async function run(): Promise<object> {
  const { volume, many, one } = await warmPools();
  const manySides: Side[] = [];
  const oneSides: Side[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate who goes first, so a drift in load within the page favours neither.
    if (r % 2 === 0) {
      manySides.push(await side(many, volume, true, r));
      oneSides.push(await side(one, volume, false, r));
    } else {
      oneSides.push(await side(one, volume, false, r));
      manySides.push(await side(many, volume, true, r));
    }
  }
  const m = manySides[0]!;
  const o = oneSides[0]!;
  const checks = {
    splitGaussianEqualsUnsplit: maxDiff(m.big.out.data, o.big.out.data) === 0,
    splitMedianEqualsUnsplit: maxDiff(m.median.out.data, o.median.out.data) === 0,
    splitBigMedianEqualsUnsplit: maxDiff(m.bigMedian.out.data, o.bigMedian.out.data) === 0,
    fiveEqual: m.outputs.every((v, i) => maxDiff(v.data, o.outputs[i]!.data) === 0),
  };
  const nativeMaxDiff: Record<string, number | null> = {};
  if (compareNative) {
    for (const [i, rf] of RADIUS_FACTORS.entries()) {
      const ref = await native(`gauss-rf${rf}.raw`);
      nativeMaxDiff[`gaussian rf ${rf}`] = ref ? maxDiff(m.outputs[i]!.data, ref) : null;
    }
    const ref = await native('median.raw');
    nativeMaxDiff['median 3x3x3'] = ref ? maxDiff(m.median.out.data, ref) : null;
  }
  await Promise.all([many.terminate(), one.terminate()]);
  return { workers, rounds, many: summary(manySides), one: summary(oneSides), checks, nativeMaxDiff, memory: firstTouch(volume) };
}

/**
 * What fresh memory costs on this machine: copying the volume into a new array (its pages
 * touched for the first time) against copying it again into the same, now mapped, array.
 */
function firstTouch(volume: Volume): { megabytes: number; firstTouchMs: number; rewriteMs: number } {
  const best = (f: () => number): number => Math.min(f(), f(), f());
  let target = new Int8Array(0);
  const firstTouchMs = best(() => {
    const t = performance.now();
    target = new Int8Array(volume.data.byteLength);
    target.set(new Int8Array(volume.data.buffer, volume.data.byteOffset, volume.data.byteLength));
    return performance.now() - t;
  });
  const rewriteMs = best(() => {
    const t = performance.now();
    target.set(new Int8Array(volume.data.buffer, volume.data.byteOffset, volume.data.byteLength));
    return performance.now() - t;
  });
  return { megabytes: volume.data.byteLength / 2 ** 20, firstTouchMs, rewriteMs };
}

/** Where a split's time goes: per slab, when it was queued, started and ended, against the same filter unsplit. */
async function profile(): Promise<object> {
  const { volume, many, one } = await warmPools();
  const clock = (): number => performance.timeOrigin + performance.now();
  const lastId = (pool: Pool<BuiltinOps>): number => Math.max(0, ...pool.tasks().map((t) => t.id));
  /** The run's wall time and its tasks' times, in ms from its start. */
  const timed = async (pool: Pool<BuiltinOps>, work: () => Promise<unknown>): Promise<object> => {
    const since = lastId(pool);
    const t0 = clock();
    await work();
    const wall = clock() - t0;
    const at = (t: number | null): number => (t === null ? NaN : Math.round((t - t0) * 10) / 10);
    const tasks = pool
      .tasks()
      .filter((t) => t.id > since)
      .map((t) => ({ queued: at(t.queuedAt), started: at(t.startedAt), ended: at(t.endedAt) }));
    return { wall, tasks };
  };
  const runs: object[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [op, params] of [
      ['volume.median', {}],
      ['volume.gaussianVtk', { std: 2, radiusFactor: BIG_RADIUS_FACTOR }],
    ] as const) {
      const input = () => ({ ...params, volume: withData(volume) }) as Parameters<typeof one.run<'volume.median'>>[1];
      let ready = input();
      runs.push({ round, op, how: 'unsplit on 1 worker', ...(await timed(one, () => one.run(op as 'volume.median', ready))) });
      const two = [input(), input()];
      runs.push({
        round,
        op,
        how: `two unsplit at once on ${workers}`,
        ...(await timed(many, () => Promise.all(two.map((i) => many.run(op as 'volume.median', i))))),
      });
      for (const slabs of [2, 4]) {
        for (const inPlace of [false, true]) {
          for (const fresh of [true, false]) {
            if (fresh) slabBuffersOf(many).clear();
            ready = input();
            const how = `split in ${slabs}, ${inPlace ? 'in place' : 'new volume'}, ${fresh ? 'fresh' : 'kept'} slab buffers`;
            runs.push({ round, op, how, ...(await timed(many, () => splitVolume(many, op as 'volume.median', ready, { slabs, inPlace }))) });
          }
        }
      }
    }
  }
  await Promise.all([many.terminate(), one.terminate()]);
  return { workers, runs, memory: firstTouch(volume) };
}

/** One worker's timeline lane in a run: busy ms (sum of its tasks' run times) and when its last task ended. */
interface Lane {
  worker: number;
  tasks: number;
  busyMs: number;
  endMs: number;
  /** When its first task started, from the clock's start (ms). */
  firstStartMs: number;
  /** Time between one of its tasks ending and its next starting, summed (ms). */
  gapsMs: number;
  /** Each of its tasks in the order it ran them: the task's label, and its run time (ms). */
  runs: [string, number][];
}

/**
 * Runs on `pool` what `prepare` sets up (the inputs are made before the clock starts: copying
 * the volume for each task is the harness's setup, the same on every side), and reads every task
 * it made (parts of split tasks included) off the records.
 */
async function lanes(pool: Pool<BuiltinOps>, prepare: () => () => Promise<Volume[]>): Promise<{ wallMs: number; lanes: Lane[]; outputs: Volume[] }> {
  const since = Math.max(0, ...pool.tasks().map((t) => t.id));
  const work = prepare();
  const t0 = performance.timeOrigin + performance.now();
  const outputs = await work();
  const wallMs = performance.timeOrigin + performance.now() - t0;
  const byWorker = new Map<number, { startedAt: number; endedAt: number; label: string }[]>();
  for (const t of pool.tasks()) {
    if (t.id <= since || t.workerId === null || t.startedAt === null || t.endedAt === null) continue;
    const lane = byWorker.get(t.workerId) ?? [];
    lane.push({ startedAt: t.startedAt, endedAt: t.endedAt, label: t.label });
    byWorker.set(t.workerId, lane);
  }
  const summary = [...byWorker].map(([worker, tasks]): Lane => {
    tasks.sort((a, b) => a.startedAt - b.startedAt);
    let busyMs = 0;
    let gapsMs = 0;
    tasks.forEach((t, i) => {
      busyMs += t.endedAt - t.startedAt;
      if (i > 0) gapsMs += t.startedAt - tasks[i - 1]!.endedAt;
    });
    return {
      worker,
      tasks: tasks.length,
      busyMs,
      endMs: Math.max(...tasks.map((t) => t.endedAt)) - t0,
      firstStartMs: tasks[0]!.startedAt - t0,
      gapsMs,
      runs: tasks.map((t) => [t.label, t.endedAt - t.startedAt]),
    };
  });
  return { wallMs, lanes: summary.sort((a, b) => a.worker - b.worker), outputs };
}

/** The five smooths (widest first, as the demo) and rf 20 alone, whole or `split: 'auto'`. */
async function balance(): Promise<object> {
  const { volume, many, one } = await warmPools();
  const five = (pool: Pool<BuiltinOps>, split: boolean) => () => {
    const inputs = RADIUS_FACTORS.map(() => withData(volume));
    return () =>
      Promise.all(
        RADIUS_FACTORS.map((radiusFactor, i) =>
          pool.run(
            'volume.gaussianVtk',
            { volume: inputs[i]!, std: 2, radiusFactor },
            { priority: radiusFactor, label: `rf ${radiusFactor}`, ...(split ? { split: 'auto' as const } : {}) },
          ),
        ),
      );
  };
  const alone = (pool: Pool<BuiltinOps>, split: boolean) => () => {
    const input = withData(volume);
    return async () => [await pool.run('volume.gaussianVtk', { volume: input, std: 2, radiusFactor: 20 }, split ? { split: 'auto' } : {})];
  };
  type Run = Awaited<ReturnType<typeof lanes>>;
  const rec: Record<string, Run[]> = { fiveWhole: [], fiveAuto: [], fiveOne: [], rf20Whole: [], rf20Auto: [] };
  for (let r = 0; r < rounds; r++) {
    const order: [string, () => Promise<Run>][] = [
      ['fiveWhole', () => lanes(many, five(many, false))],
      ['fiveAuto', () => lanes(many, five(many, true))],
      ['fiveOne', () => lanes(one, five(one, false))],
      ['rf20Whole', () => lanes(many, alone(many, false))],
      ['rf20Auto', () => lanes(many, alone(many, true))],
    ];
    if (r % 2 === 1) order.reverse();
    for (const [key, go] of order) rec[key]!.push(await go());
  }
  const equal = (a: Run, b: Run): boolean => a.outputs.every((v, i) => maxDiff(v.data, b.outputs[i]!.data) === 0);
  const checks = {
    fiveAutoEqualsWhole: rec.fiveAuto!.every((x) => equal(x, rec.fiveWhole![0]!)) && rec.fiveOne!.every((x) => equal(x, rec.fiveWhole![0]!)),
    rf20AutoEqualsWhole: rec.rf20Auto!.every((x) => equal(x, rec.rf20Whole![0]!)),
  };
  await Promise.all([many.terminate(), one.terminate()]);
  // The best round of each (least disturbed by other work), with its lanes.
  const best = (runs: Run[]) => {
    const b = runs.reduce((x, y) => (y.wallMs < x.wallMs ? y : x));
    return { wallMs: b.wallMs, lanes: b.lanes, rounds: runs.map((x) => x.wallMs) };
  };
  return { workers, rounds, ...Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, best(v)])), checks };
}

const modes: Record<string, () => Promise<object>> = { phantom, run, profile, balance };
// After the load event: the runner waits for it, and on a loaded machine the phantom alone can
// take longer than its navigation timeout.
const loaded = document.readyState === 'complete' ? Promise.resolve() : new Promise((r) => addEventListener('load', r, { once: true }));
loaded
  .then(() => modes[mode]!())
  .then((result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }))
  .catch((e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: String((e as Error)?.stack ?? e) }));
