/**
 * mesh.smooth (vtk.js windowed sinc in our worker) and mesh.decimate (meshoptimizer's wasm
 * simplifier in our worker), measured against the true sphere the test meshes sample.
 */
import { afterEach, describe, expect, it } from 'vitest';
import vtkSphereSource from '@kitware/vtk.js/Filters/Sources/SphereSource';
import { createPool, InputError, type BuiltinOps, type Pool } from '../../src/index.ts';
import { cellCount, type Mesh } from '../../src/data/mesh.ts';
import { vtkPolyDataToMesh } from '../../src/data/vtk-polydata.ts';
import { mulberry32 } from '../../workers/ops/mesh-jitter.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

const R = 10;
const CENTRE: [number, number, number] = [3, -2, 5];

function sphere(resolution = 64): Mesh {
  const source = vtkSphereSource.newInstance({ radius: R, center: CENTRE, thetaResolution: resolution, phiResolution: resolution, pointType: 'Float32Array' });
  return vtkPolyDataToMesh(source.getOutputData(), 'sphere');
}

const radiusOf = (p: Float32Array, i: number): number => Math.hypot(p[3 * i]! - CENTRE[0]!, p[3 * i + 1]! - CENTRE[1]!, p[3 * i + 2]! - CENTRE[2]!);

/** Every point moved along its radius by up to +-amplitude (seeded). */
function jittered(mesh: Mesh, amplitude: number, seed: number): Mesh {
  const random = mulberry32(seed);
  const points = mesh.points.slice();
  for (let i = 0; i < points.length / 3; i++) {
    const r = radiusOf(points, i);
    const scale = (r + amplitude * (2 * random() - 1)) / r;
    for (let a = 0; a < 3; a++) points[3 * i + a] = CENTRE[a]! + (points[3 * i + a]! - CENTRE[a]!) * scale;
  }
  return { ...mesh, points };
}

/** Mean distance of the points to the true sphere. */
function roughness(mesh: Mesh): number {
  let sum = 0;
  const n = mesh.points.length / 3;
  for (let i = 0; i < n; i++) sum += Math.abs(radiusOf(mesh.points, i) - R);
  return sum / n;
}

function triangles(mesh: Mesh): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < mesh.polys.length; i += mesh.polys[i]! + 1) {
    expect(mesh.polys[i]).toBe(3);
    out.push([mesh.polys[i + 1]!, mesh.polys[i + 2]!, mesh.polys[i + 3]!]);
  }
  return out;
}

/** Area and enclosed volume (divergence theorem) of a closed triangle mesh. */
function areaVolume(mesh: Mesh): { area: number; volume: number } {
  const p = mesh.points;
  let area = 0;
  let volume = 0;
  for (const [a, b, c] of triangles(mesh)) {
    const A = [0, 1, 2].map((k) => p[3 * a + k]! - CENTRE[k]!);
    const B = [0, 1, 2].map((k) => p[3 * b + k]! - CENTRE[k]!);
    const C = [0, 1, 2].map((k) => p[3 * c + k]! - CENTRE[k]!);
    const u = [0, 1, 2].map((k) => B[k]! - A[k]!);
    const v = [0, 1, 2].map((k) => C[k]! - A[k]!);
    const n = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
    area += Math.hypot(...n) / 2;
    volume += (A[0]! * (B[1]! * C[2]! - B[2]! * C[1]!) - A[1]! * (B[0]! * C[2]! - B[2]! * C[0]!) + A[2]! * (B[0]! * C[1]! - B[1]! * C[0]!)) / 6;
  }
  return { area, volume: Math.abs(volume) };
}

/** Each undirected edge used by exactly two triangles: a closed manifold surface. */
function isClosed(mesh: Mesh): boolean {
  const uses = new Map<string, number>();
  for (const t of triangles(mesh)) {
    for (let e = 0; e < 3; e++) {
      const [a, b] = [t[e]!, t[(e + 1) % 3]!];
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
  }
  return [...uses.values()].every((n) => n === 2);
}

describe('mesh.smooth', () => {
  it('makes a jittered sphere smoother, keeping its points, cells, size and point data', async () => {
    pool = createPool({ size: 1 });
    const rough = jittered(sphere(), 0.4, 7);
    const label = new Float32Array(rough.points.length / 3).map((_, i) => i);
    rough.pointData = { label: { values: label, components: 1 } };
    const before = roughness(rough);
    const polys = rough.polys.slice();
    const smooth = await pool.run('mesh.smooth', { mesh: rough, iterations: 20, passBand: 0.05 }, { input: 'copy' });
    const after = roughness(smooth);
    expect(before).toBeGreaterThan(0.15);
    expect(after).toBeLessThan(before / 3);
    expect(smooth.points.length).toBe(rough.points.length);
    expect(smooth.polys).toEqual(polys);
    expect(smooth.pointData?.label?.values).toEqual(label);
    // Windowed sinc does not shrink: the mean radius stays within 1% of R.
    let sum = 0;
    for (let i = 0; i < smooth.points.length / 3; i++) sum += radiusOf(smooth.points, i);
    expect(Math.abs(sum / (smooth.points.length / 3) - R)).toBeLessThan(0.01 * R);
  });

  it('smooths more with a lower pass band, and 0 iterations move nothing', async () => {
    pool = createPool({ size: 1 });
    const rough = jittered(sphere(32), 0.4, 11);
    const mild = await pool.run('mesh.smooth', { mesh: rough, passBand: 0.5 }, { input: 'copy' });
    const strong = await pool.run('mesh.smooth', { mesh: rough, passBand: 0.01 }, { input: 'copy' });
    expect(roughness(strong)).toBeLessThan(roughness(mild));
    expect(roughness(mild)).toBeLessThan(roughness(rough));
    const same = await pool.run('mesh.smooth', { mesh: rough, iterations: 0 }, { input: 'copy' });
    expect(same.points).toEqual(rough.points);
  });
});

describe('mesh.decimate', () => {
  it('to 25% gives about 25% of the triangles, a closed surface, close to the sphere', async () => {
    pool = createPool({ size: 1 });
    const full = sphere();
    const n = cellCount(full.polys);
    const radius = new Float32Array(full.points.length / 3).map((_, i) => radiusOf(full.points, i));
    full.pointData = { radius: { values: radius, components: 1 } };
    const { mesh: out, errorMm } = await pool.run('mesh.decimate', { mesh: full, ratio: 0.25 }, { input: 'copy' });
    const kept = cellCount(out.polys);
    expect(kept / n).toBeGreaterThan(0.23);
    expect(kept / n).toBeLessThanOrEqual(0.25);
    expect(out.points.length / 3).toBeLessThan(0.3 * (full.points.length / 3));
    expect(isClosed(out)).toBe(true);
    // Kept points are original points, on the sphere, with their own point data.
    for (let i = 0; i < out.points.length / 3; i++) {
      expect(Math.abs(radiusOf(out.points, i) - R)).toBeLessThan(1e-4 * R);
      expect(out.pointData!.radius!.values[i]).toBeCloseTo(radiusOf(out.points, i), 4);
    }
    // Between the points, the flat triangles stay close to the sphere: area and volume.
    const exact = areaVolume(full);
    const { area, volume } = areaVolume(out);
    expect(Math.abs(area - 4 * Math.PI * R * R) / (4 * Math.PI * R * R)).toBeLessThan(0.03);
    expect(Math.abs(volume - (4 / 3) * Math.PI * R ** 3) / ((4 / 3) * Math.PI * R ** 3)).toBeLessThan(0.05);
    expect(area).toBeLessThan(exact.area);
    expect(errorMm).toBeGreaterThan(0);
    expect(errorMm).toBeLessThan(0.02 * R);
  });

  it('welds the repeated corners of an STL-like mesh, and meets a triangle count', async () => {
    pool = createPool({ size: 1 });
    const welded = sphere(40);
    const tris = triangles(welded);
    // Three points of its own for every triangle, as an STL file has them.
    const points = new Float32Array(9 * tris.length);
    const polys = new Uint32Array(4 * tris.length);
    tris.forEach((t, i) => {
      t.forEach((p, k) => points.set(welded.points.subarray(3 * p, 3 * p + 3), 9 * i + 3 * k));
      polys.set([3, 3 * i, 3 * i + 1, 3 * i + 2], 4 * i);
    });
    const { mesh: out } = await pool.run('mesh.decimate', { mesh: { name: 'soup.stl', points, polys }, triangles: 500 });
    expect(cellCount(out.polys)).toBeGreaterThan(470);
    expect(cellCount(out.polys)).toBeLessThanOrEqual(500);
    expect(isClosed(out)).toBe(true);
  });
});

describe('bad mesh input', () => {
  it('is refused by name while another task succeeds', async () => {
    pool = createPool({ size: 2 });
    const good = pool.run('mesh.decimate', { mesh: sphere(16), ratio: 0.5 });
    const broken: Mesh = { name: 'broken', points: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]), polys: new Uint32Array([3, 0, 1, 7]) };
    const refusals = await Promise.all([
      pool.run('mesh.smooth', { mesh: sphere(8), passBand: 3 }).catch((e: unknown) => e),
      pool.run('mesh.smooth', { mesh: sphere(8), iterations: 2.5 }).catch((e: unknown) => e),
      pool.run('mesh.smooth', { mesh: broken }).catch((e: unknown) => e),
      pool.run('mesh.decimate', { mesh: sphere(8), ratio: 0 }).catch((e: unknown) => e),
      pool.run('mesh.decimate', { mesh: sphere(8) }).catch((e: unknown) => e),
      pool
        .run('mesh.decimate', {
          mesh: { name: 'lines only', points: new Float32Array(6), polys: new Uint32Array(0), lines: new Uint32Array([2, 0, 1]) },
          ratio: 0.5,
        })
        .catch((e: unknown) => e),
    ]);
    const expected: [string, RegExp][] = [
      ['input.passBand', /in \(0, 2\)/],
      ['input.iterations', /whole number/],
      ['input.mesh (broken) polys', /names point 7, but there are 3/],
      ['input.ratio', /fraction in \(0, 1\]/],
      ['input', /either ratio or triangles/],
      ['input.mesh (lines only)', /no triangles/],
    ];
    refusals.forEach((e, i) => {
      expect(e, expected[i]![0]).toBeInstanceOf(InputError);
      expect((e as InputError).input).toBe(expected[i]![0]);
      expect((e as Error).message).toMatch(expected[i]![1]);
    });
    expect(cellCount((await good).mesh.polys)).toBeGreaterThan(0);
  });
});
