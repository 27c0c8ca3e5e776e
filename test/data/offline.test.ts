/**
 * Nothing leaves the origin while files are read and written: the worker's own resource
 * timeline (the page's cannot see a worker's fetches) lists every request it made.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assetBase, Pool } from '../../src/index.ts';
import type { Volume } from '../../src/data/volume.ts';
import type { ioTestOps } from './io.worker.ts';

let pool: Pool<typeof ioTestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

function ioPool(base: string): Pool<typeof ioTestOps> {
  return new Pool<typeof ioTestOps>({
    size: 1,
    worker: () => new Worker(new URL('./io.worker.ts', import.meta.url), { type: 'module' }),
    resources: { assetBase: () => base },
  });
}

const volume = (): Volume => ({ name: 'v', data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), dimensions: [2, 2, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], components: 1 });
const mesh = () => ({ name: 'm', points: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]), polys: new Uint32Array([3, 0, 1, 2]) });

describe('file IO stays on this origin', () => {
  it('fetches every pipeline from the staged assets, and nothing from elsewhere', async () => {
    pool = ioPool(assetBase);
    for (const format of ['nii.gz', 'nrrd', 'mha'] as const) {
      const file = await pool.run('volume.write', { volume: volume(), format });
      expect((await pool.run('volume.read', { files: [file] })).data).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    }
    const stl = await pool.run('mesh.write', { mesh: mesh(), format: 'stl' });
    await pool.run('mesh.read', { file: stl });
    const fetched = await pool.run('data.fetched', null);
    const pipelines = fetched.filter((url) => url.startsWith(new URL('itk/', assetBase).href));
    // A .js glue module and a .wasm.zst binary per pipeline: nrrd and meta (read, write) and stl
    // (write only). NIfTI is read and written by our own code (src/data/nifti-read.ts and
    // nifti-write.ts), STL read by our own parser (stl.ts).
    expect(pipelines.filter((u) => u.endsWith('.wasm.zst')).length).toBe(5);
    expect(pipelines.filter((u) => u.endsWith('.js')).length).toBe(5);
    expect(pipelines.some((u) => /nifti-read-image|nifti-write-image|stl-read-mesh/.test(u))).toBe(false);
    for (const url of fetched) expect(new URL(url).origin, url).toBe(location.origin);
  });

  it('takes its pipelines from the base it is given (a subpath), not from the origin root', async () => {
    // The dev server serves the staged pipelines under any path ending in itk/<package>/, as a
    // site deployed at a subpath would have them.
    const base = new URL('deployed/at/a/subpath/', assetBase).href;
    pool = ioPool(base);
    const file = await pool.run('volume.write', { volume: volume(), format: 'nrrd' });
    expect(file.name).toBe('v.nrrd');
    const fetched = await pool.run('data.fetched', null);
    expect(fetched.some((u) => u.startsWith(`${base}itk/image-io/nrrd-write-image`))).toBe(true);
    for (const url of fetched) expect(new URL(url).origin).toBe(location.origin);
  });
});
