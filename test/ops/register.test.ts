/**
 * volume.register (elastix in our worker): a head phantom and a second scan of it (other noise)
 * whose content is shifted by a known translation; elastix must find it to a fraction of a voxel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, createPool, InputError, type BuiltinOps, type Pool } from '../../src/index.ts';
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import type { Vec3, Volume } from '../../src/data/volume.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

const GRID = { dimensions: [64, 64, 33] as Vec3, spacing: [4, 4, 5.2] as Vec3 };
/** The shift of the moving scan's content, mm: 1.3, 0.9 and 0.6 voxels. */
const SHIFT: Vec3 = [5.3, -3.7, 2.9];

/**
 * A scan of the phantom whose content sits `shift` mm away: sample it (linear) on a grid moved
 * by `shift`, then label that grid with the original origin. Then moving(x) = fixed(x + shift),
 * so the fixed-to-moving transform elastix reports is x -> x - shift.
 */
async function shifted(p: Pool<BuiltinOps>, shift: Vec3): Promise<{ fixed: Volume; moving: Volume }> {
  const fixed = { ...makeHeadPhantom({ ...GRID, seed: 1 }), name: 'fixed' };
  const other = makeHeadPhantom({ ...GRID, seed: 2 });
  const origin = other.origin.map((o, a) => o + shift[a]!) as Vec3;
  const moved = await p.run('volume.resample', { volume: other, spacing: GRID.spacing, dimensions: GRID.dimensions, origin });
  return { fixed, moving: { ...moved, name: 'moving', origin: fixed.origin } };
}

/** Mean |a - b| over voxels where the fixed volume shows the head. */
function meanDifference(fixed: Volume, other: Volume): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < fixed.data.length; i++) {
    if (fixed.data[i]! < 50) continue;
    sum += Math.abs(fixed.data[i]! - other.data[i]!);
    n++;
  }
  return sum / n;
}

describe('volume.register', () => {
  it('translation: recovers a known shift to a tenth of a voxel, and the result lies on the fixed grid', async () => {
    pool = createPool({ size: 1 });
    const { fixed, moving } = await shifted(pool, SHIFT);
    const lines: string[] = [];
    const started = performance.now();
    const out = await pool.run('volume.register', { fixed, moving, transform: 'translation' }, { input: 'copy', onLog: (line) => lines.push(line) });
    const seconds = (performance.now() - started) / 1000;
    expect(out.transforms).toHaveLength(1);
    const [t] = out.transforms;
    expect(t!.parameterization).toBe('Translation');
    t!.parameters.forEach((p, a) => expect(Math.abs(p + SHIFT[a]!), `axis ${a}: found ${p}`).toBeLessThan(0.1 * GRID.spacing[a]!));
    expect(out.volume.dimensions).toEqual(fixed.dimensions);
    expect(out.volume.spacing).toEqual(fixed.spacing);
    expect(out.volume.origin).toEqual(fixed.origin);
    expect(out.volume.direction).toEqual(fixed.direction);
    expect(out.volume.data).toBeInstanceOf(Float32Array);
    // Registered, the moving scan matches the fixed one far better than before.
    expect(meanDifference(fixed, out.volume)).toBeLessThan(0.5 * meanDifference(fixed, moving));
    expect(out.transformParameterMaps[0]!.Transform).toEqual(['TranslationTransform']);
    expect(lines).toContain('(Transform "TranslationTransform")');
    expect(lines.some((l) => /^registered in \d+\.\d s$/.test(l))).toBe(true);
    console.info(
      `translation registration of ${GRID.dimensions.join(' x ')} voxels: ${seconds.toFixed(1)} s (${lines.at(-1)}); found ${t!.parameters.map((p) => p.toFixed(3)).join(', ')} for ${SHIFT.map((s) => -s).join(', ')}`,
    );
  }, 240_000);

  it('rigid: reports the Euler transform (no rotation, the same shift) with its centre', async () => {
    pool = createPool({ size: 1 });
    const { fixed, moving } = await shifted(pool, SHIFT);
    const out = await pool.run('volume.register', { fixed, moving, transform: 'rigid', resolutions: 2, iterations: 200 });
    const [t] = out.transforms;
    expect(t!.parameterization).toBe('Euler3D');
    expect(t!.parameters).toHaveLength(6);
    // Angles (radians) near 0: a tenth of a voxel at the head's edge, 100 mm from the centre.
    for (const angle of t!.parameters.slice(0, 3)) expect(Math.abs(angle)).toBeLessThan(0.4 / 100);
    t!.parameters.slice(3).forEach((p, a) => expect(Math.abs(p + SHIFT[a]!), `axis ${a}: found ${p}`).toBeLessThan(0.15 * GRID.spacing[a]!));
    expect(t!.fixedParameters.length).toBeGreaterThanOrEqual(3);
  }, 240_000);
});

describe('bad registration input', () => {
  it('is refused by name while another task succeeds', async () => {
    pool = createPool({ size: 2 });
    const small = (): Volume => ({ ...makeHeadPhantom({ dimensions: [16, 16, 8], spacing: [8, 8, 8] }), name: 'small' });
    const good = pool.run('volume.downsample', { volume: small(), factors: [2, 2, 2] });
    const nan = { ...small(), name: 'holey', data: new Float32Array(16 * 16 * 8).fill(1) };
    nan.data[5] = NaN;
    const refusals = await Promise.all([
      pool.run('volume.register', { fixed: { ...small(), components: 2 }, moving: small(), transform: 'rigid' }).catch((e: unknown) => e),
      pool.run('volume.register', { fixed: small(), moving: nan, transform: 'rigid' }).catch((e: unknown) => e),
      pool.run('volume.register', { fixed: small(), moving: small(), transform: 'elastic' as 'rigid' }).catch((e: unknown) => e),
      pool.run('volume.register', { fixed: small(), moving: small(), transform: 'affine', resolutions: 0 }).catch((e: unknown) => e),
      pool
        .run('volume.register', { fixed: small(), moving: { ...small(), dimensions: [16, 16, 2], data: new Int16Array(512) }, transform: 'affine' })
        .catch((e: unknown) => e),
    ]);
    const expected: [string, RegExp][] = [
      ['input.fixed (small)', /values but 16 x 16 x 8 x 2 needs/],
      ['input.moving (holey)', /NaN voxels/],
      ['input.transform', /one of "translation", "rigid", "affine" or "bspline"/],
      ['input.resolutions', /whole number from 1 to 8/],
      ['input.moving (small)', /too small to register/],
    ];
    refusals.forEach((e, i) => {
      expect(e, expected[i]![0]).toBeInstanceOf(InputError);
      expect((e as InputError).input).toBe(expected[i]![0]);
      expect((e as Error).message).toMatch(expected[i]![1]);
    });
    expect((await good).dimensions).toEqual([8, 8, 4]);
  });
});

describe('cancelling a registration', () => {
  it('settles it as cancelled while elastix runs, replaces its worker, and the pool goes on', async () => {
    const p = createPool({ size: 1, cancelGrace: 300 });
    pool = p;
    const { fixed, moving } = await shifted(p, SHIFT);
    const controller = new AbortController();
    let worker: number | null = null;
    let lastFraction = 0;
    p.addEventListener('task', (e) => {
      if (e.change === 'progress' && e.record.op === 'volume.register') lastFraction = e.detail.progress?.fraction ?? lastFraction;
    });
    // elastix runs as one wasm call that never reads the task's signal: only replacing the worker stops it.
    const elastixRunning = new Promise<void>((resolve) =>
      p.addEventListener('task', (e) => {
        if (e.change === 'progress' && e.record.op === 'volume.register' && (e.detail.progress?.fraction ?? 0) > 0) {
          worker = e.record.workerId;
          resolve();
        }
      }),
    );
    const run = p.run('volume.register', { fixed, moving, transform: 'bspline', resolutions: 3, iterations: 2000 }, { signal: controller.signal });
    await elastixRunning;
    controller.abort('enough');
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    // Settled while elastix was still running (thousands of B-spline iterations take minutes), not
    // when it ended: its last word was the progress of a registration under way.
    expect(lastFraction).toBeLessThan(1);
    const retired = new Promise<void>((resolve) => p.addEventListener('worker', (e) => e.change === 'retired' && e.worker.id === worker && resolve()));
    await retired;
    // A new worker takes the next task.
    const small = makeHeadPhantom({ dimensions: [16, 16, 8], spacing: [8, 8, 8] });
    expect((await p.run('volume.downsample', { volume: small, factors: [2, 2, 2] })).dimensions).toEqual([8, 8, 4]);
    expect(p.workers().map((w) => w.id)).not.toContain(worker);
  });
});
