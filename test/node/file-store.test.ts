/**
 * The Node file store keeps every value a task hands on exactly as the browser's IndexedDB store
 * (structured clone) does: a number that JSON cannot say (-0, NaN, ±Infinity), a bigint, an
 * undefined, typed arrays of each kind. A -0 lost on the way turned into a different sign of zero
 * in a NIfTI header written by the next Slurm job (an LPS-to-RAS flip of +0 gives -0).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileWorkflowStore } from '../../src/node/file-store.ts';

let root: string | null = null;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = null;
});

const workflow = { id: 'wf1', name: 'values', mode: 'parallel' as const, state: 'running' as const, createdAt: 1, updatedAt: 1, tasks: 1 };

describe('FileWorkflowStore', () => {
  it('gives back every stored number as it was: -0, NaN, Infinity, -Infinity, bigints and typed arrays', async () => {
    root = await mkdtemp(join(tmpdir(), 'voxpool-store-'));
    const store = new FileWorkflowStore(root);
    const value = {
      direction: [-0, 0, 1, -1],
      odd: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MIN_VALUE, -Number.MAX_VALUE],
      nested: { zero: -0, none: undefined, big: 2n ** 70n },
      spacing: new Float64Array([-0, 0.5, Number.NaN]),
      labels: new Int16Array([-32768, 0, 32767]),
    };
    await store.write({ workflow, tasks: [], logs: [], results: [{ wf: 'wf1', task: 1, value }], dropResults: [] });
    const loaded = await store.load('wf1');
    const back = loaded!.results[0]!.value as typeof value;
    expect(Object.is(back.direction[0], -0)).toBe(true);
    expect(Object.is(back.direction[1], 0)).toBe(true);
    expect(Object.is(back.nested.zero, -0)).toBe(true);
    expect(back.odd).toEqual(value.odd);
    expect(back.nested.big).toBe(2n ** 70n);
    expect('none' in back.nested && back.nested.none === undefined).toBe(true);
    expect(back.spacing).toBeInstanceOf(Float64Array);
    expect(Object.is(back.spacing[0], -0)).toBe(true);
    expect(Number.isNaN(back.spacing[2])).toBe(true);
    expect([...back.labels]).toEqual([-32768, 0, 32767]);
  });
});
