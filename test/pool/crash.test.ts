import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, Pool, WorkerCrashedError, WorkerStartError, type BuiltinOps } from '../../src/index.ts';
import { testPool, until, type TestOps } from '../fixtures/pool.ts';

let pool: Pool<TestOps> | Pool<BuiltinOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

describe('crashes', () => {
  for (const [how, reason, detail] of [
    ['throw-async', 'uncaught', /boom \(uncaught, in a timer\)/],
    ['reject-async', 'uncaught', /boom \(unhandled rejection\)/],
    ['close', 'exit', /self\.close\(\)/],
    ['vanish', 'exit', /stopped without a word/],
    ['trap', 'uncaught', /unreachable/],
  ] as const) {
    it(`a worker that dies (${how}) rejects its task with a clear error, and the pool goes on at full size`, async () => {
      const p = testPool({ size: 2, crashRetries: 0 });
      pool = p;
      const bystanders = Array.from({ length: 4 }, (_, i) => p.run('test.sleep', { ms: 30 }).then(() => i));
      const e = await p.run('test.crash', { how }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WorkerCrashedError);
      const crash = e as WorkerCrashedError;
      expect(crash.reason).toBe(reason);
      expect(crash.message).toMatch(detail);
      expect(crash.message).toMatch(new RegExp(`Worker ${crash.workerId} crashed`));
      expect(await Promise.all(bystanders)).toEqual([0, 1, 2, 3]);
      await until(() => p.workers().length === 2 && p.workers().every((w) => w.state === 'ready'), 30_000, 'full size');
      expect(p.workers().some((w) => w.id === crash.workerId)).toBe(false);
      expect(await p.run('test.echo', 'alive')).toBe('alive');
      expect(p.stats().crashes).toBe(1);
    });
  }

  it('retries a task whose worker crashed, on a fresh worker', async () => {
    const p = testPool({ size: 1, crashRetries: 1 });
    pool = p;
    const h = p.submit('fixture.crashOnce', { value: 21 });
    expect(await h.result).toBe(42);
    expect(h.record.attempts).toBe(2);
  });

  it('a task cancelled as its crash retry is announced is not sent again', async () => {
    const p = testPool({ size: 1, crashRetries: 1 });
    pool = p;
    p.addEventListener('task', (e) => {
      if (e.change === 'retry') p.cancel(e.record.id, 'no second try');
    });
    const e = await p.run('test.crash', { how: 'close' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CancelledError);
    // FIFO: had the cancelled task gone back to the front of the queue, it would run (and kill
    // the worker) before this one.
    expect(await p.run('test.echo', 'after')).toBe('after');
    expect(p.stats().crashes).toBe(1);
  });

  it('gives up on a task that kills workers again and again', async () => {
    const p = testPool({ size: 2, crashRetries: 2 });
    pool = p;
    const e = await p.run('test.crash', { how: 'close' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkerCrashedError);
    expect((e as WorkerCrashedError).attempts).toBe(3);
    expect((e as Error).message).toMatch(/gave up after 3 attempts/);
    expect(p.stats().crashes).toBe(3);
    expect(await p.run('test.echo', 'fine')).toBe('fine');
  });

  it('does not retry a task whose input buffers were moved into the dead worker, and says why', async () => {
    const p = testPool({ size: 1, crashRetries: 3 });
    pool = p;
    // test.crash ignores its input; the buffer rides along to show what moving costs.
    const e = await p.run('test.crash', { how: 'close', payload: new Float32Array(16) } as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkerCrashedError);
    expect((e as Error).message).toMatch(/input: "copy"/);
    const copied = await p.run('fixture.crashOnce', { value: 2, payload: new Float32Array(16) } as never, { input: 'copy' });
    expect(copied).toBe(4);
  });

  it('a worker module that fails to load rejects with WorkerStartError instead of respawning forever', async () => {
    const p = new Pool<TestOps>({ size: 2, worker: () => new Worker(new URL('./no-such-worker.js', import.meta.url), { type: 'module' }) });
    pool = p;
    const e = await p.run('test.echo', 1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkerStartError);
    expect((e as Error).message).toMatch(/fail to start/);
  });
});
