/**
 * NIfTI written from a NIfTI keeps its qform and sform codes (what space each transform names),
 * and its geometry: read from corpus files, written by ITK, codes set, read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createPool, InputError, type BuiltinOps, type Pool } from '../../src/index.ts';
import { parseNiftiHeader } from '../../src/data/nifti-header.ts';
import { inflateCapped, isGzip } from '../../src/data/inflate.ts';
import expected from './corpus/expected.json';

let pool: Pool<BuiltinOps>;
beforeAll(() => {
  pool = createPool({ size: 1 });
});
afterAll(async () => {
  await pool.terminate();
});

async function corpus(file: string): Promise<Uint8Array> {
  const bin = atob(await commands.readFile(`test/data/corpus/${file}`, 'base64'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

interface Codes {
  qform: number;
  sform: number;
}
const cases = (expected as { cases: { name: string; files: string[]; expect?: { niftiCodes?: Codes } }[] }).cases;

describe('NIfTI written from NIfTI', () => {
  for (const [name, format] of [['qform_only.nii.gz', 'nii.gz'], ['pair.hdr + pair.img', 'nii'], ['example_nifti2.nii.gz frame', 'nii'], ['anatomical.nii', 'nii.gz']] as const) {
    it(`${name} -> .${format}: qform and sform codes as nibabel read them, geometry the same`, async () => {
      const c = cases.find((x) => x.name === name || (name.endsWith('frame') && x.name === name.replace(/ frame$/, '')))!;
      const want = c.expect!.niftiCodes!;
      const files = await Promise.all(c.files.map(async (f) => ({ name: f.split('/').pop()!, bytes: await corpus(f) })));
      const read = await pool.run('volume.read', { files });
      expect(read.niftiCodes).toEqual(want);
      const written = await pool.run('volume.write', { volume: read, format }, { input: 'copy' });
      const plain = isGzip(written.bytes) ? (await inflateCapped(written.bytes, 1 << 24)).bytes : written.bytes;
      const h = parseNiftiHeader(plain);
      const bothUnset = want.qform === 0 && want.sform === 0;
      if (!bothUnset) expect({ qform: h.qformCode, sform: h.sformCode }).toEqual(want);
      const back = await pool.run('volume.read', { files: [written] });
      expect(back.dimensions).toEqual(read.dimensions);
      back.spacing.forEach((s, i) => expect(s).toBeCloseTo(read.spacing[i]!, 4));
      back.origin.forEach((o, i) => expect(o).toBeCloseTo(read.origin[i]!, 3));
      back.direction.forEach((d, i) => expect(d).toBeCloseTo(read.direction[i]!, 4));
      expect([...back.data]).toEqual([...read.data]);
    });
  }
});

/** Bytes as base64, in chunks (String.fromCharCode takes a bounded argument list). */
function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

type Storage = 'values' | 'as-read';
// [case, format, storage, stored type nibabel must see in the written file ('original': the source's)]
const OWN: [string, 'nii' | 'nii.gz', Storage, string][] = [
  ['scaled_int16.nii', 'nii', 'as-read', 'original'],
  ['scaled_int16.nii', 'nii.gz', 'values', 'float64'],
  ['functional.nii', 'nii.gz', 'as-read', 'original'],
  ['analyze.hdr + analyze.img', 'nii', 'as-read', 'original'],
  ['anatomical.nii', 'nii', 'values', 'original'],
  ['qform_only.nii.gz', 'nii.gz', 'as-read', 'original'],
  ['float_nan_inf.nii', 'nii', 'values', 'original'],
  ['no_transform.nii', 'nii', 'values', 'original'],
  ['example_nifti2.nii.gz', 'nii', 'values', 'original'],
  ['big_endian.nii', 'nii', 'values', 'original'],
  ['pair.hdr + pair.img', 'nii.gz', 'values', 'original'],
];

describe("NIfTI-1 by voxpool's own writer, read back by nibabel and by our reader", () => {
  for (const [name, format, storage, storedType] of OWN) {
    it(`${name} -> .${format} (${storage}): nibabel sees the original's grid, codes, values and stored type`, async () => {
      const c = cases.find((x) => x.name === name)!;
      const files = await Promise.all(c.files.map(async (f) => ({ name: f.split('/').pop()!, bytes: await corpus(f) })));
      const read = await pool.run('volume.read', { files: files.map((f) => ({ ...f, bytes: f.bytes.slice() })) });
      const written = await pool.run('volume.write', { volume: read, format, storage }, { input: 'copy' });
      expect(written.name.endsWith(`.${format}`)).toBe(true);
      const ref = await commands.nibabelRead(files.map((f) => ({ name: f.name, base64: base64(f.bytes) })));
      const out = await commands.nibabelRead([{ name: written.name, base64: base64(written.bytes) }]);

      // nibabel: the written file is the original's first frame, on the original's grid.
      expect(out.shape).toEqual(ref.shape.slice(0, 3));
      out.affine.forEach((row, r) => row.forEach((x, k) => expect(Math.abs(x - ref.affine[r]![k]!), `affine[${r}][${k}]`).toBeLessThan(1e-5)));
      // Both transforms written are the one grid, whichever a reader picks: to within what a
      // float32 quaternion holds (its a = sqrt(1 - b² - c² - d²) near a half turn is good to about
      // 1e-4; example_nifti2's own qform is 1.4e-4 off its sform in nibabel).
      out.qform!.forEach((row, r) => row.forEach((x, k) => expect(Math.abs(x - out.affine[r]![k]!), `qform[${r}][${k}]`).toBeLessThan(5e-4)));
      if (ref.codes && !(ref.codes.qform === 0 && ref.codes.sform === 0)) expect(out.codes).toEqual(ref.codes);
      expect(out.storedType).toBe(storedType === 'original' ? ref.storedType : storedType);
      if (storage === 'as-read') expect([out.slope, out.inter]).toEqual([ref.slope, ref.inter]);
      else expect([out.slope, out.inter]).toEqual([1, 0]);
      expect(out.values).toEqual(ref.values.slice(0, out.values.length));

      // Our reader: the same volume, to the bit.
      const back = await pool.run('volume.read', { files: [written] });
      expect(back.dimensions).toEqual(read.dimensions);
      expect(back.spacing).toEqual(read.spacing);
      back.origin.forEach((o, i) => expect(Math.abs(o - read.origin[i]!)).toBeLessThan(1e-5));
      back.direction.forEach((d, i) => expect(Math.abs(d - read.direction[i]!)).toBeLessThan(1e-6));
      expect(back.data.constructor).toBe(read.data.constructor);
      expect([...back.data]).toEqual([...read.data]);
      expect(back.niftiScaling).toEqual(storage === 'as-read' ? read.niftiScaling : undefined);
      if (read.niftiCodes && !(read.niftiCodes.qform === 0 && read.niftiCodes.sform === 0)) expect(back.niftiCodes).toEqual(read.niftiCodes);
    });
  }

  it('refuses in words to write as read a value no stored integer gives, and writes it as values', async () => {
    const c = cases.find((x) => x.name === 'scaled_int16.nii')!;
    const read = await pool.run('volume.read', { files: [{ name: 'scaled_int16.nii', bytes: await corpus(c.files[0]!) }] });
    expect(read.niftiScaling).toEqual({ datatype: 'int16', slope: 0.25, inter: -10 });
    read.data[7] = read.data[7]! + 0.1;
    const e = await pool.run('volume.write', { volume: read, format: 'nii', storage: 'as-read' }, { input: 'copy' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).input).toBe('input.storage');
    expect((e as Error).message).toMatch(/cannot be written as read \(int16 times 0\.25 plus -10\): the voxel at i, j, k = 2, 1, 0 holds .*, which no int16 value gives/);
    const values = await pool.run('volume.write', { volume: read, format: 'nii' }, { input: 'copy' });
    const back = await pool.run('volume.read', { files: [values] });
    expect(back.data[7]).toBe(read.data[7]);
    const other = await pool.run('volume.write', { volume: read, format: 'nrrd', storage: 'as-read' }).catch((x: unknown) => x);
    expect(other).toBeInstanceOf(InputError);
    expect((other as Error).message).toMatch(/"as-read" .* is for NIfTI/);
  });
});
