import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { checkMesh, checkVolume, firstNaN, refuseNaN } from '../../src/data/validate.ts';
import type { Volume } from '../../src/data/volume.ts';

function vol(over: Partial<Volume> = {}): Volume {
  return { name: 'v', data: new Uint8Array(24), dimensions: [4, 3, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], components: 1, ...over };
}

function refusal(f: () => void): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('not refused');
}

describe('checkVolume', () => {
  it('accepts a good volume', () => {
    expect(() => checkVolume(vol(), 'good.nii')).not.toThrow();
  });

  it('refuses each kind of bad volume, naming it', () => {
    const cases: [Partial<Volume>, RegExp][] = [
      [{ dimensions: [4, 0, 2], data: new Uint8Array(0) }, /zero or negative dimension/],
      [{ dimensions: [100_000, 100_000, 100_000] }, /absurd dimensions/],
      [{ dimensions: [4, 3.5, 2] }, /three whole numbers/],
      [{ data: new Uint8Array(23) }, /has 23 values but 4 x 3 x 2 x 1 needs 24/],
      [{ data: new BigInt64Array(24) as unknown as Uint8Array }, /unsupported pixel type \(BigInt64Array\)/],
      [{ spacing: [1, 0, 1] }, /spacing must be three finite numbers > 0/],
      [{ spacing: [1, Number.NaN, 1] }, /spacing/],
      [{ origin: [0, Infinity, 0] }, /origin/],
      [{ direction: [1, 0, 0, 1, 0, 0, 0, 0, 1] }, /not orthonormal/],
      [{ direction: [2, 0, 0, 0, 1, 0, 0, 0, 1] }, /not orthonormal/],
      [{ components: 0 }, /components/],
    ];
    for (const [over, message] of cases) {
      const e = refusal(() => checkVolume(vol(over), 'scan.nii'));
      expect(e.input).toBe('scan.nii (v)');
      expect(e.problem).toMatch(message);
    }
  });

  it('finds NaN voxels and says where', () => {
    const data = new Float32Array(24);
    expect(firstNaN(data)).toBe(-1);
    data[4 * 3 + 5] = Number.NaN; // i = 1, j = 1, k = 1
    expect(firstNaN(data)).toBe(17);
    const e = refusal(() => refuseNaN(vol({ data }), 'nan.nii'));
    expect(e.message).toBe('nan.nii: has NaN voxels (the first at i, j, k = 1, 1, 1)');
  });
});

describe('checkMesh', () => {
  const good = () => ({ name: 'm', points: new Float32Array(9), polys: new Uint32Array([3, 0, 1, 2]) });
  it('accepts a good mesh and refuses bad ones', () => {
    expect(() => checkMesh(good())).not.toThrow();
    expect(refusal(() => checkMesh({ ...good(), polys: new Uint32Array([3, 0, 1, 3]) })).problem).toMatch(/names point 3, but there are 3/);
    expect(refusal(() => checkMesh({ ...good(), polys: new Uint32Array([4, 0, 1, 2]) })).problem).toMatch(/runs past the end/);
    expect(refusal(() => checkMesh({ ...good(), points: new Float32Array([0, 0, Number.NaN, 0, 0, 0, 0, 0, 0]) })).problem).toMatch(/point 0 has a non-finite/);
    expect(refusal(() => checkMesh({ ...good(), points: new Float32Array(8) })).problem).toMatch(/xyz triples/);
  });
});
