/**
 * "Run it elsewhere": the study exported as a workflow file names the subjects' files by their
 * paths and the derivatives by the page's own paths, and running that file (as the Node runner
 * and Slurm do: parsed, expanded, added to a workflow) gives the page's derivative folder byte
 * for byte, file for file, its dataset_description.json included.
 */
import { describe, expect, it } from 'vitest';
import '../../src/ui/app.ts';
import { Workflow, addExpandedTasks, expandWorkflowFile, parseWorkflowFile } from '../../src/graph/index.ts';
import type { Pool } from '../../src/index.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import { builtinOps } from '../../workers/builtin.ts';
import { studyOutputs } from '../../src/ui/study.ts';
import { studyWorkflowFile } from '../../src/ui/study-export.ts';
import { appMounter } from '../ui/support.ts';
import { bidsFixture, FIXTURE_IMAGES } from './bids-fixture.ts';

const mount = appMounter();

describe('a study exported as a workflow file', () => {
  it('reads the subjects by path, writes the page derivatives, and running it gives them byte for byte', { timeout: 240_000 }, async () => {
    const fixture = await bidsFixture();
    const files = new Map<string, File>();
    for (const f of fixture) files.set(f.path, new File([f.bytes as Uint8Array<ArrayBuffer>], f.path.split('/').pop()!));
    const a = await mount();
    await a.study.openFolder({ name: 'ds-export', files });
    expect((await a.study.run())?.state).toBe('done');
    const manifest = a.study.state.manifest!;
    const pageOutputs = new Map((await studyOutputs(a.study.workflow!, manifest)).map((f) => [f.path, f.bytes]));

    const pool = a.pool as Pool<BuiltinOps>;
    const text = studyWorkflowFile(pool, manifest);
    const file = parseWorkflowFile(text, 'study.workflow.json', { ops: Object.keys(builtinOps) });
    const tasks = expandWorkflowFile(file);
    // 3 subjects x (read + 4 steps + 4 files), and the derivatives' dataset_description.json.
    expect(tasks).toHaveLength(28);
    const read = [...text.matchAll(/"file": "([^"]+)"/g)].map((m) => m[1]).sort();
    expect(read).toEqual([...FIXTURE_IMAGES].sort());
    const written = tasks.flatMap((t) => t.outputs.map((o) => o.to)).sort();
    // Every file the page saves, the description included: the same folder, to the last file.
    expect(pageOutputs.has('derivatives/voxpool/dataset_description.json')).toBe(true);
    expect(written).toEqual([...pageOutputs.keys()].sort());

    const wf = new Workflow(pool, { name: file.name });
    const ids = await addExpandedTasks(wf, tasks, (path) => {
      const f = fixture.find((x) => x.path === path);
      if (!f) throw new Error(`${path} is not in the dataset`);
      return { name: path.slice(path.lastIndexOf('/') + 1), bytes: f.bytes };
    });
    expect((await wf.run()).state).toBe('done');
    const fileOutputs = new Map<string, Uint8Array>();
    for (const t of tasks) {
      for (const o of t.outputs) {
        const out = (await wf.result(ids.get(t.key)!)) as object;
        const bytes = o.from.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], out) as Uint8Array;
        expect(bytes, o.to).toEqual(pageOutputs.get(o.to));
        fileOutputs.set(o.to, bytes);
      }
    }
    // The complete folder: the same paths, each with the same bytes.
    expect([...fileOutputs.keys()].sort()).toEqual([...pageOutputs.keys()].sort());
    for (const [path, bytes] of pageOutputs) expect(fileOutputs.get(path), path).toEqual(bytes);
    const description = JSON.parse(new TextDecoder().decode(fileOutputs.get('derivatives/voxpool/dataset_description.json'))) as Record<string, unknown>;
    expect(description).toMatchObject({ DatasetType: 'derivative', BIDSVersion: '1.10.0', GeneratedBy: [{ Name: 'voxpool' }] });
  });
});
