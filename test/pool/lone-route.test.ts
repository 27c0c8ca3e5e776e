import { describe, expect, it } from 'vitest';
import { LoneRoute, type LoneWay } from '../../src/pool/lone-route.ts';

/** Feeds `route` `calls` lone tasks whose overhead each way is `cost[way]` ms; returns the ways taken. */
function drive(route: LoneRoute, calls: number, cost: Record<LoneWay, number>): LoneWay[] {
  const ways: LoneWay[] = [];
  for (let i = 0; i < calls; i++) {
    const way = route.choose();
    ways.push(way);
    route.record(way, cost[way]);
  }
  return ways;
}

describe('LoneRoute', () => {
  it('tries both ways, then sends nearly every lone task the way that answered sooner', () => {
    const route = new LoneRoute();
    const warm = drive(route, 16, { last: 0.05, next: 0.08 });
    expect(warm.filter((w) => w === 'last')).toHaveLength(8);
    const ways = drive(route, 160, { last: 0.05, next: 0.08 });
    // One in 16 still goes the other way, to keep its figure current.
    expect(ways.filter((w) => w === 'next')).toHaveLength(10);
    expect(route.stats()).toMatchObject({ way: 'last', lastSamples: 8 + 150, nextSamples: 8 + 10 });
    expect(route.stats().lastMs).toBeCloseTo(0.05, 9);
    expect(route.stats().nextMs).toBeCloseTo(0.08, 9);
  });

  it('turns when the machine does', () => {
    const route = new LoneRoute();
    drive(route, 200, { last: 0.05, next: 0.08 });
    expect(route.stats().way).toBe('last');
    // Idle vCPUs start halting: the worker just used now answers slower. The explored calls see it.
    drive(route, 400, { last: 0.12, next: 0.08 });
    expect(route.stats().way).toBe('next');
    const ways = drive(route, 160, { last: 0.12, next: 0.08 });
    expect(ways.filter((w) => w === 'last')).toHaveLength(10);
  });

  it('is not turned by the host slowing both ways down', () => {
    const route = new LoneRoute();
    drive(route, 200, { last: 0.05, next: 0.06 });
    expect(route.stats().way).toBe('last');
    // Another session loads the host: both ways take twice as long. The taken way's average
    // follows at once; the other's is seen only on the explored calls, and must not be taken for
    // faster meanwhile.
    const ways = drive(route, 400, { last: 0.1, next: 0.12 });
    expect(ways.filter((w) => w === 'next')).toHaveLength(25);
    expect(route.stats().way).toBe('last');
  });

  it('does not trade places between two ways within 5% of each other', () => {
    const route = new LoneRoute();
    drive(route, 16, { last: 0.05, next: 0.05 });
    // Alternating noise of ±2% around equal costs: the way first taken stays, bar the explores.
    const ways: LoneWay[] = [];
    for (let i = 0; i < 320; i++) {
      const way = route.choose();
      ways.push(way);
      route.record(way, 0.05 * (i % 2 === 0 ? 1.02 : 0.98));
    }
    const taken = route.stats().way;
    expect(ways.filter((w) => w !== taken)).toHaveLength(20);
  });

  it('is not turned by one spike', () => {
    const route = new LoneRoute();
    drive(route, 200, { last: 0.05, next: 0.08 });
    // A 20 ms stall (a GC, a load spike) on one call counts as at most three times the average.
    route.record('last', 20);
    expect(route.stats().lastMs!).toBeLessThan(0.08);
    expect(route.stats().way).toBe('last');
  });

  it('goes one way only when told, whatever it measures', () => {
    for (const way of ['last', 'next'] as const) {
      const route = new LoneRoute(way);
      const other = way === 'last' ? 'next' : 'last';
      expect(new Set(drive(route, 50, { [way]: 1, [other]: 0.01 } as Record<LoneWay, number>))).toEqual(new Set([way]));
      expect(route.stats()).toMatchObject({ way, lastMs: null, nextMs: null });
    }
  });

  it('ignores samples that are not times', () => {
    const route = new LoneRoute();
    route.record('last', NaN);
    route.record('last', -1);
    route.record('next', Infinity);
    expect(route.stats()).toMatchObject({ lastSamples: 0, nextSamples: 0, lastMs: null });
  });
});
