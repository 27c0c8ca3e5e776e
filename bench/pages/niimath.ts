/**
 * Each niimath op on the 256 x 256 x 130 int16 head phantom, one worker, engine already
 * instantiated (a warm-up task first); a fresh copy of the volume per run. Times are the
 * worker's own (start to end of the task) and the page's (submit to result).
 */
import { createPool } from '../../src/index.ts';
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import type { Volume } from '../../src/data/volume.ts';

const runs = Number(new URLSearchParams(location.search).get('runs')) || 3;
const phantom = makeHeadPhantom();
const copy = (v: Volume): Volume => ({ ...v, data: v.data.slice() });

async function main(): Promise<unknown> {
  const pool = createPool({ size: 1 });
  const mask = await pool.run('volume.binarize', { volume: copy(phantom), lower: 450, upper: 2000 });
  const cases: [string, () => { result: Promise<unknown>; record: { startedAt: number | null; endedAt: number | null } }][] = [
    ['volume.gaussian sigma 2 mm', () => pool.submit('volume.gaussian', { volume: copy(phantom), sigma: 2 })],
    ['volume.threshold [450, 2000], background 0', () => pool.submit('volume.threshold', { volume: copy(phantom), lower: 450, upper: 2000 })],
    [
      'volume.threshold [-100, 300], background -1 (0 inside: 2 masks + background)',
      () => pool.submit('volume.threshold', { volume: copy(phantom), lower: -100, upper: 300, background: -1 }),
    ],
    ['volume.binarize [450, 2000]', () => pool.submit('volume.binarize', { volume: copy(phantom), lower: 450, upper: 2000 })],
    ['volume.components 26 (of the binarized phantom)', () => pool.submit('volume.components', { volume: copy(mask), connectivity: 26 })],
    ['volume.isosurface 450', () => pool.submit('volume.isosurface', { volume: copy(phantom), isovalue: 450 })],
  ];
  const rows = [];
  for (const [label, run] of cases) {
    const worker: number[] = [];
    const page: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const task = run();
      await task.result;
      page.push(performance.now() - t0);
      worker.push(task.record.endedAt! - task.record.startedAt!);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    rows.push({
      op: label,
      'worker ms (median)': median(worker),
      'page ms (median)': median(page),
      'worker ms (all)': worker.map((x) => x.toFixed(0)).join(', '),
    });
  }
  await pool.terminate();
  return { rows };
}

main().then(
  (result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }),
  (e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: String(e) }),
);
