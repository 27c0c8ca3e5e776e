/**
 * A worker whose JS heap runs out. In a dedicated worker that is a fatal error of the page's
 * renderer process: the tab dies. Hosted in a process of its own (`processHost`), only that
 * worker dies. Runs under its own Vitest instance (vitest.config.ts, `chromium-heap`), whose
 * Chromium has V8's heap limit lowered, so running out takes seconds rather than minutes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, Pool, WorkerCrashedError } from '../../src/index.ts';
import { testPool, testProcessWorker, until, type TestOps } from '../fixtures/pool.ts';

let pool: Pool<TestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

describe('workers in a process of their own', () => {
  it('a worker whose JS heap runs out fails only its task: the page lives, the others finish, the pool heals', { timeout: 240_000 }, async () => {
    // Chromium gives a SharedWorker a process of its own only on an isolated page.
    expect(crossOriginIsolated).toBe(true);
    const p = testPool({ worker: testProcessWorker, size: 2, crashRetries: 0 });
    pool = p;
    expect(await p.run('test.echo', 'up')).toBe('up');
    // Both workers up before the heap runs out: under load a process worker took longer to start
    // than the other one took to run out (4.5 s), and no sleep could end before the crash.
    await p.warm();
    expect(p.workers().filter((w) => w.state === 'ready')).toHaveLength(2);
    const started = performance.now();
    const heap = p.run('test.crash', { how: 'heap' }).then(
      () => null,
      (x: unknown) => ({ error: x, at: performance.now() }),
    );
    // The other worker keeps serving while the first allocates: the page is alive throughout.
    const done: number[] = [];
    const others = Array.from({ length: 8 }, (_, i) =>
      p.run('test.sleep', { ms: 20 }).then(() => {
        done.push(performance.now());
        return i;
      }),
    );
    const failed = await heap;
    expect(failed).not.toBeNull();
    const e = failed!.error;
    expect(e).toBeInstanceOf(WorkerCrashedError);
    const crash = e as WorkerCrashedError;
    expect(crash.reason).toBe('exit');
    expect(crash.op).toBe('test.crash');
    expect(crash.message).toMatch(/Worker \d+ crashed .*ran out of memory .*while running a test\.crash task/);
    expect(await Promise.all(others)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(
      done.filter((t) => t < failed!.at).length,
      `sleeps done before the crash (of ${done.length}; crash after ${(failed!.at - started).toFixed(0)} ms)`,
    ).toBeGreaterThan(0);
    await until(() => p.workers().length === 2 && p.workers().every((w) => w.state === 'ready'), 60_000, 'full size');
    expect(p.workers().some((w) => w.id === crash.workerId)).toBe(false);
    expect(await Promise.all([p.run('test.echo', 'a'), p.run('test.echo', 'b'), p.run('test.echo', 'c')])).toEqual(['a', 'b', 'c']);
    expect(p.stats().crashes).toBe(1);
    console.info(`heap ran out after ${((failed!.at - started) / 1000).toFixed(1)} s`);
  });

  it('a cancelled op that never checks is stopped by ending its process, and the next task runs', async () => {
    const p = testPool({ worker: testProcessWorker, size: 1, cancelGrace: 50 });
    pool = p;
    expect(await p.run('test.echo', 'up')).toBe('up');
    const h = p.submit('test.spin', { ms: 600_000, checkSignal: false });
    await until(() => h.record.state === 'running', 30_000, 'spin running');
    h.cancel();
    await expect(h.result).rejects.toBeInstanceOf(CancelledError);
    expect(await p.run('test.echo', 'next')).toBe('next');
    expect(p.workers().map((w) => w.id)).not.toContain(h.record.workerId);
  });
});
