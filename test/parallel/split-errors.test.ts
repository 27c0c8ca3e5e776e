import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, createPool, InputError, Pool, SlabFailedError, splitVolume, type BuiltinOps, type OpRegistry } from '../../src/index.ts';
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import { noisyVolume, splitTestPool, type SplitTestOps } from './support.ts';

let pool: Pool<OpRegistry> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

/** A split-test pool that afterEach terminates. */
function trackedSplitPool(size: number): Pool<SplitTestOps> {
  const p = splitTestPool(size);
  pool = p as unknown as Pool<OpRegistry>;
  return p;
}

describe('splitVolume: cancel, failures, bad input', () => {
  it('an abort cancels every slab task, running and queued, and the pool goes on', async () => {
    const p = createPool({ size: 2 });
    pool = p as unknown as Pool<OpRegistry>;
    const volume = makeHeadPhantom({ dimensions: [160, 160, 96] });
    const controller = new AbortController();
    const running = new Promise<void>((resolve) => p.addEventListener('task', (e) => e.change === 'running' && resolve()));
    const split = splitVolume(p, 'volume.gaussianVtk', { volume, radiusFactor: 10 }, { slabs: 6, signal: controller.signal, label: 'big' });
    await running;
    controller.abort('user stop');
    const error = await split.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    await p.idle();
    const records = p.tasks().filter((r) => r.label.startsWith('big '));
    // Slabs are cut as the pool takes them (at most 2 per worker ahead): the ones sent are all cancelled, the rest never cut.
    expect(records.length).toBeGreaterThanOrEqual(2);
    expect(records.length).toBeLessThanOrEqual(4);
    expect(records.every((r) => r.state === 'cancelled')).toBe(true);
    // Still usable: a small split right after.
    const small = noisyVolume([8, 8, 6], 'int16', 1);
    const again = await splitVolume(p, 'volume.gaussianVtk', { volume: small, radiusFactor: 1 });
    expect(again).toEqual(await p.run('volume.gaussianVtk', { volume: small, radiusFactor: 1 }, { input: 'copy' }));
    // Already aborted: refused before anything is sent.
    const before = p.tasks().length;
    const late = await splitVolume(p, 'volume.gaussianVtk', { volume: small, radiusFactor: 1 }, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(CancelledError);
    expect(p.tasks().length).toBe(before);
  });

  it('an error in one slab rejects the whole, naming the slab and its slices, and cancels the rest', async () => {
    const p = trackedSplitPool(2);
    const volume = noisyVolume([30, 30, 40], 'int16', 2);
    volume.data[5 + 30 * (5 + 30 * 3)] = -999; // slice 3: the first of 8 slabs
    const error = await splitVolume(p, 'splitTest.negate', { volume, poison: -999 }, { slabs: 8, reach: 0, label: 'neg' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlabFailedError);
    const e = error as SlabFailedError;
    expect(e.slab).toBe(0);
    expect(e.slices).toEqual([0, 5]);
    expect(e.message).toMatch(/^splitTest\.negate failed on slab 1 of 8 \(slices 0\.\.4\): .*met the poison value -999/);
    await p.idle();
    const states = p
      .tasks()
      .filter((r) => r.label.startsWith('neg '))
      .map((r) => r.state);
    expect(states.filter((s) => s === 'failed')).toHaveLength(1);
    expect(states.filter((s) => s === 'cancelled').length).toBeGreaterThanOrEqual(1);
    expect(states.every((s) => s !== 'queued' && s !== 'running')).toBe(true);
    // Without the poison the same split works and equals the unsplit op.
    volume.data[5 + 30 * (5 + 30 * 3)] = 10;
    const ok = await splitVolume(p, 'splitTest.negate', { volume, poison: -999 }, { slabs: 8, reach: 0 });
    expect(ok).toEqual(await p.run('splitTest.negate', { volume, poison: -999 }, { input: 'copy' }));
  });

  it('a slab whose result has another grid fails the split clearly', async () => {
    const p = trackedSplitPool(2);
    const error = await splitVolume(p, 'splitTest.crop', { volume: noisyVolume([6, 6, 8], 'int16', 3) }, { slabs: 2, reach: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlabFailedError);
    expect((error as Error).message).toMatch(/the result's dimensions \(6 x 6 x 3\) are not the slab's \(6 x 6 x 4\)/);
  });

  it('refuses bad parameters, bad volumes and ops of unknown reach with InputErrors before any task is sent', async () => {
    const p = createPool({ size: 2 }) as Pool<BuiltinOps>;
    pool = p as unknown as Pool<OpRegistry>;
    const volume = noisyVolume([6, 6, 8], 'int16', 4);
    const refused = async (run: () => Promise<unknown>): Promise<InputError> => {
      const e = await run().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      return e as InputError;
    };
    expect((await refused(() => splitVolume(p, 'volume.gaussianVtk', { volume, radiusFactor: -1 }))).input).toBe('input.radiusFactor');
    expect((await refused(() => splitVolume(p, 'volume.gaussianVtk', { volume, std: Number.NaN, radiusFactor: 2 }))).input).toBe('input.std');
    const bad = { ...volume, dimensions: [6, 6, 9] as [number, number, number] };
    expect((await refused(() => splitVolume(p, 'volume.gaussianVtk', { volume: bad, radiusFactor: 2 }))).message).toMatch(
      /has 288 values but 6 x 6 x 9 x 1 needs 324/,
    );
    expect((await refused(() => splitVolume(p, 'volume.gaussianVtk', { volume, radiusFactor: 2 }, { slabs: 0 }))).input).toBe('options.slabs');
    expect((await refused(() => splitVolume(p, 'volume.gaussianVtk', { volume, radiusFactor: 2 }, { reach: 1.5 }))).input).toBe('options.reach');
    expect(p.tasks()).toHaveLength(0);
    // An op with no reach in the table (a mesh op is not a volume op, so go through a user registry).
    const q = trackedSplitPool(1);
    const unknown = await refused(() => splitVolume(q, 'splitTest.negate', { volume, poison: 0 }));
    expect(unknown.input).toBe('op');
    expect(unknown.message).toMatch(/splitTest\.negate has no known reach.*options\.reach/);
  });
});
