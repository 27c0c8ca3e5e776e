/**
 * Where one awaited call's time goes, segment by segment, beside a raw echo worker in the same
 * page (alternating blocks). Stamps on both threads share one clock (timeOrigin + now). Segments:
 * page before the post, the post itself, down (post to the worker's first listener), worker to
 * the op, op to the worker's post, up (post to the page's first listener), page from arrival to
 * the caller resuming. Trimmed means (middle 80%) of µs.
 */
import { Pool } from '../../src/pool/pool.ts';
import { benchPoolOptions } from '../pages/pool-options.ts';

const clock = (): number => performance.timeOrigin + performance.now();
const seg: Record<string, number[]> = {};
const add = (k: string, ms: number): void => void (seg[k] ??= []).push(ms * 1000);
let arrived = 0;
let posted = 0;

/** A worker whose page-side arrivals and posts are stamped (the real Worker, observed). */
function stamped(w: Worker, post: string): Worker {
  w.addEventListener('message', () => (arrived = clock()));
  const send = w.postMessage.bind(w) as (m: unknown, t?: Transferable[]) => void;
  (w as { postMessage: unknown }).postMessage = (m: unknown, t?: Transferable[]) => {
    posted = clock();
    send(m, t ?? []);
    add(post, clock() - posted);
  };
  return w;
}

// Literal `new Worker(new URL(...))`: what Vite bundles as a worker.
const raw = stamped(new Worker(new URL('./segments-raw.worker.ts', import.meta.url), { type: 'module' }), 'raw: page postMessage');
let answer: ((v: { arrived: number; posted: number }) => void) | null = null;
raw.onmessage = (e: MessageEvent<{ arrived: number; posted: number }>) => answer!(e.data);
const rawCall = (): Promise<{ arrived: number; posted: number }> =>
  new Promise((resolve) => {
    answer = resolve;
    raw.postMessage({ id: 1, data: null });
  });
// `?spinWait=N`: that spin wait (PoolOptions.spinWait; 0, none), always spun, to see what the spin moves.
const spin = benchPoolOptions();
const pool = new Pool({
  size: 1,
  spareWorkers: 0,
  ...(spin.spinWait === undefined ? {} : { ...spin, spinPolicy: 'always' as const }),
  worker: () => stamped(new Worker(new URL('./segments.worker.ts', import.meta.url), { type: 'module' }), 'pool: page postMessage'),
});

async function measure(): Promise<object> {
  await pool.warm();
  for (let i = 0; i < 3000; i++) await pool.run('test.noop', null);
  for (let i = 0; i < 3000; i++) await rawCall();
  for (const k of Object.keys(seg)) delete seg[k];
  for (let b = 0; b < 20; b++) {
    let before: [number, number] | null = null; // the previous call's op run and page arrival
    for (let i = 0; i < 200; i++) {
      const t0 = clock();
      const [wArrived, ran, wPosted] = (await pool.run('test.noop', null)) as [number, number, number];
      const t1 = clock();
      add('pool: total', t1 - t0);
      add('pool: page, run to post', posted - t0);
      add('pool: down', wArrived - posted);
      add('pool: worker, arrival to op', ran - wArrived);
      // The worker's post of the call before is what this call's stamps carry.
      if (before) add('pool: worker, op to post', wPosted - before[0]);
      if (before) add('pool: up', before[1] - wPosted);
      add('pool: page, arrival to caller', t1 - arrived);
      before = [ran, arrived];
    }
    for (let i = 0; i < 200; i++) {
      const t0 = clock();
      const r = await rawCall();
      const t1 = clock();
      add('raw: total', t1 - t0);
      add('raw: down', r.arrived - posted);
      add('raw: worker', r.posted - r.arrived);
      add('raw: up', arrived - r.posted);
      add('raw: page, arrival to caller', t1 - arrived);
    }
  }
  const trimmed = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b).slice(Math.floor(xs.length * 0.1), Math.ceil(xs.length * 0.9));
    return Number((s.reduce((a, b) => a + b, 0) / s.length).toFixed(1));
  };
  return Object.fromEntries(
    Object.entries(seg)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, trimmed(v)]),
  );
}

measure()
  .then((result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }))
  .catch((e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: String((e as Error)?.stack ?? e) }));
