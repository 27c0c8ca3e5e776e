/**
 * Every operation the page offers runs for real with its default parameters, through the same
 * input and output mapping the page uses, on the built-in pool; and the page's split option
 * cuts one run into slab tasks whose stitched result equals the unsplit one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/index.ts';
import type { Pool } from '../../src/pool/pool.ts';
import type { OpRegistry } from '../../src/core/op.ts';
import { CATALOG, inputFor, outputOf } from '../../src/ui/catalog.ts';
import { parseValues } from '../../src/ui/sweep.ts';
import { checkMesh, checkVolume } from '../../src/data/validate.ts';
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import { makeSphere } from '../../src/scene/scene.ts';
import type { Volume } from '../../src/data/volume.ts';
import type { Mesh } from '../../src/data/mesh.ts';
import '../../src/ui/app.ts'; // defines <voxpool-app>
import { appMounter, shadow, until } from './support.ts';

const pool = createPool() as unknown as Pool<OpRegistry>;
afterAll(() => pool.terminate());

const head = makeHeadPhantom({ dimensions: [48, 44, 30], spacing: [1.1, 1, 1.3], seed: 3 });
const sphere = makeSphere(10, 24, 24);

describe('the page catalogue', () => {
  it.each(CATALOG.map((op) => [op.op, op] as const))('%s runs with its default parameters', async (_name, op) => {
    const data: Volume | Mesh = op.accepts === 'volume' ? head : sphere;
    const params = Object.fromEntries(op.params.map((p) => [p.name, parseValues(p.label, p.default)[0]!]));
    const output = await pool.run(op.op, inputFor(op, data, params) as never, { input: 'copy', label: op.op });
    const result = outputOf(op, output, data);
    if (op.gives === 'volume') {
      checkVolume(result as Volume, op.op);
      expect((result as Volume).spacing.length).toBe(3);
    } else {
      checkMesh(result as Mesh, op.op);
      expect((result as Mesh).points.length).toBeGreaterThan(0);
    }
  });
});

const mount = appMounter();

describe('the split option', () => {
  it('runs a filter as slab tasks on every worker, and the stitched result equals the unsplit one', async () => {
    const app = await mount();
    await app.addDataset('volume', { ...head, name: 'small head' });
    app.chooseOperation('volume.median', { size: '3' });
    await app.updateComplete;
    const box = await until(() => shadow(app).querySelector<HTMLInputElement>('.op-form input[type="checkbox"]'), 5000, 'split option');
    box.click();
    await app.updateComplete;
    const appPool = app.pool!;
    await appPool.warm(); // every worker up, so the slabs spread whatever the machine's load
    const before = appPool.tasks().length;
    await app.runOperation();
    const slabTasks = appPool
      .tasks()
      .slice(before)
      .filter((t) => t.op === 'volume.median');
    expect(slabTasks.length).toBeGreaterThanOrEqual(appPool.size);
    expect(new Set(slabTasks.map((t) => t.workerId)).size).toBe(Math.min(appPool.size, slabTasks.length));
    const names = [...shadow(app).querySelectorAll('.entry label')].map((l) => l.textContent!.replace(/\s+/g, ' ').trim());
    expect(names).toContain('volume small head, median size=3 (split)');
    const unsplit = (await pool.run('volume.median', { volume: head, kernelSize: [3, 3, 3] } as never, { input: 'copy' })) as Volume;
    const split = (app as unknown as { entries: { name: string; value: Volume }[] }).entries.find((e) => e.name.endsWith('(split)'))!.value;
    expect(split.dimensions).toEqual(head.dimensions);
    expect(Array.from(split.data)).toEqual(Array.from(unsplit.data));
  });
});
