/**
 * Cancel to capacity: a pool of one worker runs a CPU-bound `test.spin` (which calls
 * `throwIfCancelled` every 1,024 turns, or never: `check=0`); once it runs, it is aborted and a
 * `test.noop` submitted in the same moment. The figure is the time from the abort to the noop
 * starting in a worker (its start as the worker clocked it), 20 times over. Query: `check`
 * (1/0), `grace` (cancelGrace, ms), `spare` (warm spare workers), `reps`.
 */
import type { PoolOptions } from '../../src/index.ts';
import { createBenchPool } from './bench-pool.ts';

const q = new URLSearchParams(location.search);
const check = q.get('check') !== '0';
const reps = Number(q.get('reps') ?? 20);
const options: Partial<PoolOptions> = { size: 1 };
if (q.has('grace')) options.cancelGrace = Number(q.get('grace'));
if (q.has('spare')) options.spareWorkers = Number(q.get('spare'));

const spares = options.spareWorkers ?? 1;
const epoch = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

try {
  const pool = createBenchPool(options);
  await pool.run('test.noop', null);
  while (pool.stats().workers.spare < spares) await sleep(5);
  const ms: number[] = [];
  let respawned = 0;
  pool.addEventListener('worker', (e) => {
    if (e.change === 'retired') respawned++;
  });
  for (let i = 0; i < reps; i++) {
    const ac = new AbortController();
    const spin = pool.submit('test.spin', { ms: 20_000, checkSignal: check }, { signal: ac.signal });
    while (spin.record.state !== 'running') await sleep(5);
    await sleep(50); // well inside the op's loop
    const t0 = epoch();
    ac.abort();
    const next = pool.submit('test.noop', null);
    await spin.result.catch(() => undefined);
    await next.result;
    ms.push(next.record.startedAt! - t0);
    // Each round starts alike: the replacement booted, and the spare (if any) ready again.
    await pool.run('test.noop', null);
    while (pool.stats().workers.spare < spares) await sleep(5);
  }
  const replaced = respawned;
  await pool.terminate();
  const sorted = [...ms].sort((a, b) => a - b);
  (globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = {
    result: { isolated: crossOriginIsolated, check, median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1], ms, respawned: replaced },
  };
} catch (e) {
  (globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
