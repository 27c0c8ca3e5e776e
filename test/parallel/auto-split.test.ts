import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, MIN_SPLIT_WORK, splitWork, TaskEvent, type Pool, type TaskRecord } from '../../src/index.ts';
import { createTestPool, openGate, type TestOps } from '../fixtures/pool.ts';
import { gaussianVtkReference } from '../kernels/reference/gaussian.ts';
import { noisyVolume } from './support.ts';

let pool: Pool<TestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

/** Records of every task the pool ran, as they settled. */
function settled(p: Pool<TestOps>): TaskRecord[] {
  const out: TaskRecord[] = [];
  p.addEventListener('task', (e: TaskEvent) => {
    if (e.change === 'done' || e.change === 'failed' || e.change === 'cancelled') out.push({ ...e.record });
  });
  return out;
}

// 128 x 128 x 64 voxels: a Gaussian of radius factor 5 (halo 10) is work enough to split.
const DIMS: [number, number, number] = [128, 128, 64];

describe("split: 'auto'", () => {
  it('a long filter on an idle pool runs split across the idle workers, equal voxel for voxel to the unsplit run', async () => {
    pool = createTestPool({ size: 2 });
    await pool.warm();
    const volume = noisyVolume(DIMS, 'int16', 11);
    expect(splitWork('volume.gaussianVtk', { volume, std: 2, radiusFactor: 5 })).toBeGreaterThanOrEqual(MIN_SPLIT_WORK);
    const whole = await pool.run('volume.gaussianVtk', { volume, std: 2, radiusFactor: 5 }, { input: 'copy' });
    const log = settled(pool);
    const handle = pool.submit('volume.gaussianVtk', { volume, std: 2, radiusFactor: 5 }, { input: 'copy', split: 'auto', label: 'big' });
    const split = await handle.result;
    expect(split).toEqual(whole);
    expect([...split.data]).toEqual([...gaussianVtkReference(volume.data, volume.dimensions, 2, 5)]);
    // It ran as parts, one per idle worker, on both workers; the task itself held no worker.
    const parts = log.filter((r) => r.label.startsWith('big '));
    expect(parts.map((r) => r.label).sort()).toEqual(['big 1/2', 'big 2/2']);
    expect(parts.every((r) => r.state === 'done')).toBe(true);
    expect(new Set(parts.map((r) => r.workerId)).size).toBe(2);
    expect(handle.record.state).toBe('done');
    expect(handle.record.workerId).toBeNull();
    expect(log.at(-1)!.id).toBe(handle.id);
  });

  it('moved in (the default), the input is the pool’s: the result is written over it, and still equal', async () => {
    pool = createTestPool({ size: 2 });
    await pool.warm();
    const volume = noisyVolume(DIMS, 'uint8', 5);
    const whole = await pool.run('volume.gaussianVtk', { volume, std: 1.5, radiusFactor: 6 }, { input: 'copy' });
    const log = settled(pool);
    const mine = { ...volume, data: volume.data.slice() };
    const split = await pool.run('volume.gaussianVtk', { volume: mine, std: 1.5, radiusFactor: 6 }, { split: 'auto', label: 'moved' });
    expect(mine.data.byteLength).toBe(0); // moved at submit, as every task's input
    expect(split).toEqual(whole);
    expect(log.filter((r) => r.label.startsWith('moved ')).length).toBe(2);
  });

  it('runs whole when no other worker is idle, when the filter is short, or without the option', async () => {
    pool = createTestPool({ size: 2 });
    await pool.warm();
    const volume = noisyVolume(DIMS, 'int16', 3);
    const log = settled(pool);
    // One worker held by a task that waits for the test: only one is idle.
    const gate = pool.submit('fixture.gate', { gate: 'auto-split-busy' });
    const busy = await pool.run('volume.gaussianVtk', { volume, std: 2, radiusFactor: 5 }, { input: 'copy', split: 'auto', label: 'busy' });
    await openGate('auto-split-busy', gate.result);
    // Radius factor 0 reads no neighbour (a copy): never worth a split.
    expect(splitWork('volume.gaussianVtk', { volume, std: 2, radiusFactor: 0 })).toBeLessThan(MIN_SPLIT_WORK);
    await pool.run('volume.gaussianVtk', { volume, std: 2, radiusFactor: 0 }, { input: 'copy', split: 'auto', label: 'short' });
    // A small volume: the slabs' copies would cost what the split saves.
    const small = noisyVolume([40, 40, 40], 'int16', 3);
    expect(splitWork('volume.gaussianVtk', { volume: small, std: 2, radiusFactor: 5 })).toBeLessThan(MIN_SPLIT_WORK);
    await pool.run('volume.gaussianVtk', { volume: small, std: 2, radiusFactor: 5 }, { input: 'copy', split: 'auto', label: 'small' });
    // No option: whole, as always.
    await pool.run('volume.gaussianVtk', { volume, std: 2, radiusFactor: 5 }, { input: 'copy', label: 'plain' });
    for (const label of ['busy', 'short', 'small', 'plain']) {
      const runs = log.filter((r) => r.label === label || r.label.startsWith(`${label} `));
      expect(
        runs.map((r) => r.label),
        label,
      ).toEqual([label]);
      expect(runs[0]!.workerId, label).not.toBeNull();
    }
    // Ops without a known reach, and bad parameters, are not split either (the worker reports the latter).
    expect(splitWork('test.echo', { volume })).toBeNull();
    expect(splitWork('volume.gaussianVtk', { volume, std: -1, radiusFactor: 5 })).toBeNull();
    await expect(pool.run('volume.gaussianVtk', { volume, std: -1, radiusFactor: 5 }, { input: 'copy', split: 'auto' })).rejects.toThrow(/std/);
    expect(busy.dimensions).toEqual(DIMS);
  });

  it('cancelling a task that runs split cancels its parts, and the pool settles everything', async () => {
    pool = createTestPool({ size: 2 });
    await pool.warm();
    const volume = noisyVolume([128, 128, 96], 'int16', 9);
    const log = settled(pool);
    let parts = 0;
    pool.addEventListener('task', (e: TaskEvent) => {
      if (e.change === 'queued' && e.record.label.startsWith('cut ')) parts++;
    });
    const handle = pool.submit('volume.gaussianVtk', { volume, std: 2, radiusFactor: 10 }, { input: 'copy', split: 'auto', label: 'cut' });
    await null; // dispatched: running split, its first part queued
    expect(handle.record.state).toBe('running');
    expect(parts).toBeGreaterThanOrEqual(1);
    handle.cancel('no more');
    await expect(handle.result).rejects.toBeInstanceOf(CancelledError);
    await pool.idle();
    const partRecords = log.filter((r) => r.label.startsWith('cut '));
    expect(partRecords.length).toBe(parts);
    for (const r of partRecords) expect(['cancelled', 'done']).toContain(r.state);
    expect(partRecords.some((r) => r.state === 'cancelled')).toBe(true);
    expect(pool.stats().running).toBe(0);
    expect(pool.stats().queued).toBe(0);
    // The pool goes on.
    expect(await pool.run('test.echo', 1)).toBe(1);
  });

  it('cuts a long filter unevenly when another worker is still busy: the idle worker takes the bigger part', async () => {
    pool = createTestPool({ size: 2 });
    await pool.warm();
    const volume = noisyVolume(DIMS, 'int16', 21);
    const long = { volume, std: 2, radiusFactor: 8 };
    // A whole run first: the pool forecasts a task by its own earlier time.
    const first = pool.submit('volume.gaussianVtk', long, { input: 'copy' });
    const whole = await first.result;
    const longMs = first.record.endedAt! - first.record.startedAt!;
    // The other worker will be busy a third of that (a sleep: its time does not move with load),
    // so the forecast says: cut about 2/3 for the idle worker, 1/3 for the busy one after.
    const sleep = { ms: Math.max(5, Math.round(longMs / 3)) };
    await pool.run('test.sleep', sleep);
    const log = settled(pool);
    // Queued in one turn: the sleep takes one worker, the filter finds the other idle.
    const busy = pool.submit('test.sleep', sleep, { label: 'busy' });
    const split = await pool.run('volume.gaussianVtk', long, { input: 'copy', split: 'auto', label: 'long' });
    await busy.result;
    expect(split).toEqual(whole);
    const parts = log.filter((r) => r.label.startsWith('long '));
    expect(parts.map((r) => r.label).sort()).toEqual(['long 1/2', 'long 2/2']);
    const [big, small] = ['long 1/2', 'long 2/2'].map((label) => parts.find((r) => r.label === label)!);
    // The first part (the idle worker's, sent at once) holds more slices than the second.
    expect(big!.bytesIn).toBeGreaterThan(small!.bytesIn);
    expect(big!.workerId).not.toBe(busy.record.workerId);
  });
});
