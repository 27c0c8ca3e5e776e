/**
 * The workflow benchmark (issue 3): scheduling overhead of a 1,000-task workflow of no-op tasks,
 * wide and deep, against the same tasks straight on the pool, in one page (alternated), a fresh
 * browser per pass; medians over passes of each pass's median ratio.
 */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(ctx) {
  const passes = [];
  for (let p = 0; p < ctx.passes; p++) {
    const r = await ctx.openPage('workflow', {});
    passes.push(r);
    ctx.log(
      `pass ${p + 1}: wide ${r.wide.ratio.toFixed(3)}x (stored ${r.wide.storedRatio.toFixed(2)}x), deep ${r.deep.ratio.toFixed(3)}x (stored ${r.deep.storedRatio.toFixed(2)}x)`,
    );
  }
  const m = (shape, key) => median(passes.map((p) => p[shape][key]));
  const rows = ['wide', 'deep'].flatMap((shape) => [
    { shape, run: 'pool, straight', 'ms (1,000 tasks)': m(shape, 'poolMs'), 'x pool': 1, 'µs/task over pool': 0 },
    { shape, run: 'workflow, no store', 'ms (1,000 tasks)': m(shape, 'wfMs'), 'x pool': m(shape, 'ratio'), 'µs/task over pool': m(shape, 'overheadUsPerTask') },
    {
      shape,
      run: 'workflow, IndexedDB store (to last result)',
      'ms (1,000 tasks)': m(shape, 'storedMs'),
      'x pool': m(shape, 'storedRatio'),
      'µs/task over pool': m(shape, 'storedOverheadUsPerTask'),
    },
    {
      shape,
      run: 'workflow, IndexedDB store (to last write)',
      'ms (1,000 tasks)': m(shape, 'storedWrittenMs'),
      'x pool': m(shape, 'storedWrittenRatio'),
      'µs/task over pool': '',
    },
  ]);
  const wide = m('wide', 'ratio');
  const notes = [
    `Goal: under 10% scheduling overhead for the wide shape without a store: ${((wide - 1) * 100).toFixed(1)}%, ${wide < 1.1 ? 'met' : 'NOT met'}.`,
    `Each pass is one fresh browser running per shape ${passes[0].reps} pairs of pool and workflow without a store (order alternating), then ${Math.ceil(passes[0].reps / 2)} pairs of pool and workflow with the IndexedDB store (${passes[0].workers} workers); ratios are taken per repetition, then the median within the pass, then the median over passes. Per pass, wide: ${passes.map((p) => p.wide.ratio.toFixed(3)).join(', ')}; deep: ${passes.map((p) => p.deep.ratio.toFixed(3)).join(', ')}.`,
    `Fastest run against fastest run (what each costs when nothing else on the machine got in the way), median over passes: wide ${m('wide', 'bestRatio').toFixed(3)}x, deep ${m('deep', 'bestRatio').toFixed(3)}x.`,
    `Where the workflow's own time goes (median per pass, 1,000 tasks): the add loop ${median(passes.map((p) => p.phases.addMs)).toFixed(2)} ms, start() sending every task to the pool (pool.submit included) ${median(passes.map((p) => p.phases.startMs)).toFixed(2)} ms.`,
    'With the store, every task is two or three IndexedDB requests (definition, end state, result), each a message to the browser process in Chromium; writes trail the run (to last write) and take main-thread time from it (to last result).',
    'Deep: 1,000 tasks one after another, so the time is 1,000 round trips to a worker; the workflow adds its own step between one result and the next send.',
  ];
  return { title: 'voxpool workflow benchmark', rows, notes, raw: { passes } };
}
