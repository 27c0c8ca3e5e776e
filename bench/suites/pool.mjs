/**
 * The pool benchmark (issue 2): tiny-task throughput and sequential latency of voxpool,
 * workerpool and poolifier-web-worker against a raw postMessage floor, interleaved in passes
 * with a fresh browser each; big-buffer round trips; CPU-bound speedup.
 */
const libs = ['raw', 'voxpool', 'workerpool', 'poolifier'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(ctx) {
  const passes = [];
  for (let p = 0; p < ctx.passes; p++) {
    const pass = {};
    for (const lib of libs) {
      pass[lib] = await ctx.openPage('pool', { lib, mode: 'tiny' });
      ctx.log(`pass ${p + 1} ${lib}: ${pass[lib].throughput.toFixed(0)} tasks/s, ${pass[lib].latencyUs.toFixed(0)} µs`);
    }
    passes.push(pass);
  }
  const ratio = (lib, key) => median(passes.map((pass) => pass[lib][key] / pass.raw[key]));
  const rows = libs.map((lib) => ({
    library: lib,
    'tasks/s (20,000 at once)': median(passes.map((pass) => pass[lib].throughput)),
    'x raw': ratio(lib, 'throughput'),
    'µs per awaited call (2,000)': median(passes.map((pass) => pass[lib].latencyUs)),
    'latency x raw': ratio(lib, 'latencyUs'),
  }));

  const buffers = [];
  for (let p = 0; p < ctx.passes; p++) buffers.push(await ctx.openPage('pool', { lib: 'voxpool', mode: 'buffers' }));
  const bufRows = buffers[0].rows.map((r, i) => {
    const transferMs = median(buffers.map((b) => b.rows[i].transferMs));
    const cloneMs = median(buffers.map((b) => b.rows[i].cloneMs));
    const rawTransferMs = median(buffers.map((b) => b.rows[i].rawTransferMs));
    return { mib: r.mib, transferMs, rawTransferMs, cloneMs };
  });
  const cpus = [];
  for (let p = 0; p < ctx.passes; p++) cpus.push(await ctx.openPage('pool', { lib: 'voxpool', mode: 'cpu' }));
  const speedup = median(cpus.map((c) => c.speedup));
  const workers = cpus[0].workers;

  const tp = (lib) => rows.find((r) => r.library === lib)['x raw'];
  const better = Math.max(tp('workerpool'), tp('poolifier'));
  const latency = rows.find((r) => r.library === 'voxpool')['latency x raw'];
  const t1 = bufRows.find((r) => r.mib === 1).transferMs;
  const t256 = bufRows.find((r) => r.mib === 256).transferMs;
  const goal = (ok) => (ok ? 'met' : 'NOT met');
  const notes = [
    `Throughput goal (>= 1.5x the better of workerpool and poolifier, per pass ratios to raw): ${(tp('voxpool') / better).toFixed(2)}x, ${goal(tp('voxpool') / better >= 1.5)}; and >= 0.8x raw: ${tp('voxpool').toFixed(2)}x, ${goal(tp('voxpool') >= 0.8)}.`,
    `Sequential latency goal (within 1.5x raw): ${latency.toFixed(2)}x, ${goal(latency <= 1.5)}.`,
    `Buffers, round trip, 1 worker (voxpool moving both ways; raw postMessage moving both ways; raw structured clone both ways): ` +
      bufRows
        .map(
          (r) =>
            `${r.mib} MiB: voxpool ${r.transferMs.toFixed(1)} ms moved, raw postMessage ${r.rawTransferMs.toFixed(1)} ms moved, ${r.cloneMs.toFixed(1)} ms cloned`,
        )
        .join('; ') +
      `. 256 MiB within 2x of 1 MiB: ${(t256 / t1).toFixed(2)}x, ${goal(t256 <= 2 * t1)}.`,
    `CPU-bound: 40 tasks of ~150 ms, ${workers} workers vs 1: speedup ${speedup.toFixed(2)} (goal >= ${(0.9 * workers).toFixed(1)}), ${goal(speedup >= 0.9 * workers)}; per pass: ${cpus.map((c) => c.speedup.toFixed(2)).join(', ')}.`,
  ];
  return { title: 'voxpool pool benchmark', rows, notes, raw: { passes, buffers, cpus, bufRows } };
}
