import { afterEach, describe, expect, it } from 'vitest';
import { testPool, testWorker, until, type TestOps } from '../fixtures/pool.ts';
import type { Pool } from '../../src/index.ts';

let pool: Pool<TestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

interface Traffic {
  /** Task batches the page sent: how many tasks each held. */
  down: number[];
  /** Event batches the workers sent: how many events each held. */
  up: number[];
  /** Messages that were Comlink's (control), either way. */
  control: number;
}

/** The test worker, with every message on its channel counted (the real Worker, observed). */
function observedWorker(traffic: Traffic): () => Worker {
  return () => {
    const worker = testWorker();
    const post = worker.postMessage.bind(worker) as (message: unknown, transfer: Transferable[]) => void;
    // Data messages are tuples (kind first); Comlink's are objects.
    worker.postMessage = ((message: unknown, transfer: Transferable[] = []) => {
      if (Array.isArray(message)) {
        if (message[0] === 'run') traffic.down.push((message[1] as unknown[]).length);
      } else traffic.control++;
      post(message, transfer);
    }) as Worker['postMessage'];
    worker.addEventListener('message', (e: MessageEvent<unknown>) => {
      if (Array.isArray(e.data)) {
        if (e.data[0] === 'events') traffic.up.push((e.data[1] as unknown[]).length);
      } else traffic.control++;
    });
    return worker;
  };
}

describe('one awaited call', () => {
  it('goes to an idle worker at once, one message each way on the worker’s own channel, nothing else', async () => {
    const traffic: Traffic = { down: [], up: [], control: 0 };
    pool = testPool({ size: 2, spareWorkers: 0, worker: observedWorker(traffic), loneRouting: 'next' });
    await pool.warm();
    await pool.run('test.noop', null); // the pool now knows test.noop is short
    traffic.down.length = 0;
    traffic.up.length = 0;
    const controlAtStart = traffic.control;
    const workers: (number | null)[] = [];
    for (let i = 0; i < 50; i++) {
      const sent = traffic.down.length;
      const handle = pool.submit('test.noop', null);
      // Sent before submit returns, as a bare postMessage would be: no microtask, no timer, no
      // waiting for company.
      expect(traffic.down.length).toBe(sent + 1);
      expect(handle.record.state).toBe('running');
      expect(handle.record.workerId).not.toBeNull();
      expect(traffic.down.at(-1)).toBe(1);
      workers.push(handle.record.workerId);
      await handle.result;
    }
    // Routed 'next', each call goes to the worker idle longest: with two, they take turns.
    expect(new Set(workers).size).toBe(2);
    expect(workers.every((w, i) => i === 0 || w !== workers[i - 1])).toBe(true);
    // Exactly one task batch down and one event batch up per call, each holding just that call.
    expect(traffic.down).toEqual(Array(50).fill(1));
    expect(traffic.up).toEqual(Array(50).fill(1));
    // The control plane (Comlink) had nothing to do with it.
    expect(traffic.control).toBe(controlAtStart);
  });

  it("routed 'last', every call goes to the worker the one before went to", async () => {
    pool = testPool({ size: 2, spareWorkers: 0, loneRouting: 'last' });
    await pool.warm();
    await pool.run('test.noop', null);
    const workers = new Set<number | null>();
    for (let i = 0; i < 30; i++) {
      const handle = pool.submit('test.noop', null);
      workers.add(handle.record.workerId);
      await handle.result;
    }
    expect(workers.size).toBe(1);
    expect(pool.stats().loneRoute).toMatchObject({ way: 'last', lastSamples: 0, nextSamples: 0 });
  });

  it('by default measures both ways on the calls themselves and takes the one that answered sooner', async () => {
    pool = testPool({ size: 2, spareWorkers: 0 });
    await pool.warm();
    await pool.run('test.noop', null);
    for (let i = 0; i < 200; i++) await pool.run('test.noop', null);
    const route = pool.stats().loneRoute;
    // Every call here had both workers idle and its reply to itself: each was measured.
    expect(route.lastSamples + route.nextSamples).toBe(200);
    expect(route.lastSamples).toBeGreaterThanOrEqual(8);
    expect(route.nextSamples).toBeGreaterThanOrEqual(8);
    // A round trip through a real worker: more than nothing, less than the test's ceiling.
    for (const ms of [route.lastMs!, route.nextMs!]) {
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThan(1000);
    }
    // The way taken is the faster one, or either where they are within the switching margin.
    if (route.lastMs! < 0.95 * route.nextMs!) expect(route.way).toBe('last');
    else if (route.nextMs! < 0.95 * route.lastMs!) expect(route.way).toBe('next');
  });

  it('is announced running a microtask after submit returns, so a caller files its handle first', async () => {
    pool = testPool({ size: 1, spareWorkers: 0 });
    await pool.warm();
    await pool.run('test.echo', 0); // known to be short
    const seen: string[] = [];
    const filed = new Set<number>();
    pool.addEventListener('task', (e) => seen.push(`${e.change}${filed.has(e.record.id) ? '' : ' (not filed)'}`));
    const handle = pool.submit('test.echo', 7);
    filed.add(handle.id);
    // Already on its way and running, but not yet announced as such.
    expect(handle.record.state).toBe('running');
    expect(seen).toEqual(['queued (not filed)']);
    expect(await handle.result).toBe(7);
    expect(seen).toEqual(['queued (not filed)', 'running', 'done']);
  });

  it('many calls at once still travel in batches, and every one settles with its own result', async () => {
    const traffic: Traffic = { down: [], up: [], control: 0 };
    pool = testPool({ size: 2, spareWorkers: 0, worker: observedWorker(traffic) });
    await pool.warm();
    await pool.run('test.noop', null); // the pool now knows test.noop is short
    traffic.down.length = 0;
    traffic.up.length = 0;
    const n = 4000;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => pool!.run('test.echo', i)));
    expect(results).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(traffic.down.reduce((a, b) => a + b, 0)).toBe(n);
    // Batches: far fewer messages than tasks, both ways.
    expect(traffic.down.length).toBeLessThan(n / 4);
    expect(traffic.up.length).toBeLessThan(n / 4);
  });

  it('the control plane shares the channel: Comlink calls still answer while tasks flow', async () => {
    pool = testPool({ size: 1, spareWorkers: 0 });
    await pool.warm();
    const tasks = Promise.all(Array.from({ length: 500 }, (_, i) => pool!.run('test.echo', i)));
    // A worker replaced on the way (cancel of a task that never stops) starts through Comlink's init again.
    const stuck = pool.submit('test.spin', { ms: 60_000, checkSignal: false });
    const all = await tasks;
    expect(all[499]).toBe(499);
    stuck.cancel();
    await expect(stuck.result).rejects.toThrow(/cancel/i);
    expect(await pool.run('test.echo', 'after')).toBe('after');
  });

  it('an op that has only failed fast is not taken for short: its long runs are not batched behind each other', async () => {
    const traffic: Traffic = { down: [], up: [], control: 0 };
    pool = testPool({ size: 2, spareWorkers: 0, worker: observedWorker(traffic) });
    await pool.warm();
    for (let i = 0; i < 10; i++) await expect(pool.run('test.spin', { ms: 1000, refuse: 'bad input' })).rejects.toThrow('bad input');
    traffic.down.length = 0;
    const runs = Array.from({ length: 6 }, () => pool!.run('test.spin', { ms: 20 }));
    await Promise.all(runs);
    // Each went alone to a worker as it fell idle; none waited pinned behind another.
    expect(traffic.down).toEqual(Array(6).fill(1));
  });

  it('a long or unknown op waits for the turn’s dispatch, so higher priorities queued in the same turn go first', async () => {
    pool = testPool({ size: 1, spareWorkers: 0 });
    await pool.warm();
    await pool.run('test.echo', 0); // short: posted at once
    const order: string[] = [];
    pool.addEventListener('task', (e) => e.change === 'running' && order.push(e.record.label));
    // test.sleep has not run yet (unknown), as a long filter the pool has not timed.
    const runs = [0, 5, 10].map((priority) => pool!.run('test.sleep', { ms: 1 }, { priority, label: `p${priority}` }));
    await Promise.all(runs);
    expect(order).toEqual(['p10', 'p5', 'p0']);
  });
});

describe('progress', () => {
  it('a long synchronous op’s first report reaches the page while it runs', async () => {
    pool = testPool({ size: 1, spareWorkers: 0 });
    const seen: string[] = [];
    const handle = pool.submit('test.spin', { ms: 60_000, report: 'working' }, { onProgress: (p) => seen.push(p.message ?? '') });
    await until(() => seen.length > 0, 30_000, 'the first report');
    expect(seen).toEqual(['working']);
    expect(handle.record.state).toBe('running');
    handle.cancel();
    await expect(handle.result).rejects.toThrow(/cancel/i);
  });

  it('a short op’s first report travels with its result, once the worker knows the op is short', async () => {
    const traffic: Traffic = { down: [], up: [], control: 0 };
    pool = testPool({ size: 1, spareWorkers: 0, worker: observedWorker(traffic) });
    await pool.warm();
    const seen: string[] = [];
    const onProgress = (p: { message?: string }): number => seen.push(p.message ?? '');
    // Unknown at first: its report goes at once, alone.
    traffic.up.length = 0;
    await pool.run('test.spin', { ms: 0.05, report: 'first' }, { onProgress });
    expect(traffic.up).toEqual([1, 1]);
    // Ten more runs: the worker's average forgets even a first run slowed by a loaded machine.
    for (let i = 0; i < 10; i++) await pool.run('test.spin', { ms: 0.05, report: 'again' }, { onProgress });
    traffic.up.length = 0;
    await pool.run('test.spin', { ms: 0.05, report: 'then' }, { onProgress });
    // Known short now: report and result in one message.
    expect(traffic.up).toEqual([2]);
    expect(seen).toEqual(['first', ...Array(10).fill('again'), 'then']);
  });
});
