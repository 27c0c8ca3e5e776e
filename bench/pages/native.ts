/**
 * voxpool's side of bench/suites/native.mjs, in a fresh browser: one int16 volume
 * (native/<vol>.raw, written by the suite), each case on a pool of 1 worker (one task) and on a
 * pool of N (a single filter split into slabs in place, the five smooths as five tasks), rounds
 * alternating the two pools; every output is compared voxel for voxel with the native C one
 * (native/c-<vol>-<case>.raw), the Gaussians' also with the C port of voxpool's own strips
 * (native/c-<vol>-<case>-strip.raw) and, with `wide=1`, with the C built with 512-bit vectors
 * (native/c-<vol>-<case>-wide.raw): reported as the cases of OTHER_C, with the same times.
 * With `spinab=1`, a second pool of N without the spin wait (spinWait: 0) takes its turn in
 * every round too, so the spin's cost or gain on kernels is read side by side (`manyB`);
 * `spinab=aa`, that pool the same as the first, gives the spread of that reading.
 *   ?vol=NAME&nx=&ny=&nz=&workers=N&rounds=R&wide=0|1&spinab=0|1|aa
 */
import { createPool, splitVolume, type BuiltinOps, type Pool } from '../../src/index.ts';
import { benchPoolOptions } from './pool-options.ts';
import type { Vec3, Volume } from '../../src/data/volume.ts';

const params = new URLSearchParams(location.search);
const vol = params.get('vol')!;
const dims = (['nx', 'ny', 'nz'] as const).map((k) => Number(params.get(k))) as Vec3;
const workers = Number(params.get('workers') ?? navigator.hardwareConcurrency);
const rounds = Number(params.get('rounds') ?? 2);
const wide = params.get('wide') === '1';
/** '1': a second pool of N (`manyB`) without the spin wait; 'aa': with it too (A/A: the reading's spread); '0': none. */
const spinAB = params.get('spinab') ?? '0';
const FIVE = [0, 5, 10, 15, 20];

/**
 * A case: its input copies, made before the clock starts (each task takes its volume by
 * transfer; the C reads one input), and its run over them.
 */
interface Case {
  copies: number;
  run(pool: Pool<BuiltinOps>, volumes: Volume[], split: boolean): Promise<Volume[]>;
}

/** A single filter: unsplit on 1 worker, split in place on N. */
function single<K extends 'volume.gaussianVtk' | 'volume.median' | 'volume.dilate'>(op: K, p: Omit<Parameters<Pool<BuiltinOps>['run']>[1], 'volume'>): Case {
  return {
    copies: 1,
    async run(pool, [volume], split) {
      const input = { ...p, volume } as Parameters<typeof pool.run<K>>[1];
      return [(split ? await splitVolume(pool, op, input, { inPlace: true }) : await pool.run(op, input)) as Volume];
    },
  };
}

const CASES: Record<string, Case> = {
  'gaussian-rf5': single('volume.gaussianVtk', { std: 2, radiusFactor: 5 }),
  'gaussian-rf20': single('volume.gaussianVtk', { std: 2, radiusFactor: 20 }),
  // Five tasks, widest first, as the demo runs them.
  five: {
    copies: FIVE.length,
    run: (pool, volumes) =>
      Promise.all(
        [...FIVE].reverse().map((radiusFactor, i) => pool.run('volume.gaussianVtk', { volume: volumes[i]!, std: 2, radiusFactor }, { priority: radiusFactor })),
      ).then((outs) => outs.reverse()),
  },
  median: single('volume.median', {}),
  // The same filter, against bench/native/kernels.c's port of voxpool's own network (median-net).
  'median-net': single('volume.median', {}),
  'dilate-r1': single('volume.dilate', { radius: 1, shape: 'box' }),
  'dilate-ball-r2': single('volume.dilate', { radius: 2, shape: 'ball' }),
};

/**
 * Cases that are the same voxpool runs compared with another C: no extra run, only the other
 * expected outputs. `-strip`: bench/native/kernels.c's gaussian-strip, a port of voxpool's own
 * Gaussian; `-wide`: the straightforward C in 512-bit vectors (CPUs with AVX-512 only).
 */
const TAILS = wide ? ['-strip', '-wide'] : ['-strip'];
const OTHER_C: Record<string, string> = Object.fromEntries(
  TAILS.flatMap((tail) => ['gaussian-rf5', 'gaussian-rf20', 'five'].map((name) => [`${name}${tail}`, name])),
);

/** The C outputs case `name` (of CASES or OTHER_C) must equal, one per voxpool output. */
function expectedOf(name: string): Promise<Int16Array[]> {
  const base = OTHER_C[name] ?? name;
  if (base === 'five') {
    const tail = name.slice('five'.length);
    return Promise.all(FIVE.map((rf) => raw(`c-${vol}-gaussian-rf${rf}${tail}`)));
  }
  return Promise.all([raw(`c-${vol}-${name}`)]);
}

async function raw(name: string): Promise<Int16Array> {
  const res = await fetch(`native/${name}.raw`);
  if (!res.ok) throw new Error(`native/${name}.raw: HTTP ${res.status}`);
  return new Int16Array(await res.arrayBuffer());
}

function identical(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function main(): Promise<object> {
  const data = await raw(vol);
  const volume: Volume = { name: vol, data, dimensions: dims, spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], components: 1 };
  const copiesOf = (c: Case): Volume[] => Array.from({ length: c.copies }, () => ({ ...volume, data: data.slice() }));
  const many = createPool({ size: workers, ...benchPoolOptions() });
  const one = createPool({ size: 1, ...benchPoolOptions() });
  const manyB = spinAB === '0' ? null : createPool({ size: workers, ...benchPoolOptions(), ...(spinAB === 'aa' ? {} : { spinWait: 0 }) });
  await Promise.all([many.warm(), one.warm(), manyB?.warm()]);
  type Side = 'one' | 'many' | 'manyB';
  const sides: (readonly [Side, Pool<BuiltinOps>, boolean])[] = [
    ['one', one, false],
    ['many', many, true],
  ];
  if (manyB) sides.push(['manyB', manyB, true]);
  // Warm up: every case once on each pool (wasm memory grown, code tiered up).
  for (const run of Object.values(CASES)) for (const [, pool, split] of sides) await run.run(pool, copiesOf(run), split);
  const times: Record<string, Record<Side, number[]>> = {};
  const same: Record<string, boolean> = {};
  for (const [name, run] of Object.entries(CASES)) {
    times[name] = { one: [], many: [], manyB: [] };
    const against = [name, ...Object.keys(OTHER_C).filter((k) => OTHER_C[k] === name)];
    const expected = await Promise.all(against.map(expectedOf));
    for (let r = 0; r < rounds; r++) {
      // Two sides: every other round in the opposite order. Three (spinab): rotated, each in every
      // place over three rounds. With the default pool always in the middle it read 10-30% slower
      // than manyB on the 15-35 ms filters, a gap that rotating removed.
      const order = sides.length === 2 ? (r % 2 === 0 ? sides : [...sides].reverse()) : [...sides.slice(r % 3), ...sides.slice(0, r % 3)];
      for (const [side, pool, split] of order) {
        const inputs = copiesOf(run);
        const t = performance.now();
        const outs = await run.run(pool, inputs, split);
        times[name][side].push(performance.now() - t);
        against.forEach((k, e) => (same[k] = (same[k] ?? true) && outs.every((o, i) => identical(o.data, expected[e]![i]!))));
      }
    }
  }
  await Promise.all([many.terminate(), one.terminate(), manyB?.terminate()]);
  const best = (xs: number[]): number => Math.min(...xs);
  const timesOf = (k: string): Record<Side, number[]> => times[OTHER_C[k] ?? k]!;
  return {
    workers,
    cases: Object.fromEntries(
      [...Object.keys(times), ...Object.keys(OTHER_C)].map((k) => [
        k,
        {
          one: best(timesOf(k).one),
          many: best(timesOf(k).many),
          ...(manyB ? { manyB: best(timesOf(k).manyB) } : {}),
          identical: same[k],
        },
      ]),
    ),
  };
}

main()
  .then((result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }))
  .catch((e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: String((e as Error)?.stack ?? e) }));
