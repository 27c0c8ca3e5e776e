import { describe, expect, it } from 'vitest';
import { meanTaps, taskWork } from '../../src/parallel/work.ts';
import { noisyVolume } from './support.ts';

describe('taskWork', () => {
  it('counts the taps a clipped kernel reads along a line', () => {
    // Radius 40 on the demo head's 130 slices: 81 taps inside, fewer within 40 of either end.
    let sum = 0;
    for (let k = 0; k < 130; k++) sum += Math.min(k, 40) + Math.min(129 - k, 40) + 1;
    expect(meanTaps(130, 40)).toBeCloseTo(sum / 130, 12);
    expect(meanTaps(10, 0)).toBe(1);
    expect(meanTaps(3, 50)).toBe(3); // every voxel of the line
  });

  it("weighs a volume op's task by output voxels and taps; null for what it cannot weigh", () => {
    const volume = noisyVolume([32, 16, 8], 'int16', 1);
    const whole = taskWork('volume.gaussianVtk', { volume, std: 2, radiusFactor: 1 })!;
    expect(whole).toBeCloseTo(32 * 16 * 8 * (1 + meanTaps(32, 2) + meanTaps(16, 2) + meanTaps(8, 2)), 6);
    // A slab that computes only its own slices weighs those.
    const slab = taskWork('volume.gaussianVtk', { volume, std: 2, radiusFactor: 1, outputSlices: [2, 6] })!;
    expect(slab).toBeCloseTo(whole / 2, 6);
    expect(taskWork('volume.gaussianVtk', { volume, std: 2, radiusFactor: 3 })!).toBeGreaterThan(whole);
    expect(taskWork('volume.median', { volume })).toBeGreaterThan(0);
    expect(taskWork('test.echo', { volume })).toBeNull();
    expect(taskWork('volume.gaussianVtk', { volume, std: -1, radiusFactor: 1 })).toBeNull();
    expect(taskWork('volume.gaussianVtk', 5)).toBeNull();
    expect(taskWork('volume.gaussianVtk', { volume: { dimensions: [0, 1, 1] }, radiusFactor: 1 })).toBeNull();
  });
});
