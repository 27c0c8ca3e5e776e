/**
 * volume.read and mesh.read take what a page has at hand: a File (an <input type="file">, a
 * drop), a FileList, a { name, bytes: Blob }, besides { name, bytes: Uint8Array }. Each gives the
 * same volume or mesh; a bare Blob, which has no name to say its format, is refused by name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPool, InputError, type BuiltinOps, type Mesh, type NamedBytes, type Pool, type Volume } from '../../src/index.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

function ramp(): Volume {
  const data = new Int16Array(6 * 5 * 4).map((_, i) => (i * 29) % 700 - 200);
  return { name: 'ramp.nii', data, dimensions: [6, 5, 4], spacing: [1, 1.5, 2], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], components: 1 };
}

function tetra(): Mesh {
  return {
    name: 'tetra.stl',
    points: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]),
    polys: new Uint32Array([3, 0, 2, 1, 3, 0, 1, 3, 3, 0, 3, 2, 3, 1, 2, 3]),
  };
}

const blobOf = (f: NamedBytes): Blob => new Blob([f.bytes as Uint8Array<ArrayBuffer>]);

describe('reading files given as File, FileList or Blob', () => {
  it('volume.read: a File, a FileList and { name, bytes: Blob } give the voxels { name, bytes } gives', async () => {
    pool = createPool({ size: 1 });
    const expected = [...ramp().data];
    const written = await pool.run('volume.write', { volume: ramp(), format: 'nii' });
    const file = new File([blobOf(written)], written.name);
    const list = new DataTransfer();
    list.items.add(file);
    for (const files of [[file], list.files, [{ name: written.name, bytes: blobOf(written) }]]) {
      const back = await pool.run('volume.read', { files });
      expect(back.name).toBe('ramp.nii');
      expect(back.dimensions).toEqual([6, 5, 4]);
      expect([...back.data]).toEqual(expected);
    }
  });

  it('mesh.read: a File gives the mesh', async () => {
    pool = createPool({ size: 1 });
    const written = await pool.run('mesh.write', { mesh: tetra(), format: 'stl' });
    const back = await pool.run('mesh.read', { file: new File([blobOf(written)], written.name) });
    expect(back.points.length).toBe(12);
    expect(back.polys.length).toBe(16);
  });

  it('a bare Blob is refused by its place in the input, and an empty File by its name', async () => {
    pool = createPool({ size: 1 });
    const written = await pool.run('volume.write', { volume: ramp(), format: 'nii' });
    const bare = await pool.run('volume.read', { files: [blobOf(written) as File] }).catch((e: unknown) => e);
    expect(bare).toBeInstanceOf(InputError);
    expect((bare as InputError).input).toBe('input.files[0]');
    expect((bare as InputError).problem).toMatch(/Blob without a file name/);
    const empty = await pool.run('mesh.read', { file: new File([], 'empty.stl') }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(InputError);
    expect((empty as InputError).message).toBe('empty.stl: the file is empty');
  });
});
