/**
 * A copy of a volume for display only, its few hottest voxels clipped: a real scan often has a
 * handful of voxels far above the rest (the sample head MR: most tissue below 12,800, a few at
 * 30,393), and a rendering scaled to the full range then shows the whole head nearly transparent.
 * What is computed and saved is always the volume as read; only the view gets this copy.
 */
import type { Volume } from '../data/volume.ts';

/** The value below which `fraction` of the voxels lie (a 4096-bin histogram: one pass, no sort). */
export function percentile(data: ArrayLike<number>, fraction: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return lo;
  const bins = new Uint32Array(4096);
  const scale = (bins.length - 1) / (hi - lo);
  for (let i = 0; i < data.length; i++) bins[Math.floor((data[i]! - lo) * scale)]!++;
  const want = fraction * data.length;
  let seen = 0;
  for (let b = 0; b < bins.length; b++) {
    seen += bins[b]!;
    if (seen >= want) return lo + (b + 1) / scale;
  }
  return hi;
}

/** The volume itself when its range is not stretched by outliers, else a copy clipped at the 99.5th percentile. */
export function forDisplay(volume: Volume): Volume {
  const top = percentile(volume.data, 0.995);
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < volume.data.length; i++) {
    const v = volume.data[i]!;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  // Outliers stretch the range when the top half-percent spans more than the rest of it.
  if (!(max - top > top - min)) return volume;
  const data = volume.data.slice();
  for (let i = 0; i < data.length; i++) if (data[i]! > top) data[i] = top;
  return { ...volume, data };
}
