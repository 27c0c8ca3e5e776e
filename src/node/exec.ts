/**
 * `voxpool exec <run> <task>`: runs ONE task of a prepared run, in this process (one worker
 * thread), and stores its outcome in the run folder: what a cluster job runs. Its inputs are read
 * from the run folder (files stored when the run was prepared, prerequisites' results); its
 * result and its record go back there, and its output files to the run's output folder. Tasks
 * are independent processes: each writes only its own records, never the workflow's state file.
 */
import { join } from 'node:path';
import { decodeValue, encodeValue, isRef, type StoredTask } from '../graph/index.ts';
import { toRemoteError } from '../core/errors.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import { FileWorkflowStore } from './file-store.ts';
import { createNodePool } from './pool.ts';
import type { Pool } from '../pool/pool.ts';
import { openRun, RunError } from './run-dir.ts';
import { pick, writeOutput } from './outputs.ts';

export interface ExecResult {
  state: 'done' | 'already-done' | 'failed';
  message: string;
}

/** `pool`: a warm one-worker pool to run the op on (exec-serve.ts keeps one for a job's tasks); unset: one made and ended here. */
export async function execTask(dirArg: string, key: string, shared?: Pool<BuiltinOps>): Promise<ExecResult> {
  const run = await openRun(dirArg);
  const entry = run.record.tasks.find((t) => t.key === key);
  const task = run.tasks.find((t) => t.key === key);
  if (!entry || !task) throw new RunError(`${run.dir}: no task "${key}" (it has ${run.record.tasks.map((t) => t.key).join(', ')})`);
  const store = new FileWorkflowStore(run.root);
  const data = await store.load(run.record.id);
  if (!data) throw new RunError(`${run.dir}: its store has no workflow "${run.record.id}"`);
  const keyOf = new Map(run.record.tasks.map((t) => [t.id, t.key]));
  const results = new Map(data.results.map((r) => [r.task, r.value]));
  if (results.has(entry.id)) return { state: 'already-done', message: `${key}: already done, not run again` };
  const stored = data.tasks.find((t) => t.id === entry.id);
  if (!stored) throw new RunError(`${run.dir}: task "${key}" (id ${entry.id}) has no stored record`);
  for (const d of stored.after) {
    if (!results.has(d.id)) throw new RunError(`${key}: its prerequisite ${keyOf.get(d.id) ?? d.id} is not done: run that first`);
  }

  // The stored input with every reference replaced by (part of) its producer's stored result.
  const resolve = async (v: unknown): Promise<unknown> => {
    if (isRef(v)) {
      const value = results.get(v.$ref as number);
      if (value === undefined) throw new RunError(`${key}: its input refers to ${keyOf.get(v.$ref as number) ?? v.$ref}, which is not done`);
      return pick(await decodeValue(value), v.path, keyOf.get(v.$ref as number) ?? String(v.$ref));
    }
    if (Array.isArray(v)) return Promise.all(v.map(resolve));
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && !('$blob' in v)) {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = await resolve(x);
      return o;
    }
    return decodeValue(v);
  };
  const input = await resolve(stored.input);
  const pool = shared ?? createNodePool({ size: 1 });
  const startedAt = Date.now();
  const record = (place: StoredTask['place'], ending: StoredTask['ending']): StoredTask => ({
    ...stored,
    place,
    ending,
    attempts: stored.attempts + 1,
    startedAt,
    endedAt: Date.now(),
    workerId: 1,
  });
  try {
    const output = await pool.run(stored.op as keyof BuiltinOps, input as never);
    const encoded = encodeValue(output).value;
    // The output files first, and the task done only then, with its result in the same write: a job
    // killed in between (a cancel, under load) left a task recorded done whose file was never
    // written, and a resume, which reruns nothing done, never wrote it.
    for (const o of task.outputs) await writeOutput(output, o.from, join(run.record.outputs, o.to), key);
    await store.write({
      workflow: null,
      tasks: [record('done', { kind: 'finished' })],
      logs: [],
      results: [{ wf: run.record.id, task: entry.id, value: encoded }],
      dropResults: [],
    });
    return { state: 'done', message: `${key}: done in ${((Date.now() - startedAt) / 1000).toFixed(2)} s` };
  } catch (e) {
    if (e instanceof RunError) throw e;
    const info = toRemoteError(e);
    await store.write({
      workflow: null,
      tasks: [record('failed', { kind: 'error', name: info.name, message: info.message })],
      logs: [],
      results: [],
      dropResults: [],
    });
    return { state: 'failed', message: `${key}: failed: ${info.message}` };
  } finally {
    if (!shared) pool.terminate();
  }
}
