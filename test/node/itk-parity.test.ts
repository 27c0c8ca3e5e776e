/**
 * itk-wasm in the Node runner, and the same files as in the browser: a workflow file reads an
 * NRRD (itk-input.ts) through `voxpool run` as built, downsamples it (Gaussian and bin shrink),
 * resamples it, writes NRRD and MetaImage, takes an isosurface and writes it as STL and VTK. The
 * same ops run in Chromium (test/parity/node-itk.test.ts, through Vitest's browser mode), and
 * every written file is compared by SHA-256, byte for byte.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readJson, scratch, voxpoolDone } from './cli-support.ts';
import {
  BIN,
  DICOM_FILE,
  DICOM_SERIES,
  DOWNSAMPLE,
  ISOVALUE,
  ITK_INPUT,
  ITK_OUTPUTS,
  ITK_READ_OUTPUTS,
  phantomNrrd,
  REGISTER,
  RESAMPLE,
} from '../parity/itk-input.ts';

const BROWSER_OUT = resolve('test-results/parity/browser-itk.json');
const BROWSER_READ_OUT = resolve('test-results/parity/browser-itk-read.json');

let browserChild: ChildProcess | null = null;

function browserRun(): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.config.ts', 'test/parity/node-itk.test.ts'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    browserChild = child;
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => done({ code, output }));
  });
}

const write = (id: string, task: string, format: string, output: string) => ({
  id,
  op: 'volume.write',
  params: { format },
  inputs: { volume: { task } },
  outputs: { bytes: `out/${output}` },
});

async function itkTempFolders(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('voxpool-itk-'));
}

/** Both browser tests run once, beside the Node runs (each Node test waits for it). */
let browser: Promise<{ code: number | null; output: string }>;
beforeAll(async () => {
  await Promise.all([rm(BROWSER_OUT, { force: true }), rm(BROWSER_READ_OUT, { force: true })]);
  browser = browserRun();
});
// A filtered run (-t) may not wait for it: stop it rather than leave it running.
afterAll(async () => {
  if (browserChild && browserChild.exitCode === null && browserChild.signalCode === null) browserChild.kill();
  await browser;
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

it('Node runs the itk-wasm ops and writes the same NRRD, MetaImage, STL and VTK files as Chromium', { timeout: 600_000 }, async () => {
  const dir = await scratch({
    format: 'voxpool-workflow',
    version: 1,
    name: 'itk-parity',
    tasks: [
      { id: 'read', op: 'volume.read', inputs: { files: [{ file: ITK_INPUT }] } },
      { id: 'down', op: 'volume.downsample', params: DOWNSAMPLE, inputs: { volume: { task: 'read' } } },
      { id: 'bin', op: 'volume.downsample', params: BIN, inputs: { volume: { task: 'read' } } },
      { id: 'resample', op: 'volume.resample', params: RESAMPLE, inputs: { volume: { task: 'read' } } },
      { id: 'surface', op: 'volume.isosurface', params: { isovalue: ISOVALUE }, inputs: { volume: { task: 'resample' } } },
      write('write-down', 'down', 'nrrd', 'down.nrrd'),
      write('write-bin', 'bin', 'nrrd', 'bin.nrrd'),
      write('write-mha', 'resample', 'mha', 'resampled.mha'),
      write('write-nrrd', 'resample', 'nrrd', 'resampled.nrrd'),
      { id: 'stl', op: 'mesh.write', params: { format: 'stl' }, inputs: { mesh: { task: 'surface' } }, outputs: { bytes: 'out/surface.stl' } },
      { id: 'vtk', op: 'mesh.write', params: { format: 'vtk' }, inputs: { mesh: { task: 'surface' } }, outputs: { bytes: 'out/surface.vtk' } },
    ],
  });
  await writeFile(join(dir, ITK_INPUT), phantomNrrd());
  const tempBefore = new Set(await itkTempFolders());
  const node = await voxpoolDone(['run', 'workflow.json', '--workers', '2'], dir);
  expect(node.stderr).toBe('');
  expect(node.code, node.stdout).toBe(0);
  // Every temporary folder the itk ops made is gone.
  expect((await itkTempFolders()).filter((n) => !tempBefore.has(n))).toEqual([]);

  const files = Object.fromEntries(await Promise.all(ITK_OUTPUTS.map(async (name) => [name, await readFile(join(dir, 'out', name))] as const)));
  // What ITK computed, from the headers it wrote: half the voxels and twice the spacing, the bin
  // shrink's grid, and 1.5 mm voxels covering the input's extent (80, 72, 62.4 mm).
  const text = (name: string) => files[name]!.subarray(0, 400).toString('latin1');
  expect(text('down.nrrd')).toMatch(/^sizes: 40 36 24$/m);
  expect(text('bin.nrrd')).toMatch(/^sizes: 40 36 48$/m);
  expect(text('resampled.nrrd')).toMatch(/^sizes: 53 48 42$/m);
  expect(text('resampled.mha')).toMatch(/^DimSize = 53 48 42$/m);
  expect(text('surface.vtk')).toMatch(/POLYDATA/);
  // A binary STL: 80-byte header, a count, 50 bytes per triangle.
  const stl = files['surface.stl']!;
  const triangles = stl.readUInt32LE(80);
  expect(triangles).toBeGreaterThan(1000);
  expect(stl.byteLength).toBe(84 + 50 * triangles);

  const nodeHashes = Object.fromEntries(ITK_OUTPUTS.map((name) => [name, sha256(files[name]!)]));
  const fromChromium = await browser;
  expect(fromChromium.code, fromChromium.output).toBe(0);
  const fromBrowser = await readJson<Record<string, string>>(BROWSER_OUT);
  expect(fromBrowser).toEqual(nodeHashes);
});

it('Node reads DICOM (a file and a series) and a VTK mesh, and registers with elastix, as Chromium does', { timeout: 600_000 }, async () => {
  const corpus = resolve('test/data/corpus');
  const series = DICOM_SERIES.map((f) => `dicom/${f.split('/').pop()}`);
  const dir = await scratch({
    format: 'voxpool-workflow',
    version: 1,
    name: 'itk-read-parity',
    tasks: [
      { id: 'read', op: 'volume.read', inputs: { files: [{ file: ITK_INPUT }] } },
      { id: 'resample', op: 'volume.resample', params: RESAMPLE, inputs: { volume: { task: 'read' } } },
      { id: 'ct', op: 'volume.read', inputs: { files: [{ file: 'dicom/CT_small.dcm' }] } },
      { id: 'series', op: 'volume.read', inputs: { files: series.map((file) => ({ file })) } },
      {
        id: 'register',
        op: 'volume.register',
        params: REGISTER,
        inputs: { fixed: { task: 'read' }, moving: { task: 'resample' } },
        outputs: { transforms: 'out/transforms.json' },
      },
      { id: 'surface', op: 'volume.isosurface', params: { isovalue: ISOVALUE }, inputs: { volume: { task: 'resample' } } },
      { id: 'vtk', op: 'mesh.write', params: { format: 'vtk' }, inputs: { mesh: { task: 'surface' } }, outputs: { bytes: 'mesh/surface.vtk' } },
      write('write-ct', 'ct', 'nii', 'ct.nii'),
      write('write-series', 'series', 'nii', 'series.nii'),
      {
        id: 'write-registered',
        op: 'volume.write',
        params: { format: 'nii' },
        inputs: { volume: { task: 'register', path: ['volume'] } },
        outputs: { bytes: 'out/registered.nii' },
      },
    ],
  });
  await writeFile(join(dir, ITK_INPUT), phantomNrrd());
  await mkdir(join(dir, 'dicom'));
  await copyFile(join(corpus, DICOM_FILE), join(dir, 'dicom/CT_small.dcm'));
  await Promise.all(DICOM_SERIES.map((f, i) => copyFile(join(corpus, f), join(dir, series[i]!))));
  const first = await voxpoolDone(['run', 'workflow.json', '--workers', '2'], dir);
  expect(first.stderr).toBe('');
  expect(first.code, first.stdout).toBe(0);
  // The mesh the first run wrote, read back by ITK's VTK PolyData reader and written as STL.
  await writeFile(
    join(dir, 'reread.json'),
    JSON.stringify({
      format: 'voxpool-workflow',
      version: 1,
      name: 'itk-mesh-read',
      tasks: [
        { id: 'mesh', op: 'mesh.read', inputs: { file: { file: 'mesh/surface.vtk' } } },
        { id: 'stl', op: 'mesh.write', params: { format: 'stl' }, inputs: { mesh: { task: 'mesh' } }, outputs: { bytes: 'out/reread.stl' } },
      ],
    }),
  );
  const second = await voxpoolDone(['run', 'reread.json', '--workers', '1'], dir);
  expect(second.stderr).toBe('');
  expect(second.code, second.stdout).toBe(0);

  const files = Object.fromEntries(await Promise.all(ITK_READ_OUTPUTS.map(async (name) => [name, await readFile(join(dir, 'out', name))] as const)));
  const [translation] = JSON.parse(files['transforms.json']!.toString('utf8')) as { parameterization: string; parameters: number[] }[];
  expect(translation!.parameterization).toBe('Translation');
  // The resampled copy lies in the same place: elastix finds (nearly) no shift.
  for (const p of translation!.parameters) expect(Math.abs(p)).toBeLessThan(0.5);
  const nodeHashes = Object.fromEntries(ITK_READ_OUTPUTS.map((name) => [name, sha256(files[name]!)]));
  const fromChromium = await browser;
  expect(fromChromium.code, fromChromium.output).toBe(0);
  expect(await readJson<Record<string, string>>(BROWSER_READ_OUT)).toEqual(nodeHashes);
});

it('a damaged NRRD fails its read in Node with the file named and in words, and leaves no temporary folder', async () => {
  const dir = await scratch({
    format: 'voxpool-workflow',
    version: 1,
    name: 'itk-damaged',
    tasks: [{ id: 'read', op: 'volume.read', inputs: { files: [{ file: 'cut.nrrd' }] } }, write('write', 'read', 'nrrd', 'never.nrrd')],
  });
  // The header of a 80 x 72 x 48 int16 volume and a tenth of its voxels.
  const whole = phantomNrrd();
  await writeFile(join(dir, 'cut.nrrd'), whole.subarray(0, Math.round(whole.length / 10)));
  const before = new Set(await itkTempFolders());
  const run = await voxpoolDone(['run', 'workflow.json', '--workers', '1'], dir);
  expect(run.code, run.stdout).toBe(1);
  expect(run.stdout).toMatch(/^read: failed: cut\.nrrd: ITK could not read it/m);
  expect(run.stdout).toMatch(/^write: skipped/m);
  expect((await itkTempFolders()).filter((n) => !before.has(n))).toEqual([]);
});
