/**
 * The Slicer volume demo's five smooths (vtkImageGaussianSmooth, radius factor 0, 5, 10, 15, 20,
 * std 2 voxels, on the head phantom) in the browser's pool, each written as NIfTI by the
 * built-in volume.write and hashed. test/node/parity.test.ts runs this file and compares the
 * hashes with the files Node's `voxpool run` writes for the same workflow: byte for byte.
 */
import { afterEach, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createPool, type BuiltinOps, type Pool } from '../../src/index.ts';

export const FACTORS = [0, 5, 10, 15, 20];
const OUT = 'test-results/parity/browser-smooths.json';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

it('smooths the head phantom five ways and hashes the NIfTI files', async () => {
  pool = createPool({ size: 2 });
  const p = pool;
  const head = await p.run('volume.phantom', {});
  const headFile = await p.run('volume.write', { volume: head, format: 'nii' }, { input: 'copy' });
  const files = await Promise.all(
    FACTORS.map(async (radiusFactor) => {
      const smooth = await p.run('volume.gaussianVtk', { volume: head, std: 2, radiusFactor }, { input: 'copy' });
      return (await p.run('volume.write', { volume: smooth, format: 'nii' })).bytes;
    }),
  );
  const hashes = Object.fromEntries(await Promise.all(FACTORS.map(async (rf, i) => [String(rf), await sha256(files[i]!)] as const)));
  // Radius factor 0 copies the input, 5 and 10 smooth differently; past 10 (5 standard deviations
  // and more) the weights added are below what int16 voxels resolve, so 10, 15 and 20 agree.
  expect(files[0]!.byteLength).toBe(headFile.bytes.byteLength);
  expect(new Set([hashes['0'], hashes['5'], hashes['10']]).size).toBe(3);
  await commands.writeFile(OUT, `${JSON.stringify({ phantom: await sha256(headFile.bytes), smooths: hashes }, null, 2)}\n`);
});
