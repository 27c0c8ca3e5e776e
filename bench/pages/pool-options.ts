/**
 * Pool options the imaging and native benchmark pages (and bench/ab/segments.ts) take from their query, so those suites can
 * be run with and without a feature under test: `BENCH_SPIN_US=0 npm run bench -- native` (bench/run.mjs adds
 * `spinWait=0` to each page's query) runs its pools without the spin wait.
 */
import type { PoolOptions } from '../../src/index.ts';

export function benchPoolOptions(): Pick<PoolOptions, 'spinWait'> {
  const spinWait = new URLSearchParams(location.search).get('spinWait');
  return spinWait === null ? {} : { spinWait: Number(spinWait) };
}
