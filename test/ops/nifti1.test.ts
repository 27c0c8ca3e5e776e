/**
 * The small NIfTI-1 codec the niimath engine uses, checked against the full NIfTI reader and
 * writer (volume.read / volume.write in a real worker; both checked against nibabel elsewhere).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/index.ts';
import { decodeNifti1, encodeNifti1, NiftiFormatError } from '../../src/data/nifti1.ts';
import { PIXEL_ARRAYS, type PixelType, type Vec3, type Volume } from '../../src/data/volume.ts';

const pool = createPool({ size: 1 });
afterAll(() => pool.terminate());

const dims: Vec3 = [5, 4, 3];
const spacing: Vec3 = [0.75, 1.25, 2.5];
const types: PixelType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'];

function voxels(type: PixelType): Volume['data'] {
  const data = new PIXEL_ARRAYS[type](60);
  for (let i = 0; i < 60; i++) data[i] = type.startsWith('float') ? (i - 20) * 1.5 : type.startsWith('u') ? i * 3 : i * 3 - 90;
  return data;
}

describe('NIfTI-1 codec', () => {
  it.each(types)('writes %s voxels that itk-wasm reads back exactly, with the voxel size', async (type) => {
    const data = voxels(type);
    const bytes = encodeNifti1({ data, dimensions: dims, spacing });
    const read = await pool.run('volume.read', { files: [{ name: 'x.nii', bytes }] });
    expect(read.data).toBeInstanceOf(PIXEL_ARRAYS[type]);
    expect([...read.data]).toEqual([...data]);
    expect(read.dimensions).toEqual(dims);
    for (let a = 0; a < 3; a++) expect(read.spacing[a]).toBeCloseTo(spacing[a]!, 6);
  });

  it.each(types)('reads %s voxels that itk-wasm wrote', async (type) => {
    const data = voxels(type);
    const volume: Volume = {
      name: 'x',
      data: data.slice(),
      dimensions: dims,
      spacing,
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      components: 1,
    };
    const file = await pool.run('volume.write', { volume, format: 'nii' });
    const back = decodeNifti1(file.bytes);
    expect(back.data).toBeInstanceOf(PIXEL_ARRAYS[type]);
    expect([...back.data]).toEqual([...data]);
    expect(back.dimensions).toEqual(dims);
    expect(back.spacing).toEqual(spacing.map((s) => Math.fround(s)));
  });

  it('refuses what it does not read: truncated files, other formats, 4-D', () => {
    const bytes = encodeNifti1({ data: new Int16Array(60), dimensions: dims, spacing });
    expect(() => decodeNifti1(bytes.subarray(0, 200))).toThrow(NiftiFormatError);
    expect(() => decodeNifti1(bytes.subarray(0, 400))).toThrow(/shorter than its voxels/);
    const nrrd = new TextEncoder().encode('NRRD0004\n'.padEnd(400, ' '));
    expect(() => decodeNifti1(nrrd)).toThrow(/not a little-endian NIfTI-1/);
    const fourD = bytes.slice();
    new DataView(fourD.buffer).setInt16(40, 4, true);
    new DataView(fourD.buffer).setInt16(48, 2, true);
    expect(() => decodeNifti1(fourD)).toThrow(/3-D scalar/);
  });
});
