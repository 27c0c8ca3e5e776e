/**
 * What a split spends memory on: slabs compute and return only their own slices (outputSlices),
 * an in-place split writes over the caller's array and only once every slab succeeded, and slab
 * buffers kept from one split carry nothing of it into the next.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPool, InputError, Pool, SlabBuffers, slabBuffersOf, splitVolume, type BuiltinOps, type OpRegistry } from '../../src/index.ts';
import type { Volume } from '../../src/data/volume.ts';
import { noisyVolume, splitTestPool } from './support.ts';

let pool: Pool<OpRegistry> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

function builtinPool(size: number): Pool<BuiltinOps> {
  const p = createPool({ size });
  pool = p as unknown as Pool<OpRegistry>;
  return p;
}

/** Slices [k0, k1) of a volume's voxels. */
function slices(v: Volume, k0: number, k1: number): number[] {
  const slice = v.dimensions[0] * v.dimensions[1];
  return [...v.data.subarray(k0 * slice, k1 * slice)];
}

/** An oblique, anisotropic volume (rotated about i): a moved origin must follow the direction's k axis. */
function oblique(v: Volume): Volume {
  const c = Math.cos(0.3);
  const s = Math.sin(0.3);
  return { ...v, spacing: [0.9, 1.1, 2.5], origin: [10, -4, 7], direction: [1, 0, 0, 0, c, s, 0, -s, c] };
}

describe('outputSlices: a kernel op computes only the slices asked for', () => {
  it('gives exactly those slices of the whole result, placed where they sit, for the Gaussian, the median and opening', async () => {
    const p = builtinPool(1);
    const volume = oblique(noisyVolume([14, 12, 20], 'int16', 3));
    const d = volume.direction;
    const cases = [
      { op: 'volume.gaussianVtk', params: { std: 1.5, radiusFactor: 2 } },
      { op: 'volume.median', params: { kernelSize: [3, 3, 5] } },
      { op: 'volume.open', params: { radius: [1, 1, 2], shape: 'ball' } },
    ] as const;
    for (const { op, params } of cases) {
      const whole = (await p.run(op as 'volume.median', { ...params, volume } as never, { input: 'copy' })) as Volume;
      for (const [k0, k1] of [
        [0, 20],
        [0, 1],
        [5, 13],
        [19, 20],
      ] as [number, number][]) {
        const part = (await p.run(op as 'volume.median', { ...params, volume, outputSlices: [k0, k1] } as never, { input: 'copy' })) as Volume;
        expect(part.dimensions, `${op} [${k0}, ${k1})`).toEqual([14, 12, k1 - k0]);
        expect(slices(part, 0, k1 - k0), `${op} [${k0}, ${k1})`).toEqual(slices(whole, k0, k1));
        const step = volume.spacing[2] * k0;
        part.origin.forEach((x, a) => expect(x).toBeCloseTo(volume.origin[a]! + step * d[6 + a]!, 9));
        expect(part.spacing).toEqual(volume.spacing);
        expect(part.direction).toEqual(volume.direction);
        expect(part.data).toBeInstanceOf(Int16Array);
      }
    }
  });

  it('refuses slice ranges that are not within the volume, naming input.outputSlices', async () => {
    const p = builtinPool(1);
    const volume = noisyVolume([6, 5, 8], 'uint8', 2);
    for (const outputSlices of [[3, 3], [-1, 4], [2, 9], [1.5, 4], [4, 2], 'all', [1]]) {
      const error = await p.run('volume.median', { volume, outputSlices: outputSlices as [number, number] }, { input: 'copy' }).catch((e: unknown) => e);
      expect(error, JSON.stringify(outputSlices)).toBeInstanceOf(InputError);
      expect((error as InputError).input).toBe('input.outputSlices');
    }
    // The pool goes on.
    expect((await p.run('volume.median', { volume }, { input: 'copy' })).dimensions).toEqual([6, 5, 8]);
  });
});

describe('splitVolume: in place', () => {
  it("writes the result over the caller's own array, equal to the unsplit filter", async () => {
    const p = builtinPool(2);
    const volume = noisyVolume([17, 15, 26], 'int16', 9);
    const whole = await p.run('volume.gaussianVtk', { volume, std: 1, radiusFactor: 3 }, { input: 'copy' });
    const data = volume.data;
    const out = await splitVolume(p, 'volume.gaussianVtk', { volume, std: 1, radiusFactor: 3 }, { slabs: 4, inPlace: true });
    expect(out.data).toBe(data);
    expect(out).toEqual({ ...whole, name: out.name });
  });

  it('leaves the input untouched when a slab fails', async () => {
    const p = splitTestPool(2);
    pool = p as unknown as Pool<OpRegistry>;
    const volume = noisyVolume([9, 8, 24], 'int16', 5);
    volume.data[9 * 8 * 20] = 4321; // in the last slab only
    const before = [...volume.data];
    const error = await splitVolume(p, 'splitTest.negate', { volume, poison: 4321 }, { slabs: 4, reach: 0, inPlace: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain('poison');
    await p.idle();
    expect([...volume.data]).toEqual(before);
  });

  it('refuses a volume in a SharedArrayBuffer, which other threads may be reading', async () => {
    expect(crossOriginIsolated).toBe(true); // the test server sends COOP/COEP
    const p = builtinPool(2);
    const volume = noisyVolume([6, 6, 8], 'int16', 1);
    const shared = new Int16Array(new SharedArrayBuffer(volume.data.byteLength));
    shared.set(volume.data);
    const error = await splitVolume(p, 'volume.median', { volume: { ...volume, data: shared } }, { inPlace: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('options.inPlace');
    // Into a new volume, the shared one is fine, and left as it was.
    const whole = await p.run('volume.median', { volume }, { input: 'copy' });
    const out = await splitVolume(p, 'volume.median', { volume: { ...volume, data: shared } });
    expect([...shared]).toEqual([...volume.data]);
    expect(out).toEqual({ ...whole, name: out.name });
    // A kernel handed shared voxels (the worker sees the page's own memory) writes its output elsewhere.
    const direct = await p.run('volume.median', { volume: { ...volume, data: shared } });
    expect([...shared]).toEqual([...volume.data]);
    expect(direct.data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect([...direct.data]).toEqual([...whole.data]);
  });
});

describe('splitVolume: slab buffers kept between splits', () => {
  it('reuses the buffers of one split for the next, and nothing of the first volume leaks into the second', async () => {
    const p = builtinPool(2);
    const store = slabBuffersOf(p);
    const a = noisyVolume([20, 18, 30], 'int16', 11);
    const b = noisyVolume([20, 18, 30], 'int16', 12);
    await splitVolume(p, 'volume.median', { volume: a }, { slabs: 4 });
    const kept = store.bytes;
    expect(kept).toBeGreaterThanOrEqual(a.data.byteLength); // the four slabs, with their halos
    const wholeB = await p.run('volume.median', { volume: b }, { input: 'copy' });
    const splitB = await splitVolume(p, 'volume.median', { volume: b }, { slabs: 4 });
    expect(splitB).toEqual({ ...wholeB, name: splitB.name });
    // A smaller volume takes smaller slabs; a split that keeps nothing leaves the store alone.
    const c = noisyVolume([20, 18, 12], 'int16', 13);
    const wholeC = await p.run('volume.median', { volume: c }, { input: 'copy' });
    const before = store.bytes;
    const splitC = await splitVolume(p, 'volume.median', { volume: c }, { slabs: 3, reuseBuffers: false });
    expect(splitC).toEqual({ ...wholeC, name: splitC.name });
    expect(store.bytes).toBe(before);
  });
});

describe('SlabBuffers', () => {
  it('gives back the smallest kept buffer that fits and is less than twice the size, once', () => {
    const store = new SlabBuffers({ maxBytes: 1000 });
    const [small, mid, big] = [new ArrayBuffer(100), new ArrayBuffer(300), new ArrayBuffer(500)];
    store.give(big);
    store.give(small);
    store.give(mid);
    expect(store.bytes).toBe(900);
    expect(store.take(260)).toBe(mid);
    expect(store.take(260)).toBe(big);
    expect(store.take(260)).toBeNull(); // only `small` is left, too small
    expect(store.take(40)).toBeNull(); // `small` is more than twice 40
    expect(store.take(60)).toBe(small);
    expect(store.bytes).toBe(0);
    store.clear();
  });

  it('keeps at most maxBytes, the oldest going first, and lets everything go when idle', async () => {
    const store = new SlabBuffers({ maxBytes: 1000, idleMs: 50 });
    const first = new ArrayBuffer(600);
    store.give(first);
    store.give(new ArrayBuffer(600));
    expect(store.bytes).toBe(600);
    expect(store.take(600)).not.toBe(first);
    store.give(new ArrayBuffer(2000)); // bigger than the store: not kept
    expect(store.bytes).toBe(0);
    store.give(new ArrayBuffer(400));
    expect(store.bytes).toBe(400);
    await new Promise((r) => setTimeout(r, 200));
    expect(store.bytes).toBe(0);
  });
});
