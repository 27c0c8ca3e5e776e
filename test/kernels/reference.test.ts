import { describe, expect, it } from 'vitest';
import { gaussianVtkReference } from './reference/gaussian.ts';

describe('gaussianVtkReference (vtkImageGaussianSmooth semantics)', () => {
  it('radius factor 0 is a copy', () => {
    const data = Int16Array.from({ length: 5 * 4 * 3 }, (_, n) => (n * 37) % 101);
    expect(gaussianVtkReference(data, [5, 4, 3], 2, 0)).toEqual(data);
  });

  it('keeps a constant, edges included (the clipped kernel is renormalised)', () => {
    const data = new Float32Array(7 * 6 * 5).fill(100);
    const out = gaussianVtkReference(data, [7, 6, 5], 2, 3);
    for (const x of out) expect(x).toBeCloseTo(100, 4);
  });

  it('spreads a float impulse with the expected weights and truncates integer passes', () => {
    const f = new Float64Array(9);
    f[4] = 1;
    const out = gaussianVtkReference(f, [9, 1, 1], 1, 2);
    const w = [-2, -1, 0, 1, 2].map((x) => Math.exp(-(x * x) / 2));
    const sum = w.reduce((a, b) => a + b);
    expect(out[4]).toBeCloseTo(w[2]! / sum, 12);
    expect(out[6]).toBeCloseTo(w[4]! / sum, 12);
    expect(out[7]).toBe(0);
    const i = new Int16Array(9);
    i[4] = 10;
    // 10 * 0.0545 = 0.545 truncates to 0, not rounds to 1.
    expect(Array.from(gaussianVtkReference(i, [9, 1, 1], 1, 2))).toEqual([0, 0, 0, 2, 4, 2, 0, 0, 0]);
  });
});
