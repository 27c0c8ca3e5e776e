/**
 * `voxpool run` and `voxpool resume`: a workflow file's tasks on the Node pool, through the same
 * `Workflow` the page uses, stored in the run folder as they go; outputs written to the output
 * folder as each task is done (and, on resume, any a killed run had not written yet).
 */
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { addExpandedTasks, expandWorkflowFile, fileName, Workflow, type ExpandedTask, type WorkflowSummary, type WorkflowTaskEvent } from '../graph/index.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import { FileWorkflowStore, exists } from './file-store.ts';
import { createNodePool } from './pool.ts';
import { Progress } from './progress.ts';
import { openRun, readWorkflowFile, runnerAlive, RunError, RUN_FILE, WORKFLOW_COPY, type OpenedRun, type RunRecord } from './run-dir.ts';
import { writeOutput } from './outputs.ts';

export interface RunOptions {
  workers: number;
  out: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface StartOptions extends RunOptions {
  /** The workflow file. */
  file: string;
  /** Folder the run folder goes in. */
  runs: string;
  /** The run folder's name (the stored workflow's id). Default: the workflow's name and the time. */
  id?: string;
  inputs?: string;
  outputs?: string;
}

export interface RunResult {
  dir: string;
  summary: WorkflowSummary;
}

export async function saveRecord(dir: string, record: RunRecord): Promise<void> {
  const tmp = join(dir, `${RUN_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(tmp, join(dir, RUN_FILE));
}

/** Makes the run folder and stores the workflow's tasks, all waiting. Runs nothing. */
export async function prepareRun(options: Omit<StartOptions, 'out'>): Promise<OpenedRun> {
  const filePath = resolve(options.file);
  const file = await readWorkflowFile(filePath);
  const id = options.id ?? `${file.name.replace(/[^\w.-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const root = resolve(options.runs);
  const dir = join(root, id);
  if (await exists(join(dir, RUN_FILE))) throw new RunError(`${dir}: a run of that name exists already (resume it, or pick another --id)`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, WORKFLOW_COPY), await readFile(filePath));
  const inputs = resolve(options.inputs ?? dirname(filePath));
  const outputs = resolve(options.outputs ?? dirname(filePath));
  // Defined on a pool that never starts a worker: a workflow's definition needs no worker.
  const pool = createNodePool({ size: 1 });
  try {
    const store = new FileWorkflowStore(root);
    const wf = new Workflow(pool, { id, name: file.name, mode: file.mode ?? 'parallel', store });
    const tasks = expandWorkflowFile(file);
    const ids = await addExpandedTasks(wf, tasks, async (p) => ({ name: fileName(p), bytes: await readInput(inputs, p) }));
    await wf.flush();
    const record: RunRecord = {
      id,
      inputs,
      outputs,
      workers: options.workers,
      tasks: tasks.map((t) => ({ key: t.key, id: ids.get(t.key)! })),
      pid: null,
      host: hostname(),
      createdAt: Date.now(),
    };
    await saveRecord(dir, record);
    return { dir, root, record, file, tasks };
  } finally {
    pool.terminate();
  }
}

async function readInput(folder: string, path: string): Promise<Uint8Array> {
  const full = join(folder, path);
  try {
    return new Uint8Array(await readFile(full));
  } catch (e) {
    throw new RunError(`${full}: cannot read this input file (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
}

/** `voxpool run`: prepares the run folder, then runs it. */
export async function startRun(options: StartOptions): Promise<RunResult> {
  const run = await prepareRun(options);
  options.out.write(`run ${run.dir}\n`);
  return execute(run, options, false);
}

/** `voxpool resume`: runs what a stopped or killed run left; done tasks are not run again. */
export async function resumeRun(dir: string, options: RunOptions & { failed?: boolean }): Promise<RunResult> {
  const run = await openRun(dir);
  return execute(run, options, options.failed === true);
}

async function execute(run: OpenedRun, options: RunOptions, restartFailed: boolean): Promise<RunResult> {
  const { dir, record } = run;
  if (runnerAlive(record) && record.pid !== process.pid) throw new RunError(`${dir}: process ${record.pid} is running it now`);
  record.pid = process.pid;
  record.host = hostname();
  await saveRecord(dir, record);

  const keyOf = new Map(record.tasks.map((t) => [t.id, t.key]));
  const taskOf = new Map(run.tasks.map((t) => [t.key, t]));
  const pool = createNodePool({ size: options.workers });
  const store = new FileWorkflowStore(run.root);
  let wf: Workflow<BuiltinOps>;
  try {
    wf = await Workflow.load(pool, store, record.id);
  } catch (e) {
    pool.terminate();
    throw e;
  }
  const progress = new Progress(wf, { out: options.out, nameOf: (id) => keyOf.get(id) ?? `task ${id}` });
  const writes: Promise<void>[] = [];
  const failures: Error[] = [];
  const write = (id: number): void => {
    const task = taskOf.get(keyOf.get(id) ?? '');
    if (!task || task.outputs.length === 0) return;
    writes.push(
      writeOutputs(wf, id, task, record.outputs, progress).catch((e: unknown) => {
        failures.push(e as Error);
        progress.line(`${task.key}: output not written: ${(e as Error).message}`);
      }),
    );
  };
  wf.addEventListener('task', (e: WorkflowTaskEvent) => {
    if (e.change === 'done') write(e.record.id);
  });
  // What a killed run had finished but not yet written out.
  for (const t of wf.tasks()) {
    if (t.state !== 'done') continue;
    const task = taskOf.get(keyOf.get(t.id) ?? '');
    if (task && !(await allExist(task, record.outputs))) write(t.id);
  }

  const stop = (): void => {
    progress.line('stopping: running tasks are cancelled, the run can be resumed');
    void wf.stop();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    if (restartFailed) wf.restartFailed();
    const summary = wf.state === 'done' || wf.state === 'failed' ? wf.summary() : await wf.run();
    await wf.flush();
    await Promise.all(writes);
    // A write that started after the first wave (a task done while others were being written).
    await Promise.all(writes);
    progress.end();
    if (failures.length) throw new RunError(`${failures.length} output file(s) could not be written: ${failures[0]!.message}`);
    return { dir, summary };
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    pool.terminate();
    record.pid = null;
    await saveRecord(dir, record);
  }
}

async function allExist(task: ExpandedTask, outputs: string): Promise<boolean> {
  for (const o of task.outputs) if (!(await exists(join(outputs, o.to)))) return false;
  return true;
}

async function writeOutputs(wf: Workflow<BuiltinOps>, id: number, task: ExpandedTask, outputs: string, progress: Progress): Promise<void> {
  const value = await wf.result(id);
  for (const o of task.outputs) {
    const path = join(outputs, o.to);
    await writeOutput(value, o.from, path, task.key);
    progress.line(`${task.key}: wrote ${o.to}`);
  }
}
