/**
 * The itk-wasm ops in the browser's pool on the parity input (itk-input.ts): read the NRRD,
 * downsample (Gaussian and bin shrink), resample, write NRRD and MetaImage, isosurface, write
 * STL and VTK. Each file's SHA-256 goes to test-results/parity/; test/node/itk-parity.test.ts
 * runs this file and compares them with the files `voxpool run` writes in Node.
 */
import { afterEach, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createPool, type BuiltinOps, type Pool } from '../../src/index.ts';
import { BIN, DICOM_FILE, DICOM_SERIES, DOWNSAMPLE, ISOVALUE, ITK_INPUT, phantomNrrd, REGISTER, RESAMPLE } from './itk-input.ts';

const OUT = 'test-results/parity/browser-itk.json';
const READ_OUT = 'test-results/parity/browser-itk-read.json';

async function corpus(file: string): Promise<{ name: string; bytes: Uint8Array }> {
  const bin = atob(await commands.readFile(`test/data/corpus/${file}`, 'base64'));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return { name: file.split('/').pop()!, bytes };
}

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

it('reads, downsamples, resamples and writes volumes and meshes with itk-wasm, and hashes the files', async () => {
  pool = createPool({ size: 2 });
  const p = pool;
  const head = await p.run('volume.read', { files: [{ name: ITK_INPUT, bytes: phantomNrrd() }] });
  expect(head.dimensions).toEqual([80, 72, 48]);
  const [down, bin, resampled] = await Promise.all([
    p.run('volume.downsample', { volume: head, ...DOWNSAMPLE }, { input: 'copy' }),
    p.run('volume.downsample', { volume: head, ...BIN }, { input: 'copy' }),
    p.run('volume.resample', { volume: head, ...RESAMPLE }, { input: 'copy' }),
  ]);
  const surface = await p.run('volume.isosurface', { volume: resampled, isovalue: ISOVALUE }, { input: 'copy' });
  const files: Record<string, Uint8Array> = {
    'down.nrrd': (await p.run('volume.write', { volume: down, format: 'nrrd' })).bytes,
    'bin.nrrd': (await p.run('volume.write', { volume: bin, format: 'nrrd' })).bytes,
    'resampled.mha': (await p.run('volume.write', { volume: resampled, format: 'mha' }, { input: 'copy' })).bytes,
    'resampled.nrrd': (await p.run('volume.write', { volume: resampled, format: 'nrrd' })).bytes,
    'surface.stl': (await p.run('mesh.write', { mesh: surface, format: 'stl' }, { input: 'copy' })).bytes,
    'surface.vtk': (await p.run('mesh.write', { mesh: surface, format: 'vtk' })).bytes,
  };
  const hashes = Object.fromEntries(await Promise.all(Object.entries(files).map(async ([name, bytes]) => [name, await sha256(bytes)] as const)));
  await commands.writeFile(OUT, `${JSON.stringify(hashes, null, 2)}\n`);
});

it('reads DICOM (a file and a series), registers with elastix, reads back a VTK mesh, and hashes what it writes', async () => {
  pool = createPool({ size: 2 });
  const p = pool;
  const head = await p.run('volume.read', { files: [{ name: ITK_INPUT, bytes: phantomNrrd() }] });
  const resampled = await p.run('volume.resample', { volume: head, ...RESAMPLE }, { input: 'copy' });
  const [ct, series, registered] = await Promise.all([
    p.run('volume.read', { files: [await corpus(DICOM_FILE)] }),
    p.run('volume.read', { files: await Promise.all(DICOM_SERIES.map(corpus)) }),
    p.run('volume.register', { fixed: head, moving: resampled, ...REGISTER }, { input: 'copy' }),
  ]);
  const surface = await p.run('volume.isosurface', { volume: resampled, isovalue: ISOVALUE });
  const vtk = await p.run('mesh.write', { mesh: surface, format: 'vtk' });
  const reread = await p.run('mesh.read', { file: { name: 'surface.vtk', bytes: vtk.bytes } });
  const files: Record<string, Uint8Array> = {
    'ct.nii': (await p.run('volume.write', { volume: ct, format: 'nii' })).bytes,
    'series.nii': (await p.run('volume.write', { volume: series, format: 'nii' })).bytes,
    'registered.nii': (await p.run('volume.write', { volume: registered.volume, format: 'nii' })).bytes,
    // As the Node runner writes a non-byte output: JSON.
    'transforms.json': new TextEncoder().encode(`${JSON.stringify(registered.transforms, null, 2)}\n`),
    'reread.stl': (await p.run('mesh.write', { mesh: reread, format: 'stl' })).bytes,
  };
  const hashes = Object.fromEntries(await Promise.all(Object.entries(files).map(async ([name, bytes]) => [name, await sha256(bytes)] as const)));
  await commands.writeFile(READ_OUT, `${JSON.stringify(hashes, null, 2)}\n`);
});
