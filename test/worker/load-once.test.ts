import { describe, expect, it } from 'vitest';
import { loadOnce } from '../../src/worker/index.ts';

describe('loadOnce', () => {
  it('loads once for every caller, at once or later', async () => {
    let loads = 0;
    const engine = loadOnce(async () => ({ n: ++loads }));
    const [a, b] = await Promise.all([engine(), engine()]);
    expect(a).toBe(b);
    expect(await engine()).toBe(a);
    expect(loads).toBe(1);
  });

  it('does not keep a failed load: the next call tries again', async () => {
    let loads = 0;
    const engine = loadOnce(async () => {
      if (++loads === 1) throw new Error('asset missing');
      return loads;
    });
    await expect(engine()).rejects.toThrow('asset missing');
    expect(await engine()).toBe(2);
    expect(await engine()).toBe(2);
  });
});
