/** The workflow file's reader, fan-out expansion and writers (pure logic: Node). */
import { describe, expect, it } from 'vitest';
import {
  expandWorkflowFile,
  parseWorkflowFile,
  prerequisitesOf,
  WorkflowFileBuilder,
  WorkflowFileError,
  writeWorkflowFile,
  WORKFLOW_FORMAT_VERSION,
  fileInput,
  Workflow,
  workflowFileOf,
  addExpandedTasks,
} from '../../src/graph/index.ts';
import { createNodePool } from '../../src/node/pool.ts';

const demo = {
  format: 'voxpool-workflow',
  version: 1,
  name: 'slicer-volume-demo',
  tasks: [
    { id: 'head', op: 'volume.phantom' },
    {
      id: 'smooth',
      op: 'volume.gaussianVtk',
      params: { std: 2 },
      each: [0, 5, 10, 15, 20].map((radiusFactor) => ({ radiusFactor })),
      inputs: { volume: { task: 'head' } },
    },
    {
      id: 'save',
      op: 'volume.write',
      each: 'smooth',
      params: { format: 'nii' },
      inputs: { volume: { task: 'smooth' } },
      outputs: { bytes: 'smooth-rf{radiusFactor}.nii' },
    },
    { id: 'report', op: 'test.noop', after: ['save'] },
  ],
};

/** The error the reader gives for `data` (it must give one). */
function refusal(data: unknown, name = 'study.json'): WorkflowFileError {
  try {
    parseWorkflowFile(JSON.stringify(data), name);
  } catch (e) {
    expect(e).toBeInstanceOf(WorkflowFileError);
    return e as WorkflowFileError;
  }
  throw new Error('the file was accepted');
}

function withTask(i: number, patch: Record<string, unknown>): unknown {
  const d = structuredClone(demo) as { tasks: Record<string, unknown>[] };
  d.tasks[i] = { ...d.tasks[i], ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete d.tasks[i]![k];
  return d;
}

describe('workflow file reader', () => {
  it('reads a good file and expands its fan-outs in order', () => {
    const file = parseWorkflowFile(JSON.stringify(demo), 'demo.json');
    expect(file.version).toBe(WORKFLOW_FORMAT_VERSION);
    const tasks = expandWorkflowFile(file);
    expect(tasks.map((t) => t.key)).toEqual([
      'head',
      'smooth#0',
      'smooth#1',
      'smooth#2',
      'smooth#3',
      'smooth#4',
      'save#0',
      'save#1',
      'save#2',
      'save#3',
      'save#4',
      'report',
    ]);
    const s2 = tasks.find((t) => t.key === 'smooth#2')!;
    expect(s2.params).toEqual({ std: 2, radiusFactor: 10 });
    expect(s2.inputs).toEqual({ volume: { task: 'head', path: [] } });
    const w3 = tasks.find((t) => t.key === 'save#3')!;
    // A task following a fan-out takes the instance with its own index, and does not get its params.
    expect(w3.inputs).toEqual({ volume: { task: 'smooth#3', path: [] } });
    expect(w3.params).toEqual({ format: 'nii' });
    expect(w3.outputs).toEqual([{ from: ['bytes'], to: 'smooth-rf15.nii' }]);
    // A join: after a fan-out's id waits for every instance.
    expect(prerequisitesOf(tasks.at(-1)!)).toEqual(['save#0', 'save#1', 'save#2', 'save#3', 'save#4']);
  });

  it('names the file, the place and the problem', () => {
    const cases: [unknown, string][] = [
      ['not json {', 'study.json: is not JSON'],
      [{ ...demo, format: 'cwl' }, 'study.json: format: must be "voxpool-workflow"'],
      [{ ...demo, version: 2 }, 'study.json: version: is 2, written by a newer voxpool: this one reads versions up to 1'],
      [{ ...demo, version: '1' }, 'study.json: version: must be a whole number from 1 (got string "1")'],
      [{ ...demo, tasks: [] }, 'study.json: tasks: must be a non-empty list'],
      [{ ...demo, extra: 1 }, 'study.json: extra: is not a field of a workflow file'],
      [
        withTask(1, { inputs: { volume: { task: 'hed' } } }),
        'study.json: tasks[1] (smooth).inputs.volume.task: must name a task before this one (got string "hed")',
      ],
      [withTask(0, { id: 'smooth' }), 'study.json: tasks[1] (smooth).id: "smooth" is already the id of an earlier task'],
      [withTask(0, { op: 42 }), "study.json: tasks[0] (head).op: must be an op's name (got number 42)"],
      [withTask(2, { outputs: { bytes: '../out.nii' } }), 'leaves its folder'],
      [withTask(2, { outputs: { bytes: '/tmp/out.nii' } }), 'is absolute'],
      [withTask(2, { outputs: { bytes: 'out.nii' } }), 'every instance of this fan-out would write "out.nii"'],
      [withTask(2, { outputs: { bytes: 'out-{sigma}.nii' } }), '"{sigma}" is not a placeholder here'],
      [withTask(2, { each: undefined }), 'tasks[2] (save).inputs.volume.task: "smooth" is a fan-out of 5 tasks: only a task with the same fan-out'],
      [withTask(2, { each: [{ a: 1 }, { a: 2 }] }), '"smooth" is a fan-out of 5 tasks and this one of 2'],
      [withTask(2, { each: 'head' }), 'names "head", which is not a fan-out'],
      [withTask(1, { each: [] }), 'is an empty list: a fan-out needs at least one entry'],
      [withTask(1, { params: { std: { task: 'head' } } }), 'put it under "inputs", not "params"'],
      [withTask(1, { params: { volume: 1 } }), 'tasks[1] (smooth).inputs.volume: is also given in params'],
      [withTask(1, { inputs: { volume: 5 } }), 'plain values go in "params"'],
      [withTask(1, { retry: { crash: -1 } }), 'tasks[1] (smooth).retry.crash: must be a whole number from 0'],
      [withTask(1, { after: ['report'] }), 'tasks[1] (smooth).after[0]: must name a task before this one'],
      [withTask(1, { colour: 'red' }), 'tasks[1] (smooth).colour: is not a field of a task'],
    ];
    for (const [data, message] of cases) {
      const e = typeof data === 'string' ? refusal2(data) : refusal(data);
      expect(e.message, JSON.stringify(data).slice(0, 200)).toContain(message);
      expect(e.file).toBe('study.json');
    }
  });

  it('refuses an op the executor does not have', () => {
    expect(() => parseWorkflowFile(JSON.stringify(demo), 'demo.json', { ops: ['volume.phantom', 'volume.gaussianVtk', 'volume.write'] })).toThrow(
      'demo.json: tasks[3] (report).op: "test.noop" is not an op this executor has',
    );
  });
});

function refusal2(text: string): WorkflowFileError {
  try {
    parseWorkflowFile(text, 'study.json');
  } catch (e) {
    return e as WorkflowFileError;
  }
  throw new Error('the file was accepted');
}

describe('workflow file writer', () => {
  it('builds what the reader reads back, unchanged', () => {
    const b = new WorkflowFileBuilder('slicer-volume-demo');
    const head = b.add('head', 'volume.phantom');
    const smooth = b.add('smooth', 'volume.gaussianVtk', {
      params: { std: 2 },
      each: demo.tasks[1]!.each as Record<string, unknown>[],
      inputs: { volume: head.output() },
    });
    const save = b.add('save', 'volume.write', {
      each: 'smooth',
      params: { format: 'nii' },
      inputs: { volume: smooth.output() },
      outputs: { bytes: 'smooth-rf{radiusFactor}.nii' },
    });
    b.add('report', 'test.noop', { after: [save] });
    const text = writeWorkflowFile(b.build());
    expect(JSON.parse(text)).toEqual(demo);
    expect(parseWorkflowFile(text, 'x.json')).toEqual(demo);
  });

  it("refuses to build a bad file, with the reader's message", () => {
    const b = new WorkflowFileBuilder('bad');
    b.add('read', 'volume.read', { inputs: { files: fileInput('../x.nii') } });
    expect(() => b.build()).toThrow('bad: tasks[0] (read).inputs.files.file: "../x.nii" leaves its folder');
  });
});

describe('workflow file from a live Workflow', () => {
  it('writes its tasks with file inputs by path, references by task, and runs back into the same definitions', async () => {
    // Never started: defining a workflow starts no worker.
    const pool = createNodePool({ size: 1 });
    try {
      const wf = new Workflow(pool, { name: 'from-page' });
      const file = { name: 'sub-01_T1w.nii', bytes: new Uint8Array([1, 2, 3]) };
      const read = wf.add('volume.read', { files: [file] });
      const smooth = wf.add('volume.gaussianVtk', { volume: read.output(), radiusFactor: 5, std: 2 }, { retry: { error: 1 } });
      wf.add('volume.write', { volume: smooth.output(), format: 'nii' }, { after: [read] });
      const paths = new Map<object, string>([[file, 'sub-01/anat/sub-01_T1w.nii']]);
      const written = workflowFileOf(wf, { filePath: (v) => paths.get(v) ?? null, outputs: { 3: { bytes: 'derivatives/sub-01_smooth.nii' } } });
      const text = writeWorkflowFile(written);
      const back = parseWorkflowFile(text, 'exported.json');
      expect(back.tasks).toEqual([
        { id: 't1', op: 'volume.read', label: 'volume.read', inputs: { files: [{ file: 'sub-01/anat/sub-01_T1w.nii' }] } },
        {
          id: 't2',
          op: 'volume.gaussianVtk',
          label: 'volume.gaussianVtk',
          params: { radiusFactor: 5, std: 2 },
          inputs: { volume: { task: 't1' } },
          retry: { error: 1 },
        },
        {
          id: 't3',
          op: 'volume.write',
          label: 'volume.write',
          params: { format: 'nii' },
          inputs: { volume: { task: 't2' } },
          after: ['t1'],
          outputs: { bytes: 'derivatives/sub-01_smooth.nii' },
        },
      ]);
      // Read back into a second workflow: the same ops, inputs and prerequisites.
      const again = new Workflow(pool, { name: 'again' });
      const ids = await addExpandedTasks(again, expandWorkflowFile(back), (p) => ({ name: p.split('/').at(-1)!, bytes: new Uint8Array([1, 2, 3]) }));
      expect([...ids.values()]).toEqual([1, 2, 3]);
      for (const id of [1, 2, 3]) {
        const a = wf.definition(id)!;
        const b = again.definition(id)!;
        expect(b.op).toBe(a.op);
        expect(b.input).toEqual(a.input);
        expect(b.after).toEqual(a.after);
      }
      // Binary data with no path cannot be said in a file.
      const raw = new Workflow(pool, { name: 'raw' });
      raw.add('volume.read', { files: [{ name: 'x.nii', bytes: new Uint8Array(4) }] });
      expect(() => workflowFileOf(raw, { filePath: () => null })).toThrow(
        'task 1 (volume.read): input.files[0].bytes: holds binary data that is neither JSON nor a file with a path',
      );
    } finally {
      pool.terminate();
    }
  });
});
