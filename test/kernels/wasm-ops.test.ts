/**
 * The own wasm kernels through a real pool: voxel-for-voxel equal to the TypeScript references
 * (and, for the median, to native VTK's output in a fixture), on the head phantom and on odd
 * sizes of every pixel type; known values; geometry; bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, InputError, type BuiltinOps, type Pool } from '../../src/index.ts';
import { PIXEL_ARRAYS, type PixelArray, type PixelType, type Vec3, type Volume } from '../../src/data/volume.ts';
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import { gaussianVtkReference } from './reference/gaussian.ts';
import { medianReference } from './reference/median.ts';
import { morphologyReference } from './reference/morphology.ts';
import fixtureUrl from './fixtures/vtk-median3d.bin?url';
import { TYPES, firstDifference, seededVoxels } from './support.ts';

let pool: Pool<BuiltinOps>;
beforeAll(() => {
  pool = createPool({ size: 2 });
});
afterAll(async () => {
  await pool.terminate();
});

const GEOMETRY = { spacing: [0.5, 1, 2] as Vec3, origin: [-3, 4, 5] as Vec3, direction: [0, 1, 0, -1, 0, 0, 0, 0, 1] };

function volumeOf(data: PixelArray, dimensions: Vec3, name = 'test'): Volume {
  return { name, data, dimensions, ...GEOMETRY, direction: [...GEOMETRY.direction], components: 1 };
}

/** Seeded values spanning each type's whole range (floats: +-1e4 with fractions). */
function randomData(type: PixelType, n: number, seed: number): PixelArray {
  return seededVoxels(type, n, seed, (s, r) => (type.startsWith('float') ? (r - 0.5) * 2e4 : s)); // integer stores wrap: the full range
}

const ODD: Vec3 = [23, 9, 7];

describe('volume.gaussianVtk (wasm) equals the TypeScript reference', () => {
  // The phantom at half resolution keeps the reference's run short; r = 2 x 20 = 40 voxels
  // still reaches across most of the volume, so clipped edge kernels are everywhere.
  const head = makeHeadPhantom({ dimensions: [128, 128, 65], spacing: [2, 2, 2.6] });
  for (const radiusFactor of [0, 5, 10, 15, 20]) {
    it(`on the head phantom, std 2, radius factor ${radiusFactor}`, async () => {
      const input = head.data.slice();
      const out = await pool.run('volume.gaussianVtk', { volume: volumeOf(input, head.dimensions, 'head'), std: 2, radiusFactor });
      const expected = gaussianVtkReference(head.data, head.dimensions, 2, radiusFactor);
      expect(out.data).toBeInstanceOf(Int16Array);
      expect(firstDifference(out.data, expected)).toBe(-1);
    });
  }

  it('on every pixel type and odd sizes', async () => {
    for (const type of TYPES) {
      for (const [std, radiusFactor] of [
        [2, 1.5],
        [0.7, 3],
        [1, 0],
      ] as const) {
        const data = randomData(type, ODD[0] * ODD[1] * ODD[2], 11);
        const expected = gaussianVtkReference(data, ODD, std, radiusFactor);
        const out = await pool.run('volume.gaussianVtk', { volume: volumeOf(data, ODD), std, radiusFactor });
        expect(out.data.constructor).toBe(PIXEL_ARRAYS[type]);
        expect(firstDifference(out.data, expected), `${type} std ${std} r ${radiusFactor}`).toBe(-1);
      }
    }
  });

  it('smooths a constant into the constant', async () => {
    const out = await pool.run('volume.gaussianVtk', { volume: volumeOf(new Float32Array(11 * 10 * 9).fill(300), [11, 10, 9]), radiusFactor: 3 });
    for (const v of out.data) expect(v).toBeCloseTo(300, 3);
    const ints = await pool.run('volume.gaussianVtk', { volume: volumeOf(new Uint16Array(11 * 10 * 9).fill(300), [11, 10, 9]), radiusFactor: 3 });
    // Weights sum to 1 in double; the truncating store may give 299 where the sum lands just under.
    expect(ints.data.every((v) => v === 300 || v === 299)).toBe(true);
  });
});

describe('volume.median (wasm)', () => {
  it('equals native vtkImageMedian3D (VTK 9.1 fixture) and the TypeScript reference', async () => {
    const bytes = await (await fetch(fixtureUrl)).arrayBuffer();
    const dims: Vec3 = [12, 11, 10];
    const n = dims[0] * dims[1] * dims[2];
    const i16 = new Int16Array(bytes, 0, n);
    const vtk333 = new Int16Array(bytes, 2 * n, n);
    const vtk531 = new Int16Array(bytes, 4 * n, n);
    const f32 = new Float32Array(bytes, 6 * n, n);
    const vtkF32 = new Float32Array(bytes, 10 * n, n);
    expect(firstDifference(medianReference(i16, dims, [3, 3, 3]), vtk333)).toBe(-1);
    expect(firstDifference(medianReference(i16, dims, [5, 3, 1]), vtk531)).toBe(-1);
    expect(firstDifference(medianReference(f32, dims, [3, 3, 3]), vtkF32)).toBe(-1);
    const a = await pool.run('volume.median', { volume: volumeOf(i16.slice(), dims) });
    expect(firstDifference(a.data, vtk333)).toBe(-1);
    const b = await pool.run('volume.median', { volume: volumeOf(i16.slice(), dims), kernelSize: [5, 3, 1] });
    expect(firstDifference(b.data, vtk531)).toBe(-1);
    const c = await pool.run('volume.median', { volume: volumeOf(f32.slice(), dims) });
    expect(firstDifference(c.data, vtkF32)).toBe(-1);
  });

  it('equals the reference on the head phantom (3x3x3)', async () => {
    const head = makeHeadPhantom({ dimensions: [128, 128, 65] });
    const out = await pool.run('volume.median', { volume: volumeOf(head.data.slice(), head.dimensions, 'head') });
    expect(firstDifference(out.data, medianReference(head.data, head.dimensions, [3, 3, 3]))).toBe(-1);
  });

  it('equals the reference on every pixel type, odd sizes and kernels', async () => {
    for (const type of TYPES) {
      for (const kernelSize of [
        [3, 3, 3],
        [5, 3, 1],
        [1, 1, 1],
        [3, 5, 7],
      ] as Vec3[]) {
        const data = randomData(type, ODD[0] * ODD[1] * ODD[2], 5);
        const out = await pool.run('volume.median', { volume: volumeOf(data.slice(), ODD), kernelSize });
        expect(firstDifference(out.data, medianReference(data, ODD, kernelSize)), `${type} ${kernelSize.join('x')}`).toBe(-1);
      }
    }
  });

  it('removes a spike and keeps geometry', async () => {
    const data = new Int16Array(9 * 9 * 9).fill(100);
    data[4 + 9 * (4 + 9 * 4)] = 30000;
    const out = await pool.run('volume.median', { volume: volumeOf(data, [9, 9, 9], 'spiky') });
    expect(out.data.every((v) => v === 100)).toBe(true);
    expect(out.spacing).toEqual(GEOMETRY.spacing);
    expect(out.origin).toEqual(GEOMETRY.origin);
    expect(out.direction).toEqual(GEOMETRY.direction);
    expect(out.dimensions).toEqual([9, 9, 9]);
  });
});

describe('volume.dilate / erode / open / close (wasm)', () => {
  const dims: Vec3 = [15, 13, 11];
  const at = (i: number, j: number, k: number) => i + dims[0] * (j + dims[1] * k);
  const count = (data: PixelArray): number => {
    let n = 0;
    for (const v of data) if (v) n++;
    return n;
  };

  it('gives the known voxel counts on binary shapes', async () => {
    const dot = new Uint8Array(dims[0] * dims[1] * dims[2]);
    dot[at(7, 6, 5)] = 1;
    expect(count((await pool.run('volume.dilate', { volume: volumeOf(dot.slice(), dims), radius: 1 })).data)).toBe(27);
    // Offsets with dx² + dy² + dz² <= 4: 1 + 6 + 12 + 8 + 6 = 33.
    expect(count((await pool.run('volume.dilate', { volume: volumeOf(dot.slice(), dims), radius: 2, shape: 'ball' })).data)).toBe(33);
    expect(count((await pool.run('volume.dilate', { volume: volumeOf(dot.slice(), dims), radius: [2, 1, 0] })).data)).toBe(15);
    // A 5-cube, plus a lone voxel, plus a hole in the cube's middle.
    const cube = new Uint8Array(dims[0] * dims[1] * dims[2]);
    for (let k = 3; k < 8; k++) for (let j = 4; j < 9; j++) for (let i = 5; i < 10; i++) cube[at(i, j, k)] = 1;
    cube[at(7, 6, 5)] = 0;
    cube[at(2, 10, 8)] = 1; // two voxels from the edge: clipped erosion at the border would keep more
    expect(count(cube)).toBe(125);
    const eroded = (await pool.run('volume.erode', { volume: volumeOf(cube.slice(), dims), radius: 1 })).data;
    expect(count(eroded)).toBe(0); // every inner voxel touches the hole
    const closed = (await pool.run('volume.close', { volume: volumeOf(cube.slice(), dims), radius: 1 })).data;
    expect(closed[at(7, 6, 5)]).toBe(1); // the hole is filled
    expect(closed[at(2, 10, 8)]).toBe(1); // the lone voxel stays
    expect(count(closed)).toBe(126);
    const opened = (await pool.run('volume.open', { volume: volumeOf(closed.slice(), dims), radius: 1 })).data;
    expect(opened[at(2, 10, 8)]).toBe(0); // the lone voxel goes
    expect(count(opened)).toBe(125);
  });

  it('equals the reference on every pixel type, box and ball, at the image edges', async () => {
    for (const type of TYPES) {
      const data = randomData(type, ODD[0] * ODD[1] * ODD[2], 9);
      for (const op of ['dilate', 'erode', 'open', 'close'] as const) {
        for (const shape of ['box', 'ball'] as const) {
          const radius: Vec3 = [3, 1, 2];
          const out = await pool.run(`volume.${op}`, { volume: volumeOf(data.slice(), ODD), radius, shape });
          expect(firstDifference(out.data, morphologyReference(op, data, ODD, radius, shape)), `${type} ${op} ${shape}`).toBe(-1);
          expect(out.direction).toEqual(GEOMETRY.direction);
        }
      }
    }
  });

  it('equals the reference on the head phantom (ball radius 2)', async () => {
    const head = makeHeadPhantom({ dimensions: [96, 96, 50] });
    for (const op of ['dilate', 'open'] as const) {
      const out = await pool.run(`volume.${op}`, { volume: volumeOf(head.data.slice(), head.dimensions), radius: 2, shape: 'ball' });
      expect(firstDifference(out.data, morphologyReference(op, head.data, head.dimensions, [2, 2, 2], 'ball'))).toBe(-1);
    }
  });
});

describe('bad input', () => {
  it('is refused by name while another task succeeds', async () => {
    const good = pool.run('volume.median', { volume: volumeOf(new Uint8Array(27).fill(3), [3, 3, 3]) });
    const errors = await Promise.all(
      [
        pool.run('volume.median', { volume: volumeOf(new Int16Array(8), [2, 2, 2]), kernelSize: [2, 3, 3] }),
        pool.run('volume.dilate', { volume: volumeOf(new Int16Array(8), [2, 2, 2]), radius: -1 }),
        pool.run('volume.erode', { volume: volumeOf(new Int16Array(8), [2, 2, 2]), radius: 1, shape: 'cross' as 'box' }),
        pool.run('volume.open', { volume: volumeOf(new Int16Array(7), [2, 2, 2]), radius: 1 }),
        pool.run('volume.median', { volume: volumeOf(new Float32Array([1, 2, Number.NaN, 4, 5, 6, 7, 8]), [2, 2, 2], 'nan') }),
        pool.run('volume.gaussianVtk', { volume: volumeOf(new Int16Array(8), [2, 2, 2]), radiusFactor: -2 }),
      ].map((p) =>
        p.then(
          () => null,
          (e: unknown) => e,
        ),
      ),
    );
    for (const e of errors) expect(e).toBeInstanceOf(InputError);
    expect((errors[0] as InputError).input).toBe('input.kernelSize');
    expect((errors[1] as InputError).input).toBe('input.radius');
    expect((errors[2] as InputError).input).toBe('input.shape');
    expect((errors[3] as Error).message).toMatch(/input\.volume \(test\): has 7 values but 2 x 2 x 2 x 1 needs 8/);
    expect((errors[4] as Error).message).toMatch(/input\.volume \(nan\).*NaN voxels.*0, 1, 0/);
    expect((errors[5] as InputError).input).toBe('input.radiusFactor');
    expect([...(await good).data]).toEqual(new Array(27).fill(3));
  });
});

describe('progress of a kernel op', () => {
  it('reaches the caller as a level: a small volume’s per-slice reports arrive as the newest one, ending at 1', async () => {
    // 33 x 41 x 25: the Gaussian reports after each of 41 + 25 slices, in a run far shorter than
    // the worker's flush interval, so reports not yet posted are replaced, not queued.
    const seen: number[] = [];
    const input = volumeOf(randomData('int16', 33 * 41 * 25, 7), [33, 41, 25]);
    const expected = gaussianVtkReference(input.data, input.dimensions, 2, 5);
    const out = await pool.run('volume.gaussianVtk', { volume: input, std: 2, radiusFactor: 5 }, { onProgress: (p) => seen.push(p.fraction) });
    expect(firstDifference(out.data, expected)).toBe(-1);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1]!)).toBe(true);
    // The first report (with its message) goes at once; the slices' 66 come as one or a few.
    expect(seen.length).toBeLessThan(10);
  });
});
