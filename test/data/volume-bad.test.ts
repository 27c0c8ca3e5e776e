/** Bad volume files made in code (hand-written headers, cut bytes): each refused by name, the pool going on. */
import { afterEach, describe, expect, it } from 'vitest';
import { createPool, InputError, type BuiltinOps, type Pool } from '../../src/index.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

/** A raw little-endian NRRD file with the given header fields and payload. */
function nrrd(fields: Record<string, string>, payload: ArrayBufferView): Uint8Array {
  const header = ['NRRD0004', ...Object.entries({ encoding: 'raw', endian: 'little', ...fields }).map(([k, v]) => `${k}: ${v}`), '', ''].join('\n');
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(head.length + payload.byteLength);
  out.set(head);
  out.set(new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), head.length);
  return out;
}

async function refusal(files: { name: string; bytes: Uint8Array }[]): Promise<InputError> {
  const e = await pool!.run('volume.read', { files }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe('volume.read refuses bad files by name', () => {
  it('reads a hand-written NRRD (so the refusals below are about what is wrong, not the format)', async () => {
    pool = createPool({ size: 1 });
    const v = await pool.run('volume.read', { files: [{ name: 'ok.nrrd', bytes: nrrd({ type: 'float', dimension: '3', sizes: '2 2 2' }, new Float32Array([1, 2, 3, 4, 5, 6, 7, 8])) }] });
    expect([...v.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(v.dimensions).toEqual([2, 2, 2]);
  });

  // Issue 11: NaN and Inf are data (masked-out voxels, failed fits) and are kept as the file has
  // them, as nibabel and ITK's NRRD reader do; the ops that cannot take NaN refuse it themselves.
  it('NaN and Inf voxels are kept as they are', async () => {
    pool = createPool({ size: 1 });
    const data = new Float32Array(8);
    data[5] = Number.NaN;
    data[6] = Number.NEGATIVE_INFINITY;
    const v = await pool.run('volume.read', { files: [{ name: 'nan.nrrd', bytes: nrrd({ type: 'float', dimension: '3', sizes: '2 2 2' }, data) }] });
    expect(Number.isNaN(v.data[5])).toBe(true);
    expect(v.data[6]).toBe(Number.NEGATIVE_INFINITY);
    expect([...v.data].filter((x) => x === 0)).toHaveLength(6);
    const e = await pool.run('volume.median', { volume: v }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/has NaN voxels \(the first at i, j, k = 1, 0, 1\)/);
  });

  it('zero and absurd dimensions (NRRD and NIfTI headers), before anything is allocated', async () => {
    pool = createPool({ size: 1 });
    const zero = await refusal([{ name: 'zero.nrrd', bytes: nrrd({ type: 'uchar', dimension: '3', sizes: '4 0 2' }, new Uint8Array(0)) }]);
    expect(zero.problem).toMatch(/zero or negative dimension/);
    const huge = await refusal([{ name: 'huge.nrrd', bytes: nrrd({ type: 'uchar', dimension: '3', sizes: '100000 100000 100000' }, new Uint8Array(16)) }]);
    expect(huge.problem).toMatch(/absurd dimensions/);
    // A real NIfTI file whose header is edited to claim 30000^3 voxels.
    const good = await pool.run('volume.write', { volume: { name: 'g', data: new Int16Array(8), dimensions: [2, 2, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], components: 1 }, format: 'nii' });
    const view = new DataView(good.bytes.buffer, good.bytes.byteOffset);
    for (let i = 0; i < 3; i++) view.setInt16(42 + 2 * i, 30_000, true);
    const nii = await refusal([{ name: 'huge.nii', bytes: good.bytes }]);
    expect(nii.problem).toMatch(/absurd dimensions in its header \(30000 x 30000 x 30000\)/);
    const ok = await pool.run('volume.read', { files: [{ name: 'small.nrrd', bytes: nrrd({ type: 'short', dimension: '3', sizes: '1 1 2' }, new Int16Array([5, -5])) }] });
    expect([...ok.data]).toEqual([5, -5]);
  });

  it('an unsupported pixel type (64-bit integers)', async () => {
    pool = createPool({ size: 1 });
    const e = await refusal([{ name: 'long.nrrd', bytes: nrrd({ type: 'int64', dimension: '3', sizes: '2 1 1' }, new BigInt64Array([1n, 2n])) }]);
    expect(e.problem).toMatch(/64-bit integer voxels/);
  });

  it('a truncated payload, a wrong extension, bytes that are not gzip', async () => {
    pool = createPool({ size: 1 });
    const cut = nrrd({ type: 'float', dimension: '3', sizes: '4 4 4' }, new Float32Array(64)).slice(0, -100);
    expect((await refusal([{ name: 'cut.nrrd', bytes: cut }])).input).toBe('cut.nrrd');
    // Inputs move to the worker: each run gets its own bytes.
    const nrrdBytes = () => nrrd({ type: 'float', dimension: '3', sizes: '2 2 2' }, new Float32Array(8));
    // NRRD bytes named .nii: NIfTI's reader refuses them (no NIfTI magic).
    expect((await refusal([{ name: 'wrong.nii', bytes: nrrdBytes() }])).input).toBe('wrong.nii');
    expect((await refusal([{ name: 'plain.nii.gz', bytes: nrrdBytes() }])).problem).toMatch(/not gzip-compressed/);
    expect((await refusal([{ name: 'empty.mha', bytes: new Uint8Array(0) }])).problem).toMatch(/empty/);
  });

  it('volume.write refuses NaN voxels and a bad record', async () => {
    pool = createPool({ size: 1 });
    const base = { name: 'w', dimensions: [2, 1, 1] as [number, number, number], spacing: [1, 1, 1] as [number, number, number], origin: [0, 0, 0] as [number, number, number], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], components: 1 };
    const nan = await pool.run('volume.write', { volume: { ...base, data: new Float64Array([0, Number.NaN]) }, format: 'nrrd' }).catch((x: unknown) => x);
    expect(nan).toBeInstanceOf(InputError);
    expect((nan as Error).message).toMatch(/NaN voxels/);
    const short = await pool.run('volume.write', { volume: { ...base, data: new Float64Array(1) }, format: 'nrrd' }).catch((x: unknown) => x);
    expect((short as Error).message).toMatch(/has 1 values but 2 x 1 x 1 x 1 needs 2/);
  });
});
