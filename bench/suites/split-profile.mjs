/**
 * Where a slab split's time goes (bench/pages/imaging.ts, mode profile): the demo head's 3x3x3
 * median and Gaussian rf 5, each unsplit on 1 worker, two unsplit at once on N, and split in 2
 * and 4 slabs (into a new volume or in place, with fresh or kept slab buffers). Per run, the wall
 * time and each task's queued / started / ended times from its start, best round of each.
 * This is the profile behind the split's design (docs/architecture.md, "Slab splitting").
 */
import os from 'node:os';

export async function run(ctx) {
  const workers = os.availableParallelism?.() ?? os.cpus().length;
  const page = await ctx.openPage('imaging', { mode: 'profile', workers, rounds: 3 });
  const best = new Map();
  for (const r of page.runs) {
    const key = `${r.op}: ${r.how}`;
    if (!best.has(key) || r.wall < best.get(key).wall) best.set(key, r);
  }
  const rows = [...best.entries()].map(([measure, r]) => ({
    measure,
    'wall (ms)': r.wall,
    'tasks: queued / started / ended (ms from start)': r.tasks.map((t) => `${t.queued.toFixed(0)}/${t.started.toFixed(0)}/${t.ended.toFixed(0)}`).join(', '),
    'task run times (ms)': r.tasks.map((t) => (t.ended - t.started).toFixed(0)).join(', '),
  }));
  const m = page.memory;
  const notes = [
    `Command: \`npm run bench -- split-profile\`; ${workers} workers, best of 3 rounds per line, production build in headless Chromium.`,
    `Fresh memory on this machine: copying the ${m.megabytes.toFixed(1)} MB volume into a new array ${m.firstTouchMs.toFixed(1)} ms, into the same array again ${m.rewriteMs.toFixed(1)} ms.`,
    'A slab queued late was waiting for the page to cut it; a gap between the last end and the wall time is stitching.',
  ];
  return { title: 'voxpool split profile: where a slab split spends its time', rows, notes, raw: page };
}
