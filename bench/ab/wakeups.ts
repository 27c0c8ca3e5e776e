/**
 * One kind of awaited call, many times in a row, for a system-wide counter to divide by: the
 * pool (size from ?size=, spare from ?spare=, spin wait from ?spin= µs) or the raw echo worker (?mode=raw). The node
 * script records while the calls go on and reads how many were made meanwhile (`__n`).
 */
import { Pool } from '../../src/pool/pool.ts';

const q = new URLSearchParams(location.search);
const mode = q.get('mode') ?? 'pool';
const g = globalThis as { __ready?: boolean; __stop?: boolean; __n?: number; __done?: object };

const raw = new Worker(new URL('./raw.worker.ts', import.meta.url), { type: 'module' });
let answer: ((v: unknown) => void) | null = null;
raw.onmessage = (e: MessageEvent<unknown>) => answer!(e.data);
const rawCall = (): Promise<unknown> =>
  new Promise((resolve) => {
    answer = resolve;
    raw.postMessage({ id: 1, data: null });
  });
const pool = new Pool({
  size: Number(q.get('size') ?? 2),
  spareWorkers: Number(q.get('spare') ?? 0),
  ...(q.has('spin') ? { spinWait: Number(q.get('spin')) } : {}),
  worker: () => new Worker(new URL('./new.worker.ts', import.meta.url), { type: 'module' }),
});

async function main(): Promise<object> {
  await pool.warm();
  const call = mode === 'raw' ? rawCall : () => pool.run('test.noop', null);
  for (let i = 0; i < 3000; i++) await call();
  g.__n = 0;
  g.__ready = true;
  // Until told to stop: the node script counts the calls made while it records.
  while (!g.__stop) {
    await call();
    g.__n++;
  }
  return { mode };
}
main().then(
  (r) => (g.__done = r),
  (e: unknown) => (g.__done = { error: String(e) }),
);
