/**
 * A run's folder: `run.json` (where its inputs and outputs are, which workflow task each file
 * task became, the process running it) beside a copy of the workflow file and the store's
 * records (file-store.ts). Everything a later `status`, `resume`, `cancel` or `exec` needs is in
 * it, so a run can be picked up from another shell, or from a cluster node.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { expandWorkflowFile, parseWorkflowFile, type ExpandedTask, type WorkflowFile } from '../graph/index.ts';
import { builtinOps } from '../../workers/builtin.ts';
import { VoxpoolError } from '../core/errors.ts';

export const RUN_FILE = 'run.json';
export const WORKFLOW_COPY = 'workflow.json';

export interface RunRecord {
  /** The workflow's id in the store (the run folder's name). */
  id: string;
  /** Absolute folders. */
  inputs: string;
  outputs: string;
  /** Worker threads asked for. */
  workers: number;
  /** File task key -> workflow task id, in file order. */
  tasks: { key: string; id: number }[];
  /** The process running it now, if any (cleared when it ends). */
  pid: number | null;
  host: string;
  createdAt: number;
  /** Set when the run's tasks go to a cluster (`run --executor slurm`); absent: the local worker threads run it. */
  executor?: { kind: 'slurm'; /** Site flags given to every sbatch, reused by resume. */ sbatchArgs: string[] };
}

/** A run folder that is not one, or a run in a state that forbids the command. */
export class RunError extends VoxpoolError {
  override name = 'RunError';
}

/** The ops the Node runner serves (a workflow file naming another is refused). */
export const NODE_OPS: readonly string[] = Object.keys(builtinOps);

export async function readWorkflowFile(path: string): Promise<WorkflowFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RunError(`${path}: cannot read the workflow file (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
  return parseWorkflowFile(text, path, { ops: NODE_OPS });
}

export interface OpenedRun {
  dir: string;
  /** The folder holding run folders (the store's root). */
  root: string;
  record: RunRecord;
  file: WorkflowFile;
  tasks: ExpandedTask[];
}

export async function openRun(dirArg: string): Promise<OpenedRun> {
  const dir = resolve(dirArg);
  let record: RunRecord;
  try {
    record = JSON.parse(await readFile(join(dir, RUN_FILE), 'utf8')) as RunRecord;
  } catch (e) {
    throw new RunError(`${dir}: not a voxpool run folder (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? `no ${RUN_FILE}` : (e as Error).message})`);
  }
  const file = await readWorkflowFile(join(dir, WORKFLOW_COPY));
  return { dir, root: resolve(dir, '..'), record, file, tasks: expandWorkflowFile(file) };
}

/** Whether the process recorded as running the run is alive (on this host). */
export function runnerAlive(record: RunRecord): boolean {
  if (record.pid === null || record.host !== hostname()) return false;
  try {
    process.kill(record.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
