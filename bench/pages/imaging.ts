/**
 * One side of the imaging benchmark in a fresh browser; bench/suites/imaging.mjs interleaves them
 * with native VTK.
 *   mode=phantom            the 256 x 256 x 130 int16 head phantom, base64, for the native side
 *   mode=run&workers=N      the Slicer demo's five Gaussian smooths (std 2 voxels, radius factors
 *                           0, 5, 10, 15, 20) as five tasks on N workers; then one big filter,
 *                           split across the N workers (N > 1) or unsplit (N = 1);
 *                           &native=1 compares every output with native VTK's (native/*.raw)
 */
import { createPool, splitVolume, type BuiltinOps, type Pool } from '../../src/index.ts';
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import type { PixelArray, Volume } from '../../src/data/volume.ts';

const params = new URLSearchParams(location.search);
const mode = params.get('mode') ?? 'run';
const workers = Number(params.get('workers') ?? navigator.hardwareConcurrency);
const compareNative = params.get('native') === '1';
const RADIUS_FACTORS = [0, 5, 10, 15, 20];
/** The big filter whose slab split is measured: the demo's r = 5 smooth (halo 10 slices). */
const BIG_RADIUS_FACTOR = 5;

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function phantom(): Promise<object> {
  const v = makeHeadPhantom();
  const data = v.data as Int16Array;
  return { dimensions: v.dimensions, spacing: v.spacing, littleEndian: new Uint8Array(new Uint16Array([1]).buffer)[0] === 1, base64: base64(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
}

async function native(name: string): Promise<Int16Array | null> {
  const res = await fetch(`native/${name}`);
  return res.ok ? new Int16Array(await res.arrayBuffer()) : null;
}

function maxDiff(a: PixelArray, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const withData = (v: Volume): Volume => ({ ...v, data: v.data.slice() });

/** Runs `work` with every worker's code hot: the kernel is compiled and optimised before timing. */
async function warmUp(pool: Pool<BuiltinOps>): Promise<void> {
  const small = makeHeadPhantom({ dimensions: [96, 96, 48] });
  await Promise.all(Array.from({ length: pool.size * 2 }, (_, i) => pool.run('volume.gaussianVtk', { volume: withData(small), radiusFactor: 2 + i }, { priority: i })));
}

async function run(): Promise<object> {
  const volume = makeHeadPhantom();
  const pool = createPool({ size: workers });
  await pool.warm();
  await warmUp(pool);

  // Five filters, five tasks: widest kernels first, as the demo does, so the workers end together.
  const inputs = RADIUS_FACTORS.map(() => withData(volume));
  let t0 = performance.now();
  const outputs = await Promise.all(RADIUS_FACTORS.map((radiusFactor, i) => pool.run('volume.gaussianVtk', { volume: inputs[i]!, std: 2, radiusFactor }, { priority: radiusFactor, label: `rf ${radiusFactor}` })));
  const fiveMs = performance.now() - t0;
  const taskMs = Object.fromEntries(
    RADIUS_FACTORS.map((rf) => {
      const r = pool.tasks().find((t) => t.label === `rf ${rf}`)!;
      return [rf, r.endedAt! - r.startedAt!];
    }),
  );

  // One big filter: split across the workers, or unsplit on one.
  const big = withData(volume);
  t0 = performance.now();
  let slabs = 1;
  const bigOut = workers > 1
    ? await splitVolume(pool, 'volume.gaussianVtk', { volume: big, std: 2, radiusFactor: BIG_RADIUS_FACTOR }, { onPlan: (p) => (slabs = p.slabs.length) })
    : await pool.run('volume.gaussianVtk', { volume: big, std: 2, radiusFactor: BIG_RADIUS_FACTOR });
  const bigMs = performance.now() - t0;
  const bigIndex = RADIUS_FACTORS.indexOf(BIG_RADIUS_FACTOR);
  const bigEqualsFive = maxDiff(bigOut.data, outputs[bigIndex]!.data) === 0;

  const nativeMaxDiff: Record<string, number | null> = {};
  if (compareNative) {
    for (const [i, rf] of RADIUS_FACTORS.entries()) {
      const ref = await native(`gauss-rf${rf}.raw`);
      nativeMaxDiff[`gaussian rf ${rf}`] = ref ? maxDiff(outputs[i]!.data, ref) : null;
    }
  }
  await pool.terminate();
  return { workers, fiveMs, taskMs, big: { op: 'volume.gaussianVtk', radiusFactor: BIG_RADIUS_FACTOR, ms: bigMs, slabs, equalsUnsplit: bigEqualsFive }, nativeMaxDiff };
}

const modes: Record<string, () => Promise<object>> = { phantom, run };
modes[mode]!()
  .then((result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }))
  .catch((e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: String((e as Error)?.stack ?? e) }));
