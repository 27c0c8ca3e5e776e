/** The volume rendering's display copy: a few hot voxels clipped, the volume itself otherwise. */
import { describe, expect, it } from 'vitest';
import { forDisplay, percentile } from '../../src/ui/display-range.ts';
import type { Volume } from '../../src/data/volume.ts';

const volumeOf = (data: Int16Array): Volume => ({
  name: 'v',
  dimensions: [data.length, 1, 1],
  spacing: [1, 1, 1],
  origin: [0, 0, 0],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  components: 1,
  data,
});

describe('forDisplay', () => {
  it('clips a handful of outliers for the view and leaves the volume as read', () => {
    const data = new Int16Array(10_000).map((_, i) => i % 1000);
    data[5] = 30_000;
    data[6] = 29_000;
    const v = volumeOf(data);
    const shown = forDisplay(v);
    expect(shown).not.toBe(v);
    expect(Math.max(...shown.data)).toBeLessThan(1100);
    expect(v.data[5]).toBe(30_000);
    expect(percentile(data, 0.5)).toBeGreaterThan(480);
    expect(percentile(data, 0.5)).toBeLessThan(520);
  });

  it('hands back the volume itself when its range is not stretched', () => {
    const v = volumeOf(new Int16Array(10_000).map((_, i) => i % 1000));
    expect(forDisplay(v)).toBe(v);
  });
});
