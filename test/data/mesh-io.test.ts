import { afterEach, describe, expect, it } from 'vitest';
import { createPool, InputError, type BuiltinOps, type Pool } from '../../src/index.ts';
import type { Mesh } from '../../src/data/mesh.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

/** A tetrahedron, off the origin, with non-integer coordinates. */
function tetra(): Mesh {
  return {
    name: 'tetra.stl',
    points: new Float32Array([0.5, -1.25, 2, 3.5, -1.25, 2, 0.5, 1.75, 2, 0.5, -1.25, 5.125]),
    polys: new Uint32Array([3, 0, 2, 1, 3, 0, 1, 3, 3, 0, 3, 2, 3, 1, 2, 3]),
  };
}

/** Triangles as sorted sets of xyz corners, so a format that reorders or duplicates points still compares. */
function triangles(m: Mesh): string[] {
  const out: string[] = [];
  for (let i = 0; i < m.polys.length; i += m.polys[i]! + 1) {
    const corners = [...m.polys.subarray(i + 1, i + 1 + m.polys[i]!)].map((p) => [...m.points.subarray(3 * p, 3 * p + 3)].map((v) => v.toFixed(4)).join(','));
    out.push(corners.sort().join(' | '));
  }
  return out.sort();
}

describe('mesh files (itk-wasm mesh-io in our workers)', () => {
  for (const format of ['stl', 'obj', 'vtk'] as const) {
    it(`${format}: write then read gives the same triangles`, async () => {
      pool = createPool({ size: 1 });
      const m = tetra();
      const expected = triangles(m);
      const file = await pool.run('mesh.write', { mesh: m, format }, { input: 'copy' });
      expect(file.name).toBe(`tetra.${format}`);
      const back = await pool.run('mesh.read', { file });
      expect(back.points).toBeInstanceOf(Float32Array);
      expect(triangles(back)).toEqual(expected);
    });
  }

  it('refuses bad mesh files by name, and the pool goes on', async () => {
    pool = createPool({ size: 1 });
    const e1 = await pool.run('mesh.read', { file: { name: 'model.ply', bytes: new Uint8Array(10) } }).catch((x: unknown) => x);
    expect(e1).toBeInstanceOf(InputError);
    expect((e1 as Error).message).toMatch(/model\.ply: unsupported file type/);
    const e2 = await pool.run('mesh.read', { file: { name: 'junk.vtk', bytes: new TextEncoder().encode('not a vtk file at all') } }).catch((x: unknown) => x);
    expect(e2).toBeInstanceOf(InputError);
    expect((e2 as InputError).input).toBe('junk.vtk');
    const ok = await pool.run('mesh.write', { mesh: tetra(), format: 'stl' });
    expect(ok.bytes.length).toBeGreaterThan(80);
  });
});
