/**
 * Window/level and volume-rendering presets. CT presets are in Hounsfield units (the usual
 * radiology windows: soft tissue W 400 L 40, bone W 1800 L 400); MR has no absolute scale, so its
 * presets come from the volume's own intensity percentiles.
 */
import type { PixelArray } from '../data/volume.ts';

export interface WindowLevel {
  window: number;
  level: number;
}

export interface Intensities {
  min: number;
  max: number;
  /** Value below which p% of the voxels lie, for p = 0..100. */
  percentile(p: number): number;
}

/** Min, max and percentiles of a volume's voxels, from a histogram of at most ~1M samples. */
export function intensities(data: PixelArray, components = 1): Intensities {
  let min = Infinity;
  let max = -Infinity;
  const n = data.length / components;
  const stride = Math.max(1, Math.floor(n / 1_000_000));
  for (let i = 0; i < n; i += stride) {
    const v = data[i * components]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max)) [min, max] = [0, 1];
  const bins = new Float64Array(2048);
  const width = (max - min) / bins.length || 1;
  let count = 0;
  for (let i = 0; i < n; i += stride) {
    bins[Math.min(bins.length - 1, Math.floor((data[i * components]! - min) / width))]!++;
    count++;
  }
  return {
    min,
    max,
    percentile(p: number): number {
      const target = (p / 100) * count;
      let seen = 0;
      for (let b = 0; b < bins.length; b++) {
        seen += bins[b]!;
        if (seen >= target) return min + (b + 1) * width;
      }
      return max;
    },
  };
}

export type WindowPreset = 'full' | 'brain-mr' | 'ct-soft' | 'ct-bone';

export const WINDOW_PRESETS: { id: WindowPreset; label: string }[] = [
  { id: 'full', label: 'Full range' },
  { id: 'brain-mr', label: 'Brain MR' },
  { id: 'ct-soft', label: 'CT soft tissue (W 400 L 40)' },
  { id: 'ct-bone', label: 'CT bone (W 1800 L 400)' },
];

export function windowPreset(id: WindowPreset, range: Intensities): WindowLevel {
  switch (id) {
    case 'ct-soft':
      return { window: 400, level: 40 };
    case 'ct-bone':
      return { window: 1800, level: 400 };
    case 'brain-mr': {
      // The 1st to the 99.5th percentile: the brightest outliers (vessels, fat) no longer squeeze
      // grey and white matter into a few greys, and a crop without air keeps its darker tissue.
      const lo = range.percentile(1);
      const hi = range.percentile(99.5);
      return { window: Math.max(hi - lo, 1e-6), level: (hi + lo) / 2 };
    }
    default:
      return { window: Math.max(range.max - range.min, 1e-6), level: (range.max + range.min) / 2 };
  }
}

/** The grey (0-255) a value shows at under a window/level: linear in the window, clamped outside. */
export function greyOf(value: number, { window, level }: WindowLevel): number {
  const t = (value - (level - window / 2)) / window;
  return Math.round(255 * Math.min(1, Math.max(0, t)));
}

/** A transfer function as points: (value, r, g, b) and (value, opacity). */
export interface TransferFunction {
  colors: [number, number, number, number][];
  opacities: [number, number][];
}

export type RenderPreset = 'mr-tissue' | 'ct-bone' | 'ct-soft' | 'mip-like';

export const RENDER_PRESETS: { id: RenderPreset; label: string }[] = [
  { id: 'mr-tissue', label: 'MR tissue' },
  { id: 'ct-soft', label: 'CT soft tissue' },
  { id: 'ct-bone', label: 'CT bone' },
  { id: 'mip-like', label: 'Bright structures' },
];

export function renderPreset(id: RenderPreset, range: Intensities): TransferFunction {
  const at = (p: number): number => range.percentile(p);
  switch (id) {
    case 'ct-bone':
      return {
        colors: [
          [-1000, 0, 0, 0],
          [150, 0.55, 0.25, 0.15],
          [300, 0.9, 0.82, 0.66],
          [1500, 1, 1, 0.95],
        ],
        opacities: [
          [150, 0],
          [300, 0.35],
          [1500, 0.85],
        ],
      };
    case 'ct-soft':
      return {
        colors: [
          [-1000, 0, 0, 0],
          [-100, 0.55, 0.35, 0.25],
          [60, 0.85, 0.45, 0.35],
          [300, 1, 0.95, 0.85],
        ],
        opacities: [
          [-150, 0],
          [-50, 0.05],
          [60, 0.25],
          [300, 0.6],
        ],
      };
    case 'mip-like': {
      const lo = at(90);
      const hi = range.max;
      return {
        colors: [
          [lo, 0.2, 0.3, 0.8],
          [hi, 1, 1, 1],
        ],
        opacities: [
          [lo, 0],
          [hi, 0.9],
        ],
      };
    }
    default: {
      // Background transparent, skin faint, brain and brighter tissue opaque enough to read.
      const bg = at(20);
      const mid = at(60);
      const hi = at(99);
      return {
        colors: [
          [range.min, 0, 0, 0],
          [bg, 0.45, 0.3, 0.25],
          [mid, 0.9, 0.75, 0.6],
          [hi, 1, 0.97, 0.92],
        ],
        opacities: [
          [bg, 0],
          [mid, 0.08],
          [hi, 0.5],
        ],
      };
    }
  }
}

/** Colours for label values 1, 2, ... (0 stays transparent), distinct on grey. */
export const LABEL_COLORS: [number, number, number][] = [
  [0.9, 0.3, 0.25],
  [0.3, 0.75, 0.35],
  [0.25, 0.5, 0.95],
  [0.95, 0.8, 0.2],
  [0.7, 0.35, 0.85],
  [0.2, 0.8, 0.8],
  [0.95, 0.55, 0.2],
  [0.6, 0.9, 0.3],
];
