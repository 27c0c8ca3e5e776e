/**
 * NIfTI written from a NIfTI keeps its qform and sform codes (what space each transform names),
 * and its geometry: read from corpus files, written by ITK, codes set, read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createPool, type BuiltinOps, type Pool } from '../../src/index.ts';
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
