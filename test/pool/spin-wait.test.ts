import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, type Pool } from '../../src/index.ts';
import { spinForNext } from '../../src/worker/spin-wait.ts';
import { SpinChoice } from '../../src/pool/spin-choice.ts';
import { testPool, until, type TestOps } from '../fixtures/pool.ts';

let pool: Pool<TestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

/** Longer than any test may take: a spin that did not end on the page's next message would hold its worker past the test's ceiling. */
const FOREVER_US = 30 * 60 * 1e6;

const shared = (): Int32Array => new Int32Array(new SharedArrayBuffer(4));
/** How long (ms) `spin` held this thread. */
const msOf = (spin: () => void): number => {
  const t0 = performance.now();
  spin();
  return performance.now() - t0;
};
const lengthOf = (us: number): Int32Array => {
  const length = shared();
  length[0] = us;
  return length;
};

describe('spin wait (a worker stays awake for the next call)', () => {
  it('is on by default on a cross-origin isolated page, and off when asked', async () => {
    expect(crossOriginIsolated).toBe(true); // the test pages are served with COOP/COEP
    pool = testPool({ size: 1 });
    expect(pool.stats().spinWait).toMatchObject({ us: 100, way: 'spin' });
    // Measured on lone calls that go back to the worker of the one before: both ways get samples.
    for (let i = 0; i < 40; i++) await pool.run('test.echo', i);
    const { spinSamples, sleepSamples } = pool.stats().spinWait!;
    expect(spinSamples).toBeGreaterThanOrEqual(8);
    expect(sleepSamples).toBeGreaterThanOrEqual(8);
    await pool.terminate();
    pool = testPool({ size: 1, spinWait: 0 });
    expect(pool.stats().spinWait).toBeNull();
    expect(await pool.run('test.echo', 'asleep')).toBe('asleep');
    expect(() => testPool({ spinWait: -1 })).toThrow(RangeError);
  });

  it('a spinning worker takes each next message at once: calls, batches and a cancel', async () => {
    pool = testPool({ size: 1, spareWorkers: 0, spinWait: FOREVER_US, spinPolicy: 'always' });
    for (let i = 0; i < 20; i++) expect(await pool.run('test.echo', i)).toBe(i);
    // Many at once: batches, and replies that end a batch each time.
    const many = await Promise.all(Array.from({ length: 500 }, (_, i) => pool!.run('test.echo', i)));
    expect(many).toEqual(Array.from({ length: 500 }, (_, i) => i));
    // A cancel message reaches a worker that waits in an op, and the spin after it ends on the next call.
    const ac = new AbortController();
    const h = pool.submit('test.sleep', { ms: 60_000 }, { signal: ac.signal });
    await until(() => h.record.state === 'running', 30_000, 'sleep running');
    ac.abort();
    await expect(h.result).rejects.toBeInstanceOf(CancelledError);
    expect(await pool.run('test.echo', 'after the cancel')).toBe('after the cancel');
    expect(pool.stats().crashes).toBe(0);
  });

  it('two workers, one spin slot: whichever worker answers, the next call is taken', async () => {
    pool = testPool({ size: 2, spareWorkers: 0, spinWait: FOREVER_US, spinPolicy: 'always', loneRouting: 'next' });
    await pool.warm();
    for (let i = 0; i < 20; i++) expect(await pool.run('test.echo', i)).toBe(i);
    const seen = new Set(pool.tasks().map((t) => t.workerId));
    expect(seen.size).toBe(2); // 'next' alternates: each worker was woken from its sleep or spin in turn
    // Workers stopped by the pool while one of them spins: the new ones take calls as before.
    const before = pool.workers().map((w) => w.id);
    pool.resize(1);
    pool.resize(2);
    await pool.warm();
    expect(pool.workers().map((w) => w.id)).not.toEqual(before);
    for (let i = 0; i < 10; i++) expect(await pool.run('test.echo', i)).toBe(i);
  });

  // On the page's own thread, so a spin that did not end would hold the test for its whole length: 20 s, not forever.
  it('spins until the page posts, or its time is up; never two at once', async () => {
    const spinner = shared();
    const posted = shared();
    const poolPosted = shared();
    // Another worker holds the slot: back at once, the slot untouched.
    Atomics.store(spinner, 0, 8);
    expect(msOf(() => spinForNext({ spinner, posted, poolPosted, length: lengthOf(20e6) }, 0, 0))).toBeLessThan(10_000);
    expect(Atomics.load(spinner, 0)).toBe(8);
    Atomics.store(spinner, 0, 0);
    // A message already posted beyond the one handled: no spin (not the 20 s asked for), and the slot is free again.
    Atomics.store(posted, 0, 3);
    expect(msOf(() => spinForNext({ spinner, posted, poolPosted, length: lengthOf(20e6) }, 0, 2))).toBeLessThan(10_000);
    expect(Atomics.load(spinner, 0)).toBe(0);
    // The page's count lagging behind by the message just handled is no reason to stop: only the time ends this one.
    expect(msOf(() => spinForNext({ spinner, posted, poolPosted, length: lengthOf(5_000) }, 4, 4))).toBeGreaterThanOrEqual(5);
    expect(Atomics.load(spinner, 0)).toBe(0);
    // A message to another worker of the pool ends a spin too: it must not hold a vCPU that worker needs.
    Atomics.store(posted, 0, 0);
    Atomics.store(poolPosted, 0, 0);
    // A worker that stands for the page posting to another worker while this one spins; started before the spin, which holds this thread.
    const other = new Worker(
      URL.createObjectURL(new Blob(['onmessage = (e) => { postMessage("up"); Atomics.wait(e.data, 0, 0, 50); Atomics.add(e.data, 0, 1); }'])),
    );
    other.postMessage(poolPosted);
    await new Promise((up) => (other.onmessage = up));
    expect(msOf(() => spinForNext({ spinner, posted, poolPosted, length: lengthOf(20e6) }, 0, 0))).toBeLessThan(10_000);
    other.terminate();
    // Told to sleep (length 0): no spin at all.
    expect(msOf(() => spinForNext({ spinner, posted, poolPosted, length: lengthOf(0) }, 0, 0))).toBeLessThan(10_000);
    expect(Atomics.load(spinner, 0)).toBe(0);
  });

  it('takes the spin back only when it answers clearly sooner: it holds a vCPU others may want', () => {
    const length = shared();
    const choice = new SpinChoice(100, length);
    const drive = (calls: number, cost: { spin: number; sleep: number }): void => {
      for (let i = 0; i < calls; i++) {
        const measured = choice.next(true);
        if (measured !== null) choice.record(measured, cost[measured]);
      }
    };
    // Sleeping answers a fifth sooner: the pool turns to it.
    drive(400, { spin: 0.06, sleep: 0.05 });
    expect(choice.stats().way).toBe('sleep');
    // Now the spin is 10% faster: more than the 5% any way needs, less than the 15% a spin needs.
    drive(800, { spin: 0.045, sleep: 0.05 });
    expect(choice.stats().way).toBe('sleep');
    // A third faster, as where idle vCPUs halt: taken.
    drive(800, { spin: 0.033, sleep: 0.05 });
    expect(choice.stats().way).toBe('spin');
    expect(Atomics.load(length, 0)).toBe(100);
  });

  it('tries both ways after a lone task, in pairs, then keeps to the one answered sooner', () => {
    const length = shared();
    const choice = new SpinChoice(100, length);
    expect(Atomics.load(length, 0)).toBe(100);
    const told = (): 'spin' | 'sleep' => (Atomics.load(length, 0) > 0 ? 'spin' : 'sleep');
    // The first lone task measures nothing: no worker was told anything before it.
    expect(choice.next(true)).toBeNull();
    let before = told();
    const cost = { spin: 0.04, sleep: 0.09 };
    let measuredCalls = 0;
    for (let i = 1; i < 400; i++) {
      const measured = choice.next(true);
      const after = told();
      // A way holds for two calls; only the second is measured, and only with that way on both sides of it.
      if (i % 2 === 1) expect(after).toBe(before);
      if (measured === null) expect(i % 2).toBe(0);
      else {
        expect(i % 2).toBe(1);
        expect(measured).toBe(before);
        expect(measured).toBe(after);
        choice.record(measured, cost[measured]);
        measuredCalls++;
      }
      before = after;
    }
    expect(measuredCalls).toBe(200);
    expect(choice.stats()).toMatchObject({ us: 100, way: 'spin', spinMs: 0.04, sleepMs: 0.09 });
    expect(choice.stats().sleepSamples).toBeGreaterThanOrEqual(8);
    // Gone to another worker: it measures nothing.
    choice.next(true);
    expect(choice.next(false)).toBeNull();
    // Where a sleep answers sooner (idle vCPUs held polling), the pool turns to it.
    for (let i = 0; i < 800; i++) {
      const measured = choice.next(true);
      if (measured !== null) choice.record(measured, measured === 'spin' ? 0.09 : 0.04);
    }
    expect(choice.stats().way).toBe('sleep');
    expect(Atomics.load(length, 0) === 0 || choice.stats().way === 'sleep').toBe(true);
  });
});
