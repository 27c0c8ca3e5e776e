import { afterEach, describe, expect, it } from 'vitest';
import { createPool, type Pool, type BuiltinOps } from '../../src/index.ts';

let pool: Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

describe('pool basics', () => {
  it('runs the seed mesh jitter in a worker, moving buffers both ways', async () => {
    pool = createPool({ size: 2 });
    const points = new Float32Array(3000).fill(1);
    const sent = points.buffer;
    const out = await pool.run('mesh.jitter', { points, amplitude: 5, seed: 7 });
    expect(sent.byteLength).toBe(0); // moved, not copied
    expect(out.points).toBeInstanceOf(Float32Array);
    expect(out.points.length).toBe(3000);
    let min = Infinity;
    let max = -Infinity;
    for (const v of out.points) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(1);
    expect(max).toBeLessThan(6);
    expect(max - min).toBeGreaterThan(4); // really jittered over [0, 5)
  });
});
