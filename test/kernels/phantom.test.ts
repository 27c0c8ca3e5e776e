import { describe, expect, it } from 'vitest';
import { makeHeadPhantom } from '../../src/data/phantom.ts';

describe('makeHeadPhantom', () => {
  it('has MRHead geometry, an MR-like range, and tissue layers', () => {
    const v = makeHeadPhantom();
    expect(v.dimensions).toEqual([256, 256, 130]);
    expect(v.spacing).toEqual([1, 1, 1.3]);
    expect(v.data).toBeInstanceOf(Int16Array);
    expect(v.data.length).toBe(256 * 256 * 130);
    let min = Infinity;
    let max = -Infinity;
    for (const x of v.data) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1000);
    const at = (i: number, j: number, k: number): number => v.data[i + 256 * (j + 256 * k)]!;
    expect(at(2, 2, 2)).toBeLessThan(40); // air
    expect(at(128, 128, 65)).toBeGreaterThan(400); // brain, not air
    // Along the middle row from the edge inwards: air, scalp (bright), skull (dark), brain.
    const row = Array.from({ length: 128 }, (_, i) => at(i, 128, 65));
    const scalpAt = row.findIndex((x) => x > 450);
    expect(scalpAt).toBeGreaterThan(0);
    expect(Math.min(...row.slice(scalpAt, scalpAt + 12))).toBeLessThan(200);
  });

  it('is the same for the same seed and differs for another', () => {
    const a = makeHeadPhantom({ dimensions: [40, 30, 20] });
    const b = makeHeadPhantom({ dimensions: [40, 30, 20] });
    const c = makeHeadPhantom({ dimensions: [40, 30, 20], seed: 7 });
    expect(a.data).toEqual(b.data);
    expect(a.data).not.toEqual(c.data);
  });

  it("makes the default grid, MRHead's (its time is a benchmark figure, not a test)", () => {
    const v = makeHeadPhantom();
    expect(v.dimensions).toEqual([256, 256, 130]);
    expect(v.data.length).toBe(256 * 256 * 130);
  });
});

describe('the volume.phantom op', () => {
  it('makes the same volume in a worker, and refuses bad options by name while the pool goes on', async () => {
    const { createPool, InputError } = await import('../../src/index.ts');
    const pool = createPool({ size: 1 });
    try {
      const options = { dimensions: [24, 20, 10] as [number, number, number], spacing: [2, 2, 2.6] as [number, number, number], seed: 4 };
      const made = await pool.run('volume.phantom', options);
      const here = makeHeadPhantom(options);
      expect(made.dimensions).toEqual(here.dimensions);
      expect(made.origin).toEqual(here.origin);
      expect(Array.from(made.data)).toEqual(Array.from(here.data));
      const bad = [
        [{ dimensions: [0, 10, 10] }, 'input.dimensions'],
        [{ dimensions: [70000, 70000, 70000] }, 'input.dimensions'],
        [{ spacing: [1, Number.NaN, 1] }, 'input.spacing'],
        [{ noise: -1 }, 'input.noise'],
      ] as const;
      for (const [input, name] of bad) {
        const e = await pool.run('volume.phantom', input as never).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(InputError);
        expect((e as Error).message).toContain(name);
      }
      expect((await pool.run('volume.phantom', { dimensions: [4, 4, 4] })).data.length).toBe(64);
    } finally {
      await pool.terminate();
    }
  });
});
