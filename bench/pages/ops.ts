/**
 * Timings of the resampling, mesh and registration ops in a production build, one fresh browser
 * per mode; the runner (bench/suites/ops.mjs) interleaves passes.
 *   mode=ops       each op on one worker: the first call (fetches and compiles its engine) and the
 *                  median of three later calls
 *   mode=register  elastix translation registrations of a shifted head phantom: N at once on N
 *                  workers against the same N on one worker, and the shift recovered
 */
import vtkSphereSource from '@kitware/vtk.js/Filters/Sources/SphereSource';
import { createPool, type BuiltinOps, type Pool } from '../../src/index.ts';
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import { vtkPolyDataToMesh } from '../../src/data/vtk-polydata.ts';
import type { Mesh } from '../../src/data/mesh.ts';
import type { Vec3, Volume } from '../../src/data/volume.ts';

const mode = new URLSearchParams(location.search).get('mode') ?? 'ops';
const n = navigator.hardwareConcurrency;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A UV sphere of about 65k points and 130k triangles, each point pushed along its radius by up to 0.2 mm. */
function roughSphere(): Mesh {
  const mesh = vtkPolyDataToMesh(
    vtkSphereSource.newInstance({ radius: 50, thetaResolution: 256, phiResolution: 256, pointType: 'Float32Array' }).getOutputData(),
    'sphere',
  );
  let seed = 7;
  for (let i = 0; i < mesh.points.length / 3; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const scale = 1 + (0.2 / 50) * (seed / 2 ** 32 - 0.5) * 2;
    for (let a = 0; a < 3; a++) mesh.points[3 * i + a]! *= scale;
  }
  return mesh;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const s = performance.now();
  await run();
  return performance.now() - s;
}

async function ops(): Promise<object> {
  const pool = createPool({ size: 1 });
  await pool.warm();
  const head = makeHeadPhantom();
  const sphere = roughSphere();
  const cases: [string, () => Promise<unknown>][] = [
    ['volume.downsample gaussian x2, 256x256x130 int16', () => pool.run('volume.downsample', { volume: head, factors: [2, 2, 2] }, { input: 'copy' })],
    [
      'volume.downsample bin x2, 256x256x130 int16',
      () => pool.run('volume.downsample', { volume: head, factors: [2, 2, 2], method: 'bin' }, { input: 'copy' }),
    ],
    ['volume.resample linear to 2 mm, 256x256x130 int16', () => pool.run('volume.resample', { volume: head, spacing: [2, 2, 2] }, { input: 'copy' })],
    ['mesh.smooth 20 iterations, 65k points', () => pool.run('mesh.smooth', { mesh: sphere, iterations: 20 }, { input: 'copy' })],
    ['mesh.decimate to 25%, 130k triangles', () => pool.run('mesh.decimate', { mesh: sphere, ratio: 0.25 }, { input: 'copy' })],
  ];
  const rows = [];
  for (const [name, run] of cases) {
    const first = await timed(run);
    const later = [await timed(run), await timed(run), await timed(run)];
    rows.push({ op: name, firstMs: first, laterMs: median(later) });
  }
  await pool.terminate();
  return { rows };
}

const GRID = { dimensions: [128, 128, 65] as Vec3, spacing: [2, 2, 2.6] as Vec3 };
const SHIFT: Vec3 = [5.3, -3.7, 2.9];

async function shiftedPair(pool: Pool<BuiltinOps>): Promise<{ fixed: Volume; moving: Volume }> {
  const fixed = makeHeadPhantom({ ...GRID, seed: 1 });
  const other = makeHeadPhantom({ ...GRID, seed: 2 });
  const origin = other.origin.map((o, a) => o + SHIFT[a]!) as Vec3;
  const moved = await pool.run('volume.resample', { volume: other, spacing: GRID.spacing, dimensions: GRID.dimensions, origin });
  return { fixed, moving: { ...moved, origin: fixed.origin } };
}

async function register(): Promise<object> {
  const time = async (size: number) => {
    const pool = createPool({ size });
    await pool.warm();
    const pair = await shiftedPair(pool);
    // Every worker loads elastix once before the clock starts.
    const small = {
      fixed: makeHeadPhantom({ dimensions: [16, 16, 8], spacing: [8, 8, 8] }),
      moving: makeHeadPhantom({ dimensions: [16, 16, 8], spacing: [8, 8, 8] }),
    };
    await Promise.all(
      Array.from({ length: size }, () => pool.run('volume.register', { ...small, transform: 'translation', resolutions: 1, iterations: 5 }, { input: 'copy' })),
    );
    const s = performance.now();
    const outs = await Promise.all(Array.from({ length: n }, () => pool.run('volume.register', { ...pair, transform: 'translation' }, { input: 'copy' })));
    const ms = performance.now() - s;
    await pool.terminate();
    const found = outs[0]!.transforms[0]!.parameters;
    return { ms, errorMm: Math.max(...found.map((p, a) => Math.abs(p + SHIFT[a]!))) };
  };
  const one = await time(1);
  const all = await time(n);
  return {
    workers: n,
    registrations: n,
    oneWorkerMs: one.ms,
    allWorkersMs: all.ms,
    perRegistrationMs: one.ms / n,
    speedup: one.ms / all.ms,
    errorMm: Math.max(one.errorMm, all.errorMm),
  };
}

const modes: Record<string, () => Promise<object>> = { ops, register };
modes[mode]!()
  .then((result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }))
  .catch((e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: String((e as Error)?.stack ?? e) }));
