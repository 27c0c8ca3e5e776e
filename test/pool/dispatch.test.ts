import { afterEach, describe, expect, it } from 'vitest';
import { QueueFullError, TaskEvent, type Pool } from '../../src/index.ts';
import { openGate, testPool, until, type TestOps } from '../fixtures/pool.ts';

let pool: Pool<TestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

/** Largest number of [start, end) intervals that overlap. */
function maxOverlap(intervals: [number, number][]): number {
  const edges = intervals
    .flatMap(
      ([s, e]) =>
        [
          [s, 1],
          [e, -1],
        ] as [number, number][],
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (cur += d));
  return max;
}

describe('dispatch', () => {
  it('defaults to hardwareConcurrency workers', () => {
    pool = testPool();
    expect(pool.size).toBe(navigator.hardwareConcurrency);
  });

  it('runs no more than `size` tasks at once, and keeps them all busy', async () => {
    pool = testPool({ size: 3 });
    // Workers started first: on a loaded machine one warm worker could finish 40 ms tasks faster
    // than the others start, which is right for the pool but not what this test looks at.
    await pool.warm();
    let running = 0;
    let peak = 0;
    pool.addEventListener('task', (e: TaskEvent) => {
      if (e.change === 'running') peak = Math.max(peak, ++running);
      if (e.change === 'done' || e.change === 'failed' || e.change === 'cancelled') if (e.record.startedAt !== null) running--;
    });
    const handles = Array.from({ length: 12 }, () => pool!.submit('test.sleep', { ms: 40 }));
    await Promise.all(handles.map((h) => h.result));
    expect(peak).toBe(3);
    // The workers' own clocks agree: at most 3 ran at the same time.
    const spans = handles.map((h) => [h.record.startedAt!, h.record.endedAt!] as [number, number]);
    expect(maxOverlap(spans)).toBeLessThanOrEqual(3);
    expect(new Set(handles.map((h) => h.record.workerId)).size).toBe(3);
    expect(pool.workers()).toHaveLength(3);
  });

  it('reuses workers across tasks, so what a worker loaded stays loaded', async () => {
    pool = testPool({ size: 1 });
    const a = await pool.run('fixture.count', null);
    const b = await pool.run('fixture.count', null);
    expect(b.workerId).toBe(a.workerId);
    expect(b.calls).toBe(a.calls + 1);
  });

  it('starts workers lazily, or all at once with warm()', async () => {
    pool = testPool({ size: 2 });
    expect(pool.workers()).toHaveLength(0);
    await pool.warm();
    expect(pool.workers().map((w) => w.state)).toEqual(['ready', 'ready']);
  });

  it('runs FIFO by default and higher priorities first', async () => {
    pool = testPool({ size: 1 });
    const order: string[] = [];
    // Occupy the only worker so the rest queue up.
    const blocker = pool.run('test.sleep', { ms: 100 });
    await until(() => pool!.stats().running === 1, 30_000, 'blocker running');
    const runs = [
      pool.run('test.echo', 'a').then((v) => order.push(v as string)),
      pool.run('test.echo', 'b').then((v) => order.push(v as string)),
      pool.run('test.echo', 'urgent', { priority: 5 }).then((v) => order.push(v as string)),
      pool.run('test.echo', 'c').then((v) => order.push(v as string)),
      pool.run('test.echo', 'low', { priority: -1 }).then((v) => order.push(v as string)),
    ];
    await Promise.all([blocker, ...runs]);
    expect(order).toEqual(['urgent', 'a', 'b', 'c', 'low']);
  });

  it('refuses tasks beyond maxQueue with QueueFullError, and the queue goes on', async () => {
    pool = testPool({ size: 1, maxQueue: 2 });
    const blocker = pool.run('test.sleep', { ms: 50 });
    await until(() => pool!.stats().running === 1, 30_000, 'blocker running');
    const ok = [pool.run('test.echo', 1), pool.run('test.echo', 2)];
    const refused = pool.run('test.echo', 3);
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toThrow(/maxQueue = 2/);
    expect(await Promise.all(ok)).toEqual([1, 2]);
    await blocker;
  });

  it('grows and shrinks while running', async () => {
    pool = testPool({ size: 1 });
    // Gated tasks: they end when the test says, however slowly the new workers start.
    const first = Array.from({ length: 4 }, () => pool!.run('fixture.gate', { gate: 'grow' }));
    await until(() => pool!.stats().running === 1, 30_000, 'one running');
    pool.resize(4);
    await until(() => pool!.stats().running === 4, 20_000, 'four running');
    await openGate('grow', Promise.all(first));
    expect(pool.workers()).toHaveLength(4);
    pool.resize(2);
    expect(pool.workers()).toHaveLength(2); // idle workers retire at once
    const busy = Promise.all(Array.from({ length: 2 }, () => pool!.run('fixture.gate', { gate: 'shrink' })));
    await until(() => pool!.stats().running === 2, 30_000, 'two running');
    pool.resize(1); // the busy one it retires finishes its task first
    await openGate('shrink', busy);
    await expect(busy).resolves.toEqual(['shrink', 'shrink']);
    await until(() => pool!.workers().length === 1, 30_000, 'one worker left');
    expect(() => pool!.resize(0)).toThrow(RangeError);
  });

  it('reports progress and log lines to the caller and as events', async () => {
    pool = testPool({ size: 1 });
    const seen: number[] = [];
    const lines: string[] = [];
    const events: string[] = [];
    pool.addEventListener('task', (e) => events.push(e.change));
    await pool.run('test.sleep', { ms: 40, steps: 4 }, { onProgress: (p) => seen.push(p.fraction), onLog: (l) => lines.push(l) });
    expect(seen).toEqual([0.25, 0.5, 0.75, 1]);
    expect(lines).toEqual(['step 1 of 4', 'step 2 of 4', 'step 3 of 4', 'step 4 of 4']);
    expect(events.filter((e) => e === 'progress')).toHaveLength(4);
    expect(events[0]).toBe('queued');
    expect(events[1]).toBe('running');
    expect(events.at(-1)).toBe('done');
  });

  it('keeps a record of every task and gives stats', async () => {
    pool = testPool({ size: 2 });
    const h = pool.submit('test.sleep', { ms: 30 }, { label: 'nap' });
    expect(h.record.state).toBe('queued');
    await h.result;
    const r = pool.task(h.id)!;
    expect(r).toMatchObject({ id: h.id, op: 'test.sleep', label: 'nap', state: 'done', attempts: 1, error: null });
    expect(r.workerId).toBeTypeOf('number');
    expect(r.startedAt! - r.queuedAt).toBeGreaterThanOrEqual(-5);
    expect(r.endedAt! - r.startedAt!).toBeGreaterThanOrEqual(25);
    await expect(pool.run('test.fail', { message: 'nope' })).rejects.toThrow(/nope/);
    const s = pool.stats();
    expect(s).toMatchObject({ size: 2, queued: 0, running: 0, done: 1, failed: 1, cancelled: 0 });
    expect(s.runTime.count).toBe(2);
    expect(s.runTime.max).toBeGreaterThanOrEqual(25);
    expect(s.waitTime.count).toBe(2);
    expect(pool.tasks().map((t) => t.state)).toEqual(['done', 'failed']);
    pool.clearFinished();
    expect(pool.tasks()).toEqual([]);
  });

  it('idle() resolves once nothing is queued or running, and drain fires', async () => {
    pool = testPool({ size: 2 });
    let drained = 0;
    pool.addEventListener('drain', () => drained++);
    for (let i = 0; i < 6; i++) void pool.run('test.sleep', { ms: 20 });
    await pool.idle();
    expect(pool.stats()).toMatchObject({ queued: 0, running: 0, done: 6 });
    expect(drained).toBe(1);
  });
});
