/**
 * A DICOM series made here: each slice written as its own DICOM file by GDCM (image-io, run on
 * this page from the staged pipelines), shuffled, then read back as one volume in a worker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setPipelinesBaseUrl, writeImage } from '@itk-wasm/image-io';
import { assetBase, createPool, InputError, type BuiltinOps, type Pool } from '../../src/index.ts';
import { volumeToItkImage } from '../../src/data/itk-image.ts';
import type { Volume } from '../../src/data/volume.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

const [NX, NY, NZ] = [6, 5, 4];
const SPACING: [number, number, number] = [0.8, 0.9, 2.5];
const ORIGIN: [number, number, number] = [-20, 10, 35];
// Rotated 0.3 rad about z: slices stack along z, rows and columns are oblique.
const [C, S] = [Math.cos(0.3), Math.sin(0.3)];
const DIRECTION = [C, S, 0, -S, C, 0, 0, 0, 1];

function voxel(i: number, j: number, k: number): number {
  return 100 * k + 10 * j + i - 50;
}

/** Slice k as a one-slice volume at its own position. */
function slice(k: number): Volume {
  const data = new Int16Array(NX * NY);
  for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) data[j * NX + i] = voxel(i, j, k);
  return { name: `s${k}`, data, dimensions: [NX, NY, 1], spacing: SPACING, origin: [ORIGIN[0], ORIGIN[1], ORIGIN[2] + k * SPACING[2]], direction: DIRECTION, components: 1 };
}

/**
 * Offset and length of a top-level element's value in a DICOM file whose data set is implicit
 * VR little endian (what GDCM writes here): tag, 4-byte length, value.
 */
function findElement(bytes: Uint8Array, group: number, element: number): { at: number; length: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Preamble (128) + "DICM" + the file meta group, explicit VR, whose first element gives its length.
  let i = 144 + view.getUint32(140, true);
  while (i + 8 <= bytes.length) {
    const [g, e, length] = [view.getUint16(i, true), view.getUint16(i + 2, true), view.getUint32(i + 4, true)];
    if (g === group && e === element) return { at: i + 8, length };
    if (length === 0xffffffff) return null;
    i += 8 + length;
  }
  return null;
}

/** The file with an element's value replaced (and its length: a top-level element has no enclosing one). */
function withValue(bytes: Uint8Array, group: number, element: number, value: Uint8Array): Uint8Array {
  const found = findElement(bytes, group, element);
  if (!found) throw new Error(`no (${group.toString(16)},${element.toString(16)}) in the written file`);
  const out = new Uint8Array(bytes.length - found.length + value.length);
  out.set(bytes.subarray(0, found.at));
  out.set(value, found.at);
  out.set(bytes.subarray(found.at + found.length), found.at + value.length);
  new DataView(out.buffer).setUint32(found.at - 4, value.length, true);
  return out;
}

async function dicomSeries(): Promise<{ name: string; bytes: Uint8Array }[]> {
  setPipelinesBaseUrl(new URL('itk/image-io', assetBase).href);
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (let k = 0; k < NZ; k++) {
    const name = `IM${k}.dcm`;
    const image = volumeToItkImage(slice(k));
    // An MR image, not GDCM's default secondary capture, which has no position or orientation.
    image.metadata.set('0008|0060', 'MR');
    image.metadata.set('0008|0016', '1.2.840.10008.5.1.4.1.1.4');
    const { serializedImage } = await writeImage(image, name, { webWorker: false });
    files.push({ name, bytes: serializedImage.data.slice() });
  }
  // GDCM gives every file it writes new study, series and frame-of-reference UIDs; a scanner
  // gives a series one of each. Make them so, as the first file has them.
  for (const [group, element] of [[0x0020, 0x000d], [0x0020, 0x000e], [0x0020, 0x0052]] as const) {
    const first = findElement(files[0]!.bytes, group, element);
    if (!first) throw new Error(`the first file has no (${group.toString(16)},${element.toString(16)})`);
    const uid = files[0]!.bytes.slice(first.at, first.at + first.length);
    for (const f of files.slice(1)) f.bytes = withValue(f.bytes, group, element, uid);
  }
  return files;
}

describe('DICOM (GDCM via itk-wasm image-io and dicom, in our workers)', () => {
  it('reads a shuffled series as one volume, slices in place', async () => {
    const files = await dicomSeries();
    pool = createPool({ size: 1 });
    const shuffled = [files[2]!, files[0]!, files[3]!, files[1]!];
    const v = await pool.run('volume.read', { files: shuffled });
    expect(v.name).toBe('IM2.dcm');
    expect(v.dimensions).toEqual([NX, NY, NZ]);
    expect(v.data).toBeInstanceOf(Int16Array);
    const expected: number[] = [];
    for (let k = 0; k < NZ; k++) for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) expected.push(voxel(i, j, k));
    expect([...v.data]).toEqual(expected);
    v.spacing.forEach((s, i) => expect(s).toBeCloseTo(SPACING[i]!, 4));
    v.origin.forEach((o, i) => expect(o).toBeCloseTo(ORIGIN[i]!, 4));
    v.direction.forEach((d, i) => expect(d).toBeCloseTo(DIRECTION[i]!, 5));
  });

  it('reads a single DICOM file', async () => {
    const [first] = await dicomSeries();
    pool = createPool({ size: 1 });
    const v = await pool.run('volume.read', { files: [first!] });
    expect(v.dimensions).toEqual([NX, NY, 1]);
    expect(v.data[NX + 2]).toBe(voxel(2, 1, 0));
  });

  it('refuses a series with a corrupt file by name, and goes on', async () => {
    const files = await dicomSeries();
    pool = createPool({ size: 1 });
    const bad = [files[0]!, { name: 'junk.dcm', bytes: new Uint8Array(300).fill(7) }];
    const e = await pool.run('volume.read', { files: bad }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).input).toMatch(/^IM0\.dcm \(DICOM series of 2 files\)$/);
    const ok = await pool.run('volume.read', { files: [files[1]!, files[3]!] });
    expect(ok.dimensions).toEqual([NX, NY, 2]);
  });
});
