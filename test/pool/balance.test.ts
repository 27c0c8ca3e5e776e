import { describe, expect, it } from 'vitest';
import { balanceShares, MIN_GAIN, waterLevel } from '../../src/pool/balance.ts';
import { RunTimes } from '../../src/pool/run-times.ts';

describe('balanceShares', () => {
  it('fills lanes busy for different times to one level', () => {
    expect(waterLevel([0, 0], 100)).toBe(50);
    expect(waterLevel([0, 50], 368)).toBe(209);
    // A lane busy past the level takes none of the work.
    expect(waterLevel([0, 10, 500], 30)).toBe(20);
    expect(waterLevel([7], 3)).toBe(10);
  });

  it("cuts the demo's rf 10 so both workers end together: most of it now, the rest after rf 20", () => {
    // The five smooths widest first on 2 workers (ms, measured): rf 15 ends at 325 while rf 20 runs
    // 50 ms more; behind rf 10 wait rf 5 and rf 0. Whole, rf 10 would end at 567, the rest at 501.
    const shares = balanceShares(242, [126, 0], [50])!;
    expect(shares).toHaveLength(2);
    expect(shares[0]).toBeCloseTo(209, 9);
    expect(shares[1]).toBeCloseTo(33, 9);
  });

  it('runs whole when it fits before the others end, when the gain is small, or when no one can help', () => {
    // At the start both are idle and the queue is long: rf 20 fits in the even share.
    expect(balanceShares(375, [325, 242, 126, 0], [0])).toBeNull();
    // A worker busy 92 ms more for a 100 ms task: the cut would save 4 ms, under MIN_GAIN.
    expect(balanceShares(100, [], [92])).toBeNull();
    expect(balanceShares(100, [], [100 - 2 * MIN_GAIN * 100 - 1])).not.toBeNull();
    // The other worker is taken longer than the task runs whole.
    expect(balanceShares(100, [], [1000])).toBeNull();
    // One worker: nothing to share with.
    expect(balanceShares(100, [], [])).toBeNull();
    expect(balanceShares(0, [], [0])).toBeNull();
  });

  it('gives the rest evenly to every other worker that frees up before the level', () => {
    const shares = balanceShares(300, [], [0, 0, 1000])!;
    // Three lanes share 300 ms at level 100; the one busy 1000 ms takes none.
    expect(shares).toEqual([100, 100, 100]);
  });
});

describe('RunTimes', () => {
  it("forecasts a task by its own earlier run, else by the op's rate per unit of work, else its typical time", () => {
    const times = new RunTimes();
    expect(times.forecast('op', 10)).toBeUndefined();
    times.record('op', 10, 50);
    expect(times.forecast('op', 10)).toBe(50);
    expect(times.forecast('op', 20)).toBe(100);
    expect(times.forecast('op', null)).toBe(50);
    times.record('op', 20, 80); // slower per unit at 10, faster at 20: each keeps its own
    expect(times.forecast('op', 10)).toBe(50);
    expect(times.forecast('op', 20)).toBe(80);
    // A run with no work (failed, cancelled) moves only the typical time.
    times.record('op', null, 1000);
    expect(times.forecast('op', 10)).toBe(50);
    expect(times.typicalOf('op')).toBeGreaterThan(80);
    expect(times.forecast('other', 10)).toBeUndefined();
  });

  it('takes a failed or cancelled run only as a lower bound: it may raise the typical time, never lower or set it', () => {
    const times = new RunTimes();
    // A long filter refusing bad input in 0.1 ms: still unknown, so never batched as short.
    for (let i = 0; i < 5; i++) times.record('filter', null, 0.1, false);
    expect(times.typicalOf('filter')).toBeUndefined();
    times.record('filter', null, 200);
    for (let i = 0; i < 5; i++) times.record('filter', null, 0.1, false);
    expect(times.typicalOf('filter')).toBe(200);
    // Cancelled after running long: it did take at least that.
    times.record('filter', null, 1000, false);
    expect(times.typicalOf('filter')!).toBeGreaterThan(200);
  });

  it('keeps a short op short through one stall, and takes a slowed one as slow within three runs', () => {
    const times = new RunTimes();
    for (let i = 0; i < 10; i++) times.record('noop', null, 0.01);
    // Its worker descheduled for 50 ms on a loaded machine: still well under the 2 ms of a short op.
    times.record('noop', null, 50);
    expect(times.typicalOf('noop')!).toBeLessThan(0.5);
    for (let i = 0; i < 3; i++) times.record('noop', null, 100);
    expect(times.typicalOf('noop')!).toBeGreaterThan(2);
  });
});
