import { describe, expect, it } from 'vitest';
import { cutSlabs, cutSlabsByShares, haloOverhead, planSlabs } from '../../src/parallel/slabs.ts';

describe('planSlabs', () => {
  it('cuts near-equal cores covering every slice once, halos clipped at the true edges', () => {
    const slabs = cutSlabs(10, 2, 3);
    expect(slabs.map((s) => [s.coreStart, s.coreEnd, s.inputStart, s.inputEnd])).toEqual([
      [0, 4, 0, 6],
      [4, 7, 2, 9],
      [7, 10, 5, 10],
    ]);
    expect(haloOverhead(slabs, 10)).toBeCloseTo((6 + 7 + 5) / 10 - 1, 12);
  });

  it('gives every worker a slab, adds slabs for balance only while halos stay cheap', () => {
    // The demo head: 130 slices on 2 workers.
    expect(planSlabs(130, 0, { workers: 2 })).toHaveLength(8); // no halo: 4 per worker
    expect(planSlabs(130, 1, { workers: 2 })).toHaveLength(4); // median 3x3x3: 6 halo slices, 4.6%
    expect(planSlabs(130, 10, { workers: 2 })).toHaveLength(2); // Gaussian rf 5: one slab per worker
    expect(planSlabs(130, 40, { workers: 2 })).toHaveLength(2); // rf 20: the halo is most of a slab
    expect(planSlabs(130, 1, { workers: 8 })).toHaveLength(8);
    expect(planSlabs(130, 1, { workers: 2, maxOverhead: 0.2 })).toHaveLength(8);
    for (const workers of [1, 2, 3, 5, 8]) {
      for (const halo of [0, 1, 3, 50]) {
        const plan = planSlabs(130, halo, { workers });
        expect(plan.length).toBeGreaterThanOrEqual(workers);
        expect(plan[0]!.coreStart).toBe(0);
        expect(plan.at(-1)!.coreEnd).toBe(130);
        plan.forEach((s, i) => i > 0 && expect(s.coreStart).toBe(plan[i - 1]!.coreEnd));
      }
    }
  });

  it('a volume thinner than the pool gets one-slice slabs; an explicit count is clamped to the depth', () => {
    expect(planSlabs(3, 5, { workers: 8 }).map((s) => s.coreEnd - s.coreStart)).toEqual([1, 1, 1]);
    expect(planSlabs(1, 5, { workers: 8 })).toHaveLength(1);
    expect(planSlabs(5, 0, { workers: 2, slabs: 99 })).toHaveLength(5);
    expect(planSlabs(5, 0, { workers: 2, slabs: 3 })).toHaveLength(3);
  });

  it("cuts cores in proportion to shares (the pool's balance plan), every slice once", () => {
    // The demo's rf 10 (halo 20) on 130 slices, 209 ms of it now and 33 for the worker busy 50 ms more.
    const slabs = planSlabs(130, 20, { workers: 2, shares: [209, 33] });
    expect(slabs.map((s) => [s.coreStart, s.coreEnd, s.inputStart, s.inputEnd])).toEqual([
      [0, 112, 0, 130],
      [112, 130, 92, 130],
    ]);
    for (const shares of [
      [1, 1, 1],
      [5, 1],
      [1, 1e-9, 1],
      [3, 2, 1, 0.5],
      [1, 0, 2],
    ]) {
      for (const depth of [1, 2, 3, 7, 130]) {
        const plan = cutSlabsByShares(depth, 3, shares);
        expect(plan[0]!.coreStart).toBe(0);
        expect(plan.at(-1)!.coreEnd).toBe(depth);
        plan.forEach((s, i) => {
          expect(s.coreEnd).toBeGreaterThan(s.coreStart);
          if (i > 0) expect(s.coreStart).toBe(plan[i - 1]!.coreEnd);
        });
        expect(plan.length).toBeLessThanOrEqual(Math.min(depth, shares.filter((x) => x > 0).length));
      }
    }
    // Shares that leave nothing to cut: one slab.
    expect(cutSlabsByShares(10, 2, [4])).toHaveLength(1);
    expect(cutSlabsByShares(10, 2, [0, 4])).toHaveLength(1);
  });
});
