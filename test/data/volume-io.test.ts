import { afterEach, describe, expect, it } from 'vitest';
import { createPool, InputError, type BuiltinOps, type Pool } from '../../src/index.ts';
import type { Volume } from '../../src/data/volume.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

const c = Math.cos(0.3);
const s = Math.sin(0.3);
function oblique(): Volume {
  const dims: [number, number, number] = [7, 5, 4];
  const data = new Int16Array(7 * 5 * 4).map((_, i) => (i * 37) % 1000 - 300);
  // Rotated 0.3 rad about k: an orientation that a layout mix-up would scramble.
  return { name: 'oblique.nii', data, dimensions: dims, spacing: [0.5, 0.75, 2], origin: [-10, 20.5, 3], direction: [c, s, 0, -s, c, 0, 0, 0, 1], components: 1 };
}

describe('volume files (itk-wasm image-io in our workers, assets from this origin)', () => {
  for (const format of ['nii', 'nii.gz', 'nrrd', 'mha'] as const) {
    it(`${format}: write then read gives the same voxels and geometry`, async () => {
      pool = createPool({ size: 1 });
      const v = oblique();
      const expected = [...v.data];
      const file = await pool.run('volume.write', { volume: v, format }, { input: 'copy' });
      expect(file.name).toBe(`oblique.${format}`);
      expect(file.bytes.length).toBeGreaterThan(100);
      expect(file.bytes.buffer).toBeInstanceOf(ArrayBuffer); // plain, so it can go into a Blob
      expect(new Blob([file.bytes as Uint8Array<ArrayBuffer>]).size).toBe(file.bytes.length);
      if (format === 'nii.gz') expect([file.bytes[0], file.bytes[1]]).toEqual([0x1f, 0x8b]);
      const back = await pool.run('volume.read', { files: [file] });
      expect(back.name).toBe(`oblique.${format}`);
      expect(back.data).toBeInstanceOf(Int16Array);
      expect(back.data.buffer).toBeInstanceOf(ArrayBuffer);
      expect([...back.data]).toEqual(expected);
      expect(back.dimensions).toEqual([7, 5, 4]);
      back.spacing.forEach((x, i) => expect(x).toBeCloseTo(v.spacing[i]!, 5));
      back.origin.forEach((x, i) => expect(x).toBeCloseTo(v.origin[i]!, 4));
      back.direction.forEach((x, i) => expect(x).toBeCloseTo(v.direction[i]!, 5));
    });
  }

  it('loads the pipelines from this origin only', async () => {
    pool = createPool({ size: 1 });
    await pool.run('volume.write', { volume: oblique(), format: 'nrrd' });
    // The pool told its workers where the staged assets are: this site, not a CDN.
    const staged = await fetch('/itk/image-io/nrrd-read-image.wasm.zst');
    expect(staged.ok).toBe(true);
    expect((await staged.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it('refuses bad files with an InputError naming the file, and the pool goes on', async () => {
    pool = createPool({ size: 1 });
    const good = await pool.run('volume.write', { volume: oblique(), format: 'nii' });
    const truncated = { name: 'cut.nii', bytes: good.bytes.slice(0, 200) };
    const e1 = await pool.run('volume.read', { files: [truncated] }).catch((x: unknown) => x);
    expect(e1).toBeInstanceOf(InputError);
    expect((e1 as InputError).input).toBe('cut.nii');
    const e2 = await pool.run('volume.read', { files: [{ name: 'notes.txt', bytes: new Uint8Array([1, 2, 3]) }] }).catch((x: unknown) => x);
    expect(e2).toBeInstanceOf(InputError);
    expect((e2 as Error).message).toMatch(/notes\.txt: unsupported file type/);
    const e3 = await pool.run('volume.read', { files: [{ name: 'noise.nrrd', bytes: new Uint8Array(64).fill(65) }] }).catch((x: unknown) => x);
    expect(e3).toBeInstanceOf(InputError);
    expect((e3 as InputError).input).toBe('noise.nrrd');
    const ok = await pool.run('volume.read', { files: [good] });
    expect(ok.dimensions).toEqual([7, 5, 4]);
  });
});
