import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, PoolTerminatedError, TaskFailedError, TimeoutError, type Pool } from '../../src/index.ts';
import { testPool, testProcessWorker, until, type TestOps } from '../fixtures/pool.ts';

let pool: Pool<TestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

describe('cancel, timeout, terminate', () => {
  it('a queued task leaves the queue at once when its signal aborts', async () => {
    pool = testPool({ size: 1 });
    const blocker = pool.run('test.sleep', { ms: 200 });
    await until(() => pool!.stats().running === 1, 30_000, 'blocker running');
    const ac = new AbortController();
    const h = pool.submit('test.echo', 'never', { signal: ac.signal });
    expect(pool.stats().queued).toBe(1);
    ac.abort('user changed their mind');
    expect(pool.stats().queued).toBe(0);
    expect(h.record.state).toBe('cancelled');
    await expect(h.result).rejects.toBeInstanceOf(CancelledError);
    await blocker;
  });

  it('an already aborted signal refuses the task', async () => {
    pool = testPool({ size: 1 });
    await expect(pool.run('test.echo', 1, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
  });

  it('a running task that checks its signal stops and its worker stays', async () => {
    pool = testPool({ size: 1, cancelGrace: 5_000 });
    const ac = new AbortController();
    const h = pool.submit('test.sleep', { ms: 10_000 }, { signal: ac.signal });
    await until(() => h.record.state === 'running', 30_000, 'running');
    const worker = pool.workers()[0]!.id;
    ac.abort();
    await expect(h.result).rejects.toBeInstanceOf(CancelledError);
    expect(await pool.run('test.echo', 'after')).toBe('after');
    expect(pool.workers().map((w) => w.id)).toEqual([worker]); // not replaced
  });

  it('a synchronous op that checks stops through the shared flag on an isolated page, and keeps its worker', async () => {
    expect(crossOriginIsolated).toBe(true); // the test pages are served with COOP/COEP
    // A grace far longer than the test may take: only a cooperative stop can pass.
    pool = testPool({ size: 1, cancelGrace: 30_000, spareWorkers: 0 });
    const retired: number[] = [];
    pool.addEventListener('worker', (e) => void (e.change === 'retired' && retired.push(e.worker.id)));
    const first = await pool.run('fixture.count', null);
    for (const [op, input] of [
      ['test.spin', { ms: 60_000, checkSignal: true }],
      ['fixture.pollSignal', { ms: 60_000 }],
    ] as const) {
      const ac = new AbortController();
      const h = pool.submit(op, input, { signal: ac.signal });
      await until(() => h.record.state === 'running', 30_000, `${op} running`);
      const t0 = performance.now();
      ac.abort();
      await expect(h.result).rejects.toBeInstanceOf(CancelledError);
      const next = await pool.run('fixture.count', null);
      expect(performance.now() - t0, `${op}: next task done soon after the abort`).toBeLessThan(10_000);
      expect(next.workerId).toBe(first.workerId);
    }
    // The same worker, its state kept: it counted every call.
    expect(await pool.run('fixture.count', null)).toEqual({ calls: first.calls + 3, workerId: first.workerId });
    expect(retired).toEqual([]);
  });

  it('a worker replaced after a cancel is taken over by a warm spare at once', async () => {
    pool = testPool({ size: 1, cancelGrace: 50, spareWorkers: 1 });
    await pool.run('test.echo', 0);
    // The spare starts once the first worker is ready; its start is not what is measured.
    await until(() => pool!.stats().workers.spare === 1, 30_000, 'the spare ready');
    const busy = pool.submit('test.spin', { ms: 60_000, checkSignal: false });
    await until(() => busy.record.state === 'running', 30_000, 'busy running');
    const stuck = busy.record.workerId;
    const t0 = performance.timeOrigin + performance.now();
    busy.cancel();
    const next = pool.submit('test.echo', 2);
    await expect(busy.result).rejects.toBeInstanceOf(CancelledError);
    expect(await next.result).toBe(2);
    expect(next.record.workerId).not.toBe(stuck);
    // Grace (50 ms) and a hand-over, not a worker's start-up; generous for a loaded machine.
    expect(next.record.startedAt! - t0).toBeLessThan(2_000);
    expect(pool.workers().length).toBe(1);
    // And a new spare is started for the next time.
    await until(() => pool!.stats().workers.spare === 1, 30_000, 'a new spare ready');
  });

  it('with no shared cancel flag, a synchronous op is ended at once, not after the grace; an op that awaits keeps its worker', async () => {
    // Workers in a process of their own share no memory with the page, as on a page that is not
    // cross-origin isolated: the cancel message is all there is, and a synchronous op never sees it.
    pool = testPool({ worker: testProcessWorker, size: 1, cancelGrace: 600_000, spareWorkers: 0 });
    await pool.run('test.echo', 0);
    const retired: string[] = [];
    pool.addEventListener('worker', (e) => {
      if (e.change === 'retired') retired.push(e.detail ?? '');
    });
    // It calls throwIfCancelled, but only the shared flag could reach it.
    const spin = pool.submit('test.spin', { ms: 600_000 });
    await until(() => spin.record.state === 'running', 30_000, 'spin running');
    const deaf = spin.record.workerId;
    spin.cancel();
    await expect(spin.result).rejects.toBeInstanceOf(CancelledError);
    // Under a 10-minute grace this answer comes only if the worker was ended at once.
    expect(await pool.run('test.echo', 'next')).toBe('next');
    expect(pool.workers().map((w) => w.id)).not.toContain(deaf);
    expect(retired).toEqual([expect.stringMatching(/cancelled in a synchronous stretch/)]);

    const listening = pool.workers()[0]!.id;
    // The worker says its op awaits (before the progress it reports next): a cancel then waits
    // for the op to stop itself.
    let listens!: () => void;
    const heard = new Promise<void>((r) => (listens = r));
    const awaiting = pool.submit('fixture.listen', null, { onProgress: () => listens() });
    await heard;
    awaiting.cancel();
    await expect(awaiting.result).rejects.toBeInstanceOf(CancelledError);
    expect(await pool.run('test.echo', 'same')).toBe('same');
    expect(pool.workers().map((w) => w.id)).toEqual([listening]);
    expect(retired).toHaveLength(1);
  });

  it('a busy loop that ignores its signal is cancelled, its worker replaced, while other tasks finish', async () => {
    pool = testPool({ size: 2, cancelGrace: 200 });
    const busy = pool.submit('test.spin', { ms: 60_000, checkSignal: false });
    const others = Array.from({ length: 6 }, (_, i) => pool!.run('test.sleep', { ms: 50 }).then(() => i));
    await until(() => busy.record.state === 'running', 30_000, 'busy running');
    const stuck = busy.record.workerId;
    const t0 = performance.now();
    expect(busy.cancel()).toBe(true);
    await expect(busy.result).rejects.toBeInstanceOf(CancelledError);
    expect(performance.now() - t0).toBeLessThan(100); // the caller hears at once
    expect(await Promise.all(others)).toEqual([0, 1, 2, 3, 4, 5]);
    await until(() => !pool!.workers().some((w) => w.id === stuck), 30_000, 'stuck worker replaced');
    await until(() => pool!.workers().length === 2, 30_000, 'back to full size');
    expect(await pool.run('test.echo', 'still here')).toBe('still here');
    expect(pool.stats().crashes).toBe(0); // replacing a stuck worker is not a crash
  });

  it('cancelAll settles every queued and running task as cancelled', async () => {
    pool = testPool({ size: 2, cancelGrace: 200 });
    await pool.warm(); // both workers up first: a loaded machine may take seconds to boot one
    const all = Array.from({ length: 8 }, () => pool!.run('test.sleep', { ms: 5_000 }));
    await until(() => pool!.stats().running === 2, 30_000, 'two running');
    expect(pool.cancelAll()).toBe(8);
    const results = await Promise.allSettled(all);
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof CancelledError)).toBe(true);
    expect(pool.stats()).toMatchObject({ queued: 0, running: 0, cancelled: 8 });
    expect(await pool.run('test.echo', 1)).toBe(1);
  });

  it('times out a task through the same path, as a TimeoutError (a kind of cancellation)', async () => {
    pool = testPool({ size: 1, cancelGrace: 100 });
    const h = pool.submit('test.spin', { ms: 60_000, checkSignal: false }, { timeout: 150 });
    const e = await h.result.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e).toBeInstanceOf(CancelledError);
    expect(e).not.toBeInstanceOf(TaskFailedError);
    expect((e as Error).message).toMatch(/150 ms/);
    expect(h.record.state).toBe('cancelled');
    expect(await pool.run('test.echo', 'next')).toBe('next');
  });

  it('a pool-wide default timeout applies to every task that gives none; 0 on a task means none', async () => {
    pool = testPool({ size: 1, cancelGrace: 50, timeout: 150 });
    const h = pool.submit('test.spin', { ms: 60_000, checkSignal: false });
    expect(h.record.timeLimit).toBe(150);
    const e = await h.result.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as Error).message).toMatch(/150 ms/);
    // Its own timeout wins; 0 is none at all.
    const own = pool.submit('test.sleep', { ms: 400 }, { timeout: 0 });
    expect(own.record.timeLimit).toBeNull();
    expect(await own.result).toBe(400);
  });

  it('an operation error is a failure, not a cancellation', async () => {
    pool = testPool({ size: 1 });
    const e = await pool.run('test.fail', { message: 'bad things' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TaskFailedError);
    expect(e).not.toBeInstanceOf(CancelledError);
    expect((e as TaskFailedError).remote.message).toBe('bad things');
    expect((e as Error).message).toMatch(/test\.fail failed: Error: bad things/);
  });

  it('terminate() settles everything still queued or running, and frees the workers', async () => {
    pool = testPool({ size: 2 });
    await pool.warm();
    const all = Array.from({ length: 5 }, () => pool!.run('test.spin', { ms: 10_000, checkSignal: false }));
    await until(() => pool!.stats().running === 2, 30_000, 'two running');
    await pool.terminate();
    const results = await Promise.allSettled(all);
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof PoolTerminatedError)).toBe(true);
    expect(pool.workers()).toEqual([]);
    await expect(pool.run('test.echo', 1)).rejects.toBeInstanceOf(PoolTerminatedError);
  });
});
