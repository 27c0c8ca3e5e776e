/**
 * Own wasm kernels vs their TypeScript references on the head phantom (256 x 256 x 130 int16),
 * one worker. The references are slow (minutes in all), so they run in the first pass only;
 * the wasm figures are medians over all passes.
 */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(ctx) {
  const passes = [];
  for (let p = 0; p < ctx.passes; p++) {
    passes.push(await ctx.openPage('kernels', { ref: p === 0 ? '1' : '0' }));
    ctx.log(`pass ${p + 1}: ${passes[p].rows.map((r) => `${r.op} ${r.wasmMs.toFixed(0)} ms`).join(', ')}`);
  }
  const rows = passes[0].rows.map((r, i) => {
    const wasm = median(passes.map((p) => p.rows[i].wasmMs));
    return {
      op: r.op,
      'wasm ms (1 worker, with transfer)': wasm,
      'TS reference ms (page thread)': r.referenceMs,
      'TS / wasm': r.referenceMs / wasm,
      identical: r.identical ? 'yes' : 'NO',
    };
  });
  const notes = [
    'Same volume, same parameters; "identical" compares every voxel of the wasm output with the TypeScript reference (the test oracle).',
    'The wasm time includes moving the 17 MB volume to the worker and back; the reference runs on the page with no transfer.',
  ];
  return { title: 'voxpool own kernels (wasm/kernels/) vs TypeScript references', rows, notes, raw: passes };
}
