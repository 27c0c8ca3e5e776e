import { afterEach, describe, expect, it } from 'vitest';
import { InputError, TaskEvent, type Pool } from '../../src/index.ts';
import { openGate, testPool, until, type TestOps } from '../fixtures/pool.ts';

let pool: Pool<TestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

const MiB = 2 ** 20;

describe('memory admission', () => {
  it('runs only as many tasks at once as the memory budget allows, in order', async () => {
    pool = testPool({ size: 4, memoryBudget: 250 * MiB });
    await pool.warm(); // four idle workers: only the budget holds tasks back
    let running = 0;
    let peak = 0;
    pool.addEventListener('task', (e: TaskEvent) => {
      if (e.change === 'running') peak = Math.max(peak, ++running);
      if (e.change === 'done') running--;
    });
    // Five "filters of a big volume", 100 MiB each by their callers' estimate: two fit at once.
    const all = Promise.all(Array.from({ length: 5 }, (_, i) => pool!.run('fixture.gate', { gate: 'budget' }, { memory: 100 * MiB, label: `filter ${i}` })));
    await until(() => pool!.stats().running === 2, 20_000, 'two running');
    await new Promise((r) => setTimeout(r, 300));
    expect(pool.stats()).toMatchObject({ running: 2, queued: 3 });
    await openGate('budget', all);
    expect(await all).toEqual(Array(5).fill('budget'));
    expect(peak).toBe(2);
    expect(pool.stats().memoryInUse).toBe(0);
  });

  it('a task bigger than the whole budget still runs, alone', async () => {
    pool = testPool({ size: 2, memoryBudget: 50 * MiB });
    expect(await pool.run('test.echo', 'big', { memory: 80 * MiB })).toBe('big');
  });

  it('refuses before sending a task too big for one worker, naming what is wrong', async () => {
    pool = testPool({ size: 1 });
    const volume = new Int16Array(1024);
    const e = await pool.run('test.echo', { volume }, { memory: 5 * 2 ** 30 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/test\.echo would need about 5\.00 GiB .* more than one worker can hold \(3\.75 GiB\)/);
    expect(pool.workers()).toHaveLength(0); // nothing was sent, no worker started for it
    // The default estimate (3 x input bytes) applies when the caller gives none.
    const tight = testPool({ size: 1, maxTaskMemory: 10_000 });
    const kept = new Uint8Array(4_000);
    const e2 = await tight.run('test.echo', kept).catch((x: unknown) => x);
    expect(e2).toBeInstanceOf(InputError);
    expect(kept.byteLength).toBe(4_000); // refused before anything moved: the caller keeps its data
    expect(await tight.run('test.echo', new Uint8Array(3_000)).then((v) => (v as Uint8Array).length)).toBe(3_000);
    await tight.terminate();
  });
});
