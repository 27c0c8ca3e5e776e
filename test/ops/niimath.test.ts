/**
 * The niimath ops through a real pool (createPool: the wasm compiled once on the page, one
 * instance per worker), checked against reference values computed here by plain loops.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assetBase, createPool, InputError, Pool, TaskFailedError, type BuiltinOps } from '../../src/index.ts';
import type { niimathTestOps } from './niimath.worker.ts';
import type { PixelArray, Vec3, Volume } from '../../src/data/volume.ts';
import type { Mesh } from '../../src/data/mesh.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

/** A rotation about a tilted axis: a direction a transpose or sign mistake would scramble. */
const OBLIQUE = (() => {
  const [a, b] = [0.5, 0.3];
  const [ca, sa, cb, sb] = [Math.cos(a), Math.sin(a), Math.cos(b), Math.sin(b)];
  // Rz(a) · Rx(b), columns are the i, j, k axes' world directions; stored axis by axis (vtk.js layout).
  const m = [
    [ca, -sa * cb, sa * sb],
    [sa, ca * cb, -ca * sb],
    [0, sb, cb],
  ];
  return [0, 1, 2].flatMap((axis) => [m[0]![axis]!, m[1]![axis]!, m[2]![axis]!]);
})();

const SPACING: Vec3 = [0.8, 1.1, 1.5];
const ORIGIN: Vec3 = [-30.5, 12.25, 7];

function makeVolume(data: PixelArray, dims: Vec3, fill: (i: number, j: number, k: number) => number, geometry: Partial<Volume> = {}): Volume {
  for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) data[i + dims[0] * (j + dims[1] * k)] = fill(i, j, k);
  return { name: 'test', data, dimensions: dims, spacing: [...SPACING], origin: [...ORIGIN], direction: [...OBLIQUE], components: 1, ...geometry };
}

function expectGeometry(out: Volume, input: { spacing: Vec3; origin: Vec3; direction: number[]; dimensions: Vec3 }): void {
  expect(out.dimensions).toEqual(input.dimensions);
  expect(out.spacing).toEqual(input.spacing);
  expect(out.origin).toEqual(input.origin);
  expect(out.direction).toEqual(input.direction);
}

async function inputError(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe('volume.gaussian (niimath -s, sigma in mm)', () => {
  it('smooths a constant into the same constant (int16 and float32), edges included, geometry kept', async () => {
    pool = createPool({ size: 2 });
    const dims: Vec3 = [20, 16, 12];
    const ints = makeVolume(new Int16Array(20 * 16 * 12), dims, () => 137);
    const floats = makeVolume(new Float32Array(20 * 16 * 12), dims, () => 3.25);
    const lines: string[] = [];
    const [a, b] = await Promise.all([
      pool.run('volume.gaussian', { volume: ints, sigma: 2 }, { onLog: (line) => lines.push(line) }),
      pool.run('volume.gaussian', { volume: floats, sigma: 3 }),
    ]);
    // The command line, then whatever niimath printed, reach the task's log.
    expect(lines[0]).toBe('niimath in.nii -gz 0 -s 2 out.nii -odt input');
    expect(a.data).toBeInstanceOf(Int16Array);
    expect([...a.data].every((v) => v === 137)).toBe(true);
    expect(b.data).toBeInstanceOf(Float32Array);
    expect(Math.max(...[...b.data].map((v) => Math.abs(v - 3.25)))).toBeLessThan(1e-5);
    expectGeometry(a, { dimensions: dims, spacing: SPACING, origin: ORIGIN, direction: OBLIQUE });
    expectGeometry(b, { dimensions: dims, spacing: SPACING, origin: ORIGIN, direction: OBLIQUE });
  });

  it('spreads an impulse to the standard deviation asked for, in mm along every axis of anisotropic voxels', async () => {
    pool = createPool({ size: 1 });
    // sigma 2 mm is 4, 2 and 1 voxels along i, j, k.
    const spacing: Vec3 = [0.5, 1, 2];
    const dims: Vec3 = [49, 27, 15];
    const c = [24, 13, 7];
    const impulse = makeVolume(new Float32Array(49 * 27 * 15), dims, (i, j, k) => (i === c[0] && j === c[1] && k === c[2] ? 1000 : 0), { spacing });
    const out = await pool.run('volume.gaussian', { volume: impulse, sigma: 2 });
    let sum = 0;
    const second = [0, 0, 0];
    for (let k = 0; k < dims[2]; k++)
      for (let j = 0; j < dims[1]; j++)
        for (let i = 0; i < dims[0]; i++) {
          const w = out.data[i + dims[0] * (j + dims[1] * k)]!;
          sum += w;
          const mm = [(i - c[0]!) * spacing[0], (j - c[1]!) * spacing[1], (k - c[2]!) * spacing[2]];
          for (let a = 0; a < 3; a++) second[a]! += w * mm[a]! ** 2;
        }
    expect(sum).toBeGreaterThan(990);
    expect(sum).toBeLessThan(1010);
    const std = second.map((s) => Math.sqrt(s / sum));
    for (const s of std) expect(Math.abs(s - 2)).toBeLessThan(0.05);
    expect(out.spacing).toEqual(spacing);
  });
});

describe('volume.threshold and volume.binarize (niimath -thr -uthr -bin -mas)', () => {
  const dims: Vec3 = [23, 19, 11];
  const value = (i: number, j: number, k: number): number => ((i * 7 + j * 3 + k * 11) % 50) - 10; // -10 .. 39
  const count = (data: ArrayLike<number>, pred: (v: number, at: number) => boolean): number => {
    let n = 0;
    for (let i = 0; i < data.length; i++) if (pred(data[i]!, i)) n++;
    return n;
  };

  it('keeps the voxels within [lower, upper] (inclusive) and sets the others to the background', async () => {
    pool = createPool({ size: 2 });
    const input = makeVolume(new Int16Array(dims[0] * dims[1] * dims[2]), dims, value);
    const original = input.data.slice();
    const inside = (v: number): boolean => v >= 5 && v <= 20;
    const out = await pool.run('volume.threshold', { volume: input, lower: 5, upper: 20, background: -3 });
    expect(out.data).toBeInstanceOf(Int16Array);
    for (let i = 0; i < original.length; i++)
      if (out.data[i] !== (inside(original[i]!) ? original[i] : -3)) throw new Error(`voxel ${i}: ${out.data[i]} for ${original[i]}`);
    expect(count(out.data, (v) => v === -3)).toBe(count(original, (v) => !inside(v)));
    expectGeometry(out, { dimensions: dims, spacing: SPACING, origin: ORIGIN, direction: OBLIQUE });
    // A range holding 0: zero voxels stay (and count as inside), background 0 by default.
    const zeroRange = await pool.run('volume.threshold', { volume: makeVolume(new Int16Array(original.length), dims, value), lower: -4, upper: 4 });
    expect(count(zeroRange.data, (v) => v !== 0)).toBe(count(original, (v) => v >= -4 && v <= 4 && v !== 0));
    for (let i = 0; i < original.length; i++) expect(zeroRange.data[i]).toBe(original[i]! >= -4 && original[i]! <= 4 ? original[i] : 0);
  });

  it('binarizes to uint8 1 inside [lower, upper] and 0 elsewhere, zero voxels inside the range included', async () => {
    pool = createPool({ size: 2 });
    const make = (): Volume => makeVolume(new Int16Array(dims[0] * dims[1] * dims[2]), dims, value);
    const original = make().data;
    const [pos, withZero] = await Promise.all([
      pool.run('volume.binarize', { volume: make(), lower: 10, upper: 30 }),
      pool.run('volume.binarize', { volume: make(), lower: -10, upper: 0 }),
    ]);
    // Negative ranges and ranges across 0 (niimath's -bin alone would drop negative voxels).
    for (const [lower, upper] of [
      [-8, -2],
      [-3, 3],
      [-10, 39],
    ] as const) {
      const out = await pool.run('volume.binarize', { volume: make(), lower, upper });
      expect(count(out.data, (v, i) => v !== (original[i]! >= lower && original[i]! <= upper ? 1 : 0))).toBe(0);
    }
    expect(pos.data).toBeInstanceOf(Uint8Array);
    expect(count(pos.data, (v) => v === 1)).toBe(count(original, (v) => v >= 10 && v <= 30));
    expect(count(pos.data, (v) => v !== 0 && v !== 1)).toBe(0);
    expect(count(withZero.data, (v, i) => v !== (original[i]! <= 0 ? 1 : 0))).toBe(0);
    expect(count(withZero.data, (v) => v === 1)).toBe(count(original, (v) => v <= 0));
    expectGeometry(pos, { dimensions: dims, spacing: SPACING, origin: ORIGIN, direction: OBLIQUE });
  });

  it('selects float32 voxels exactly at bounds float32 cannot hold', async () => {
    pool = createPool({ size: 1 });
    // Three neighbouring float32 values around 0.1, and bounds just inside the middle one's
    // rounding interval: float32(bound) is the middle value, yet it lies outside [lower, upper].
    const at = Math.fround(0.1);
    const f = new Float32Array([at, at, at]);
    const bits = new Uint32Array(f.buffer);
    bits[0]! -= 1;
    bits[2]! += 1;
    const values = [...f];
    const v = (): Volume => makeVolume(new Float32Array(3), [3, 1, 1], (i) => values[i]!);
    const above = await pool.run('volume.binarize', { volume: v(), lower: at + 5e-10, upper: 1 });
    expect(Math.fround(at + 5e-10)).toBe(at);
    expect([...above.data]).toEqual([0, 0, 1]);
    const below = await pool.run('volume.binarize', { volume: v(), lower: -1, upper: at - 5e-10 });
    expect([...below.data]).toEqual([1, 0, 0]);
    const kept = await pool.run('volume.threshold', { volume: v(), lower: at - 5e-10, upper: at + 5e-10 });
    expect([...kept.data]).toEqual([0, at, 0]);
  });
});

describe('volume.components (niimath -bwlabel)', () => {
  it('counts blobs and their sizes under 6-, 18- and 26-connectivity', async () => {
    pool = createPool({ size: 2 });
    const dims: Vec3 = [30, 20, 12];
    const boxes: [Vec3, Vec3][] = [
      [
        [1, 1, 1],
        [4, 4, 4],
      ], // 27 voxels alone
      [
        [8, 1, 1],
        [10, 3, 3],
      ], // 8
      [
        [15, 2, 2],
        [20, 6, 5],
      ], // 5 x 4 x 3 = 60
      // Two cubes touching along an edge only (joined under 18 and 26).
      [
        [2, 10, 2],
        [4, 12, 4],
      ], // 8
      [
        [4, 12, 2],
        [6, 14, 4],
      ], // 8
      // Two cubes touching at a corner only (joined under 26).
      [
        [12, 10, 5],
        [14, 12, 7],
      ], // 8
      [
        [14, 12, 7],
        [16, 14, 9],
      ], // 8
    ];
    const inBox = (i: number, j: number, k: number, [lo, hi]: [Vec3, Vec3]): boolean =>
      i >= lo[0] && i < hi[0] && j >= lo[1] && j < hi[1] && k >= lo[2] && k < hi[2];
    const make = (): Volume => makeVolume(new Uint8Array(dims[0] * dims[1] * dims[2]), dims, (i, j, k) => (boxes.some((b) => inBox(i, j, k, b)) ? 200 : 0));
    const [c6, c18, c26] = await Promise.all(
      [6, 18, 26].map((connectivity) => pool!.run('volume.components', { volume: make(), connectivity: connectivity as 6 | 18 | 26 })),
    );
    expect(c6!.count).toBe(7);
    expect([...c6!.sizes].sort((a, b) => a - b)).toEqual([8, 8, 8, 8, 8, 27, 60]);
    expect(c18!.count).toBe(6);
    expect([...c18!.sizes].sort((a, b) => a - b)).toEqual([8, 8, 8, 16, 27, 60]);
    expect(c26!.count).toBe(5);
    expect([...c26!.sizes].sort((a, b) => a - b)).toEqual([8, 16, 16, 27, 60]);
    const labels = c26!.labels;
    expect(labels.data).toBeInstanceOf(Uint8Array);
    // Every voxel of one box carries one label, background 0, labels 1..count.
    const at = (i: number, j: number, k: number): number => labels.data[i + dims[0] * (j + dims[1] * k)]!;
    expect(at(0, 0, 0)).toBe(0);
    expect(at(2, 10, 2)).toBe(at(5, 13, 3));
    expect(at(12, 10, 5)).toBe(at(15, 13, 8));
    expect(new Set([at(1, 1, 1), at(8, 1, 1), at(15, 2, 2), at(2, 10, 2), at(12, 10, 5)]).size).toBe(5);
    expect(Math.max(...labels.data)).toBe(5);
    expectGeometry(labels, { dimensions: dims, spacing: SPACING, origin: ORIGIN, direction: OBLIQUE });
    // Nothing in the volume: no component (niimath itself refuses such a volume).
    const empty = await pool.run('volume.components', { volume: makeVolume(new Uint8Array(60), [5, 4, 3], () => 0) });
    expect(empty.count).toBe(0);
    expect(empty.sizes).toEqual([]);
    expect([...empty.labels.data].every((v) => v === 0)).toBe(true);
  });
});

function meshArea(mesh: Mesh): number {
  const p = mesh.points;
  let area = 0;
  for (let c = 0; c < mesh.polys.length; c += mesh.polys[c]! + 1) {
    expect(mesh.polys[c]).toBe(3);
    const [a, b, d] = [mesh.polys[c + 1]! * 3, mesh.polys[c + 2]! * 3, mesh.polys[c + 3]! * 3];
    const u = [p[b]! - p[a]!, p[b + 1]! - p[a + 1]!, p[b + 2]! - p[a + 2]!];
    const v = [p[d]! - p[a]!, p[d + 1]! - p[a + 1]!, p[d + 2]! - p[a + 2]!];
    area += 0.5 * Math.hypot(u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!);
  }
  return area;
}

describe('volume.isosurface (niimath -mesh, no smoothing or decimation)', () => {
  it('gives a sphere of radius r an area within 1% of 4πr², in the volume world coordinates', async () => {
    pool = createPool({ size: 1 });
    const r = 12;
    const dims: Vec3 = [40, 30, 24];
    const centre = [(dims[0] / 2) * SPACING[0] + 0.3, (dims[1] / 2) * SPACING[1] - 0.2, (dims[2] / 2) * SPACING[2] + 0.1]; // mm, in index space
    // Signed distance to the sphere (mm): the isosurface at 0 is the sphere itself.
    const sphere = makeVolume(
      new Float32Array(dims[0] * dims[1] * dims[2]),
      dims,
      (i, j, k) => r - Math.hypot(i * SPACING[0] - centre[0]!, j * SPACING[1] - centre[1]!, k * SPACING[2] - centre[2]!),
    );
    const mesh = await pool.run('volume.isosurface', { volume: sphere, isovalue: 0 });
    const area = meshArea(mesh);
    expect(Math.abs(area / (4 * Math.PI * r * r) - 1)).toBeLessThan(0.01);
    // The world centre: origin + direction · centre (direction stored axis by axis).
    const d = OBLIQUE;
    const world = [0, 1, 2].map((x) => ORIGIN[x]! + d[x]! * centre[0]! + d[3 + x]! * centre[1]! + d[6 + x]! * centre[2]!);
    let worst = 0;
    for (let p = 0; p < mesh.points.length; p += 3) {
      const dist = Math.hypot(mesh.points[p]! - world[0]!, mesh.points[p + 1]! - world[1]!, mesh.points[p + 2]! - world[2]!);
      worst = Math.max(worst, Math.abs(dist - r));
    }
    expect(worst).toBeLessThan(0.05);
    expect(mesh.points.length / 3).toBeGreaterThan(1000);
  });
});

describe('bad input', () => {
  it('is refused with an InputError naming it, while another task on the same pool succeeds', async () => {
    pool = createPool({ size: 1 });
    const good = (): Volume => makeVolume(new Int16Array(8 * 8 * 8), [8, 8, 8], (i) => i * 10);
    const wrongSize = { ...good(), dimensions: [8, 8, 9] as Vec3 };
    const bigInts = { ...good(), data: new BigInt64Array(512) as unknown as Int16Array };
    const doubles = makeVolume(new Float64Array(512), [8, 8, 8], (i) => i);
    const huge = makeVolume(new Int32Array(512), [8, 8, 8], (i) => (i === 3 ? 2 ** 30 : i));
    const cases: [Promise<unknown>, string, RegExp][] = [
      [pool.run('volume.gaussian', { volume: good(), sigma: NaN }), 'input.sigma', /finite/],
      [pool.run('volume.gaussian', { volume: good(), sigma: -1 }), 'input.sigma', /> 0/],
      [pool.run('volume.gaussian', { volume: wrongSize, sigma: 1 }), 'input.volume (test)', /values but 8 x 8 x 9/],
      [pool.run('volume.gaussian', { volume: bigInts, sigma: 1 }), 'input.volume (test)', /unsupported pixel type \(BigInt64Array\)/],
      [pool.run('volume.gaussian', { volume: doubles, sigma: 1 }), 'input.volume (test)', /float64/],
      [pool.run('volume.threshold', { volume: huge, lower: 0, upper: 10 }), 'input.volume (test)', /2\^24/],
      [pool.run('volume.threshold', { volume: good(), lower: 10, upper: 5 }), 'input.lower', /above/],
      [pool.run('volume.threshold', { volume: good(), lower: 0, upper: NaN }), 'input.upper', /finite/],
      [pool.run('volume.threshold', { volume: good(), lower: 0, upper: 5, background: 0.5 }), 'input.background', /int16/],
      [pool.run('volume.binarize', { volume: good(), lower: NaN, upper: 1 }), 'input.lower', /finite/],
      [pool.run('volume.components', { volume: good(), connectivity: 7 as 6 }), 'input.connectivity', /6, 18 or 26/],
      [pool.run('volume.isosurface', { volume: good(), isovalue: 1e6 }), 'input.isovalue', /outside/],
      [pool.run('volume.isosurface', { volume: { ...good(), data: new Int16Array(1024), components: 2 }, isovalue: 1 }), 'input.volume (test)', /2 components/],
      [
        pool.run('volume.gaussian', { volume: makeVolume(new Float32Array(512), [8, 8, 8], (i, j) => (i === 2 && j === 3 ? NaN : 1)), sigma: 1 }),
        'input.volume (test)',
        /NaN voxels \(the first at i, j, k = 2, 3, 0\)/,
      ],
    ];
    const ok = pool.run('volume.gaussian', { volume: good(), sigma: 1 });
    for (const [p, input, problem] of cases) {
      const e = await inputError(p);
      expect(e.input).toBe(input);
      expect(e.problem).toMatch(problem);
    }
    const out = await ok;
    expect(out.data.length).toBe(512);
    // niimath failing on valid input is a TaskFailedError carrying its exit code and last line;
    // the same worker's instance then runs the next task.
    const lines: string[] = [];
    const failed = await pool
      .run(
        'volume.isosurface',
        { volume: makeVolume(new Float32Array(8), [2, 2, 2], (i, j, k) => (i && j && k ? 1 : 0)), isovalue: 0.5 },
        { onLog: (l) => lines.push(l) },
      )
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TaskFailedError);
    expect((failed as TaskFailedError).remote.name).toBe('NiimathError');
    expect((failed as TaskFailedError).message).toMatch(/exited with 1: marching cubes failed/);
    expect(lines.some((l) => l.startsWith('marching cubes failed'))).toBe(true);
    expect((await pool.run('volume.gaussian', { volume: good(), sigma: 1 })).data.length).toBe(512);
  });
});

describe('the niimath engine in the pool', () => {
  /** Asks every live worker of the pool for its own resource timeline (the page can't see a worker's fetches). */
  async function workerTimelines(p: Pool<typeof niimathTestOps>): Promise<Map<number, string[]>> {
    const seen = new Map<number, string[]>();
    for (let round = 0; round < 20 && seen.size < p.workers().length; round++) {
      // A sleeping task holds one worker, so the next task goes to the other.
      const hold = p.run('test.sleep', { ms: 100 });
      const asks = [p.submit('test.fetched', null), p.submit('test.fetched', null)];
      for (const ask of asks) {
        const urls = await ask.result;
        seen.set(ask.record.workerId!, urls);
      }
      await hold;
    }
    return seen;
  }

  const testWorker = (): Worker => new Worker(new URL('./niimath.worker.ts', import.meta.url), { type: 'module' });
  const small = (): Volume => makeVolume(new Int16Array(12 * 12 * 12), [12, 12, 12], (i, j, k) => (i + j + k) * 10);

  it('is fetched and compiled once per pool, instantiated in every worker, and shows in each worker memory', async () => {
    performance.setResourceTimingBufferSize(10_000);
    const before = performance.getEntriesByType('resource').length;
    const p = createPool({ size: 2, worker: testWorker }) as unknown as Pool<typeof niimathTestOps>;
    pool = p as unknown as Pool<BuiltinOps>;
    // Both workers up first: on a busy machine one could otherwise run every task before the other starts.
    await p.warm();
    const handles = [0, 1, 2, 3].map(() => p.submit('volume.gaussian', { volume: small(), sigma: 1.5 }));
    await Promise.all(handles.map((h) => h.result));
    expect(new Set(handles.map((h) => h.record.workerId)).size).toBe(2);
    const page = performance
      .getEntriesByType('resource')
      .slice(before)
      .map((e) => e.name);
    expect(page.filter((u) => u.endsWith('/niimath/niimath.wasm'))).toEqual([new URL('niimath/niimath.wasm', assetBase).href]);
    const timelines = await workerTimelines(p);
    expect(timelines.size).toBe(2);
    for (const urls of timelines.values()) {
      // Each worker imports the glue, never the wasm: it was handed the compiled module.
      expect(urls.filter((u) => u.endsWith('/niimath/niimath.js'))).toHaveLength(1);
      expect(urls.filter((u) => u.endsWith('.wasm'))).toHaveLength(0);
      for (const url of urls) expect(new URL(url).origin).toBe(location.origin);
    }
    for (const url of page) expect(new URL(url).origin).toBe(location.origin);
    // The instance's wasm memory is what each worker reports to the monitor.
    for (const w of p.workers()) expect(w.memory).toBeGreaterThanOrEqual(2 ** 20);
  });

  it('without the compiled module, a worker loads the wasm itself from the base it is given (a subpath)', async () => {
    const base = new URL('deployed/at/a/subpath/', assetBase).href;
    const p = new Pool<typeof niimathTestOps>({ size: 1, worker: testWorker, resources: { assetBase: () => base } });
    pool = p as unknown as Pool<BuiltinOps>;
    const out = await p.run('volume.gaussian', { volume: small(), sigma: 1 });
    expect(out.data.length).toBe(12 ** 3);
    const urls = await p.run('test.fetched', null);
    expect(urls.filter((u) => u.includes('/niimath/'))).toEqual([`${base}niimath/niimath.js`, `${base}niimath/niimath.wasm`]);
    for (const url of urls) expect(new URL(url).origin).toBe(location.origin);
  });
});
