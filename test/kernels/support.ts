/** What the kernel tests share: the pixel types, a volume of unit geometry, each type's extremes, and a voxel-exact comparison. */
import { PIXEL_ARRAYS, type PixelArray, type PixelType, type Vec3, type Volume } from '../../src/data/volume.ts';

export const TYPES = Object.keys(PIXEL_ARRAYS) as PixelType[];

/** A volume of unit spacing at the origin: these tests check voxels, not geometry. */
export function volumeOf(data: PixelArray, dimensions: Vec3, name = 'kernel test'): Volume {
  return { name, data, dimensions, spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], components: 1 };
}

/** The lowest and highest values of the type, two just inside them, and one in the middle. */
export function extremes(type: PixelType): number[] {
  if (type === 'float32') return [-Infinity, Infinity, -3.4028234663852886e38, 3.4028234663852886e38, 1.5];
  if (type === 'float64') return [-Infinity, Infinity, -Number.MAX_VALUE, Number.MAX_VALUE, 1.5];
  const bits = PIXEL_ARRAYS[type].BYTES_PER_ELEMENT * 8;
  const [lo, hi] = type.startsWith('int') ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
  return [lo, hi, lo + 1, hi - 1, Math.floor((lo + hi) / 2)];
}

/** Index of the first voxel where the arrays differ (Object.is: -0 and NaN count), or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/**
 * n voxels of `type` from one seeded linear congruential sequence: `value(s, r)` maps each state
 * s (an unsigned 32-bit integer; an integer store wraps it, which covers the type's whole range)
 * and r = s / 2^32 in [0, 1) to a voxel.
 */
export function seededVoxels(type: PixelType, n: number, seed: number, value: (s: number, r: number) => number): PixelArray {
  const out = new PIXEL_ARRAYS[type](n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = value(s, s / 2 ** 32);
  }
  return out;
}
