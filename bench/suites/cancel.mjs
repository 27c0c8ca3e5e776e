/**
 * Cancel to capacity (issue 12): from aborting a running CPU-bound task to the next task starting
 * on a pool of one worker, 20 cancels per page, for an op that checks for cancellation
 * (`throwIfCancelled`) and one that never does, on a cross-origin isolated page and on one that
 * is not, with the pool's defaults. BENCH_CANCEL_CONFIGS='grace=100;grace=100&spare=1' adds
 * other pool options (each a query string) to compare.
 */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(ctx) {
  const configs = ['', ...(process.env.BENCH_CANCEL_CONFIGS ?? '').split(';').filter(Boolean)];
  const rows = [];
  const raw = [];
  for (const config of configs) {
    for (const isolated of [true, false]) {
      for (const check of [true, false]) {
        const passes = [];
        for (let p = 0; p < ctx.passes; p++) {
          const query = { ...Object.fromEntries(new URLSearchParams(config)), check: check ? '1' : '0', ...(isolated ? {} : { noisolate: '1' }) };
          const r = await ctx.openPage('cancel', query);
          if (r.isolated !== isolated) throw new Error(`page isolation was ${r.isolated}, wanted ${isolated}`);
          passes.push(r);
          ctx.log(
            `${config || 'defaults'} isolated=${isolated} check=${check} pass ${p + 1}: median ${r.median.toFixed(0)} ms, max ${r.max.toFixed(0)} ms, ${r.respawned} workers replaced`,
          );
        }
        raw.push({ config, isolated, check, passes });
        rows.push({
          options: config || 'defaults',
          page: isolated ? 'cross-origin isolated' : 'not isolated',
          op: check ? 'checks (throwIfCancelled)' : 'never checks',
          'median ms': median(passes.map((p) => p.median)),
          'max ms': Math.max(...passes.map((p) => p.max)),
          'workers replaced (of 20)': median(passes.map((p) => p.respawned)),
        });
      }
    }
  }
  const notes = [
    "From `abort()` on the page to the next task starting in a worker (the worker's own start time), pool of one worker, 20 cancels per page, a fresh browser per page; median of the pages' medians, max over all cancels.",
    'Goal: at most 100 ms for an op that checks, at most 300 ms for one that never does.',
  ];
  return { title: 'voxpool cancel-to-capacity benchmark', rows, notes, raw };
}
