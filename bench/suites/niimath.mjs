/**
 * niimath ops on the 256 x 256 x 130 int16 head phantom, one worker, a fresh browser per pass;
 * medians of the per-pass medians.
 */
import os from 'node:os';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(ctx) {
  const loadBefore = os.loadavg()[0];
  const passes = [];
  for (let p = 0; p < ctx.passes; p++) {
    const out = await ctx.openPage('niimath', { runs: 3 });
    for (const r of out.rows) ctx.log(`pass ${p + 1} ${r.op}: ${r['worker ms (median)'].toFixed(0)} ms`);
    passes.push(out);
  }
  const rows = passes[0].rows.map((r, i) => ({
    op: r.op,
    'worker ms': median(passes.map((p) => p.rows[i]['worker ms (median)'])),
    'page ms': median(passes.map((p) => p.rows[i]['page ms (median)'])),
    'per pass (worker ms)': passes.map((p) => p.rows[i]['worker ms (median)'].toFixed(0)).join(', '),
  }));
  const notes = [
    // These machines are shared: a load far above the core count stretches every figure.
    `Load average (1 min) at start ${loadBefore.toFixed(1)}, at end ${os.loadavg()[0].toFixed(1)}, on ${os.cpus().length} cores: the lowest pass is the closest to an idle machine.`,
    'One worker, niimath instance already made; a fresh copy of the phantom per run, 3 runs per pass. Worker ms: the task on the worker (NIfTI written in memory, niimath, output read back); page ms adds the moves to and from the worker.',
    'Threshold with background 0 and binarize of a range without 0 are one niimath call; a range holding 0 (binarize) or a background other than 0 (threshold) takes 2-4 calls (masks, then the background added).',
  ];
  return { title: 'niimath ops on the head phantom (256 x 256 x 130 int16)', rows, notes, raw: passes };
}
