/**
 * The resampling, mesh and registration ops fetch nothing off this origin: their itk-wasm
 * pipelines come from the staged assets under the base the pool gives, and meshoptimizer's wasm
 * is inside its module. The worker's own resource timeline lists every request it made.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assetBase, InputError, Pool } from '../../src/index.ts';
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import type { Mesh } from '../../src/data/mesh.ts';
import type { ioTestOps } from '../data/io.worker.ts';

let pool: Pool<typeof ioTestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

function opsPool(base: string): Pool<typeof ioTestOps> {
  return new Pool<typeof ioTestOps>({
    size: 1,
    worker: () => new Worker(new URL('../data/io.worker.ts', import.meta.url), { type: 'module' }),
    resources: { assetBase: () => base },
  });
}

/** An octahedron: the smallest closed triangle mesh with something to smooth and decimate. */
const octahedron = (): Mesh => ({
  name: 'octahedron',
  points: new Float32Array([1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1]),
  polys: new Uint32Array([3, 0, 2, 4, 3, 2, 1, 4, 3, 1, 3, 4, 3, 3, 0, 4, 3, 2, 0, 5, 3, 1, 2, 5, 3, 3, 1, 5, 3, 0, 3, 5]),
});

describe('ops stay on this origin', () => {
  it('downsample, resample, register, smooth and decimate fetch only staged assets', async () => {
    pool = opsPool(assetBase);
    const volume = () => makeHeadPhantom({ dimensions: [24, 24, 12], spacing: [8, 8, 8] });
    await pool.run('volume.downsample', { volume: volume(), factors: [2, 2, 2] });
    await pool.run('volume.downsample', { volume: volume(), factors: [2, 2, 2], method: 'bin' });
    await pool.run('volume.resample', { volume: volume(), spacing: [6, 6, 6] });
    const reg = await pool.run('volume.register', { fixed: volume(), moving: volume(), transform: 'translation', resolutions: 1, iterations: 10 });
    expect(reg.transforms[0]!.parameters).toHaveLength(3);
    await pool.run('mesh.smooth', { mesh: octahedron(), iterations: 5 });
    const { mesh } = await pool.run('mesh.decimate', { mesh: octahedron(), triangles: 4 });
    expect(mesh.polys.length).toBeGreaterThan(0);
    const fetched = await pool.run('data.fetched', null);
    const staged = (pkg: string) =>
      fetched
        .filter((u) => u.startsWith(new URL(`itk/${pkg}/`, assetBase).href))
        .map((u) => u.slice(u.lastIndexOf('/') + 1))
        .sort();
    expect(staged('downsample')).toEqual([
      'downsample-bin-shrink.js',
      'downsample-bin-shrink.wasm.zst',
      'downsample.js',
      'downsample.wasm.zst',
      'resample.js',
      'resample.wasm.zst',
    ]);
    expect(staged('elastix')).toEqual(['default-parameter-map.js', 'default-parameter-map.wasm.zst', 'elastix.js', 'elastix.wasm.zst']);
    expect(fetched.filter((u) => /\.wasm(\?|$)/.test(u))).toEqual([]);
    for (const url of fetched) expect(new URL(url).origin, url).toBe(location.origin);
  }, 120_000);

  it('takes the pipelines from the base it is given (a subpath)', async () => {
    const base = new URL('deployed/at/a/subpath/', assetBase).href;
    pool = opsPool(base);
    const out = await pool.run('volume.downsample', { volume: makeHeadPhantom({ dimensions: [16, 16, 8] }), factors: [2, 2, 2] });
    expect(out.dimensions).toEqual([8, 8, 4]);
    const fetched = await pool.run('data.fetched', null);
    expect(fetched.some((u) => u.startsWith(`${base}itk/downsample/downsample.wasm.zst`))).toBe(true);
    for (const url of fetched) expect(new URL(url).origin).toBe(location.origin);
  });

  it("a pipeline that cannot be fetched fails the task, but not as the caller's InputError", async () => {
    // The first /itk/ in this path is not followed by a staged package: nothing is served there.
    pool = opsPool(new URL('itk/not-deployed/', assetBase).href);
    const e = await pool.run('volume.downsample', { volume: makeHeadPhantom({ dimensions: [16, 16, 8] }), factors: [2, 2, 2] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(InputError);
    // The same for reading a file: a good NRRD is not called corrupt because its reader is missing.
    const nrrd = new TextEncoder().encode(
      'NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n\n\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008',
    );
    const read = await pool.run('volume.read', { files: [{ name: 'good.nrrd', bytes: nrrd }] }).catch((x: unknown) => x);
    expect(read).toBeInstanceOf(Error);
    expect(read).not.toBeInstanceOf(InputError);
  });
});
