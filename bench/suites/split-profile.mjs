/**
 * Where a slab split's time goes (bench/pages/imaging.ts, mode profile): the demo head's 3x3x3
 * median and Gaussian rf 5, each unsplit on 1 worker, two unsplit at once on N, and split in 2
 * and 4 slabs (into a new volume or in place, with fresh or kept slab buffers). Per run, the wall
 * time and each task's queued / started / ended times from its start.
 * This is the profile behind the split's design (docs/architecture.md, "Slab splitting").
 */
import os from 'node:os';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(ctx) {
  const workers = os.availableParallelism?.() ?? os.cpus().length;
  // Per pass (a fresh browser), the best of 3 rounds of each line; then the pass with the median wall time.
  const passes = [];
  for (let p = 0; p < ctx.passes; p++) {
    const page = await ctx.openPage('imaging', { mode: 'profile', workers, rounds: 3 });
    const best = new Map();
    for (const r of page.runs) {
      const key = `${r.op}: ${r.how}`;
      if (!best.has(key) || r.wall < best.get(key).wall) best.set(key, r);
    }
    passes.push({ best, memory: page.memory });
    ctx.log(`pass ${p + 1}: ${best.size} lines`);
  }
  const rows = [...passes[0].best.keys()].map((measure) => {
    const runs = passes.map((p) => p.best.get(measure)).sort((a, b) => a.wall - b.wall);
    const r = runs[Math.floor(runs.length / 2)];
    return {
      measure,
      'wall (ms)': r.wall,
      'tasks: queued / started / ended (ms from start)': r.tasks.map((t) => `${t.queued.toFixed(0)}/${t.started.toFixed(0)}/${t.ended.toFixed(0)}`).join(', '),
      'task run times (ms)': r.tasks.map((t) => (t.ended - t.started).toFixed(0)).join(', '),
    };
  });
  const notes = [
    `Command: \`npm run bench -- split-profile\`; ${workers} workers, production build in headless Chromium. Each line: the best of 3 rounds in a page, then the median page of ${ctx.passes} (its task times with it).`,
    `Fresh memory on this machine: copying the ${passes[0].memory.megabytes.toFixed(1)} MB volume into a new array ${median(passes.map((p) => p.memory.firstTouchMs)).toFixed(1)} ms, into the same array again ${median(passes.map((p) => p.memory.rewriteMs)).toFixed(1)} ms (medians over passes).`,
    'A slab queued late was waiting for the page to cut it; a gap between the last end and the wall time is stitching.',
  ];
  return {
    title: 'voxpool split profile: where a slab split spends its time',
    rows,
    notes,
    raw: passes.map((p) => ({ memory: p.memory, runs: Object.fromEntries(p.best) })),
  };
}
