/**
 * Own wasm kernels on the head phantom (256 x 256 x 130 int16): each op through a one-worker
 * pool (the wasm kernel, plus moving the volume both ways), and, with ref=1, the TypeScript
 * reference of the same op on this page's thread. Outputs are compared voxel for voxel.
 */
import { createPool } from '../../src/index.ts';
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import type { PixelArray, Vec3, Volume } from '../../src/data/volume.ts';
import { gaussianVtkReference } from '../../test/kernels/reference/gaussian.ts';
import { medianReference } from '../../test/kernels/reference/median.ts';
import { morphologyReference } from '../../test/kernels/reference/morphology.ts';

const withRef = new URLSearchParams(location.search).get('ref') === '1';

interface Case {
  name: string;
  wasm: (v: Volume) => Promise<Volume>;
  reference: (data: PixelArray, dims: Vec3) => PixelArray;
}

async function main() {
  const head = makeHeadPhantom();
  const pool = createPool({ size: 1 });
  const cases: Case[] = [
    ...[0, 5, 10, 15, 20].map((rf): Case => ({
      name: `gaussianVtk std 2 r=${rf}`,
      wasm: (volume) => pool.run('volume.gaussianVtk', { volume, std: 2, radiusFactor: rf }),
      reference: (d, dims) => gaussianVtkReference(d, dims, 2, rf),
    })),
    { name: 'median 3x3x3', wasm: (volume) => pool.run('volume.median', { volume }), reference: (d, dims) => medianReference(d, dims, [3, 3, 3]) },
    {
      name: 'dilate box r=1',
      wasm: (volume) => pool.run('volume.dilate', { volume, radius: 1 }),
      reference: (d, dims) => morphologyReference('dilate', d, dims, [1, 1, 1], 'box'),
    },
    {
      name: 'open ball r=2',
      wasm: (volume) => pool.run('volume.open', { volume, radius: 2, shape: 'ball' }),
      reference: (d, dims) => morphologyReference('open', d, dims, [2, 2, 2], 'ball'),
    },
  ];
  await pool.run('volume.median', { volume: { ...head, data: head.data.slice(0, 8), dimensions: [2, 2, 2] } }); // worker up, wasm instantiated
  const rows = [];
  for (const c of cases) {
    const t0 = performance.now();
    const out = await c.wasm({ ...head, data: head.data.slice() });
    const wasmMs = performance.now() - t0;
    let referenceMs: number | null = null;
    let identical: boolean | null = null;
    if (withRef) {
      const t1 = performance.now();
      const ref = c.reference(head.data, head.dimensions);
      referenceMs = performance.now() - t1;
      identical = ref.length === out.data.length && ref.every((v, i) => Object.is(v, out.data[i]));
    }
    rows.push({ op: c.name, wasmMs, referenceMs, identical });
  }
  await pool.terminate();
  return { rows };
}

main()
  .then((result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }))
  .catch((e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: String((e as Error)?.stack ?? e) }));
