/**
 * `voxpool run --executor slurm`, and `status`, `resume`, `cancel` of such a run: every task of
 * the workflow file becomes one Slurm job running `voxpool exec <run> <key>`, which reads its
 * inputs from the run folder and stores its result there (exec.ts), so the jobs share nothing
 * but the file system. Prerequisites become `afterok` dependencies (src/cluster does the
 * submitting, the run record and the state from squeue and exit files). One job per task, not a
 * job array per fan-out: an instance of a file's `each` may depend on any other instance or task,
 * which arrays' `aftercorr` cannot say in general, and grouping is what arrays would buy.
 */
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prerequisitesOf, type TaskPlace } from '../graph/index.ts';
import { SlurmCli, SlurmExecutor, type ClusterDag, type RunStatus as ClusterStatus, type TaskStatus } from '../cluster/index.ts';
import { readFile } from 'node:fs/promises';
import { FileWorkflowStore } from './file-store.ts';
import type { RunStatus } from './status.ts';
import { saveRecord } from './runner.ts';
import type { OpenedRun, RunRecord } from './run-dir.ts';

/** The executor's own folder inside the run folder (its record, job scripts, per-task logs). */
export const SLURM_DIR = 'slurm';

/** What run.json keeps of a Slurm run: enough for status, resume and cancel from any shell. */
export type SlurmExecutorRecord = NonNullable<RunRecord['executor']>;

export interface SlurmRunSummary {
  state: 'done' | 'failed' | 'stopped';
  total: number;
  done: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

type Out = NodeJS.WritableStream;

export const slurmDirOf = (run: OpenedRun): string => join(run.dir, SLURM_DIR);

function executorOf(args: readonly string[]): SlurmExecutor {
  return new SlurmExecutor({ slurm: new SlurmCli(), sbatchArgs: [...args] });
}

/** The built command a job runs (dist/src/node/bin.js beside this module; bin.ts when run from source). */
function binPath(): string {
  const self = fileURLToPath(import.meta.url);
  return join(dirname(self), `bin${extname(self)}`);
}

/** The run's tasks as the executor's DAG: task ids are the file's task keys. */
export function clusterDag(run: OpenedRun): ClusterDag {
  const bin = binPath();
  return {
    tasks: run.tasks.map((t) => ({ id: t.key, command: [process.execPath, bin, 'exec', run.dir, t.key], after: prerequisitesOf(t), cwd: run.dir })),
  };
}

/** Records the executor in run.json (before anything is submitted: a kill mid-submit still leaves a Slurm run), then submits every task. */
export async function submitSlurmRun(run: OpenedRun, sbatchArgs: readonly string[]): Promise<ClusterStatus> {
  run.record.executor = { kind: 'slurm', sbatchArgs: [...sbatchArgs] };
  await saveRecord(run.dir, run.record);
  return executorOf(sbatchArgs).submit(clusterDag(run), slurmDirOf(run));
}

export function resumeSlurmRun(run: OpenedRun, record: SlurmExecutorRecord): Promise<ClusterStatus> {
  return executorOf(record.sbatchArgs).resume(slurmDirOf(run));
}

export function cancelSlurmRun(run: OpenedRun, record: SlurmExecutorRecord): Promise<ClusterStatus> {
  return executorOf(record.sbatchArgs).cancel(slurmDirOf(run));
}

/** exec's own last line (`smooth#1: done in 0.84 s`, `x: failed: ...`), else words from the scheduler's side. */
async function lineOf(t: TaskStatus): Promise<string> {
  if (t.state === 'done' || t.state === 'failed') {
    const text = await readFile(t.stdout, 'utf8').catch(() => '');
    const last = text.trim().split('\n').pop() ?? '';
    if (last.startsWith(`${t.id}: `)) return last;
    return t.state === 'done' ? `${t.id}: done` : `${t.id}: failed: ${t.reason ?? 'no reason given'}`;
  }
  if (t.state === 'running') return `${t.id}: running in job ${t.jobId ?? '?'}`;
  if (t.state === 'pending') return `${t.id}: queued as job ${t.jobId ?? '?'}`;
  return `${t.id}: ${t.state}${t.reason ? `: ${t.reason}` : ''}`;
}

export function summaryOf(status: ClusterStatus): SlurmRunSummary {
  const c = status.counts;
  const state = c.done === status.tasks.length ? 'done' : c.cancelled > 0 ? 'stopped' : 'failed';
  return { state, total: status.tasks.length, done: c.done, failed: c.failed, skipped: c.skipped, cancelled: c.cancelled };
}

/** Follows the run until every task has ended, one line per task state change (as the local runner prints). */
export async function followSlurmRun(run: OpenedRun, record: SlurmExecutorRecord, out: Out): Promise<SlurmRunSummary> {
  const seen = new Map<string, string>();
  let lines = Promise.resolve();
  const final = await executorOf(record.sbatchArgs).wait(slurmDirOf(run), {
    pollMs: 500,
    onChange: (status) => {
      for (const t of status.tasks) {
        const now = `${t.state} ${t.jobId ?? ''}`;
        if (seen.get(t.id) === now) continue;
        seen.set(t.id, now);
        // In order, though each line may read a log file.
        lines = lines.then(async () => void out.write(`${await lineOf(t)}\n`));
      }
    },
  });
  await lines;
  return summaryOf(final);
}

const PLACE: Record<TaskStatus['state'], (t: TaskStatus) => TaskPlace> = {
  pending: (t) => (t.jobId === undefined ? 'waiting' : 'queued'),
  running: () => 'running',
  done: () => 'done',
  failed: () => 'failed',
  skipped: () => 'skipped',
  cancelled: () => 'cancelled',
};

/** `voxpool status` of a Slurm run: squeue and the exit files for where each task is, exec's stored records for why one failed. */
export async function slurmRunStatus(run: OpenedRun, record: SlurmExecutorRecord): Promise<RunStatus> {
  const status = await executorOf(record.sbatchArgs).status(slurmDirOf(run));
  const data = await new FileWorkflowStore(run.root).load(run.record.id);
  const idOf = new Map(run.record.tasks.map((t) => [t.key, t.id]));
  const stored = new Map((data?.tasks ?? []).map((t) => [t.id, t]));
  const counts: Record<TaskPlace, number> = { waiting: 0, queued: 0, running: 0, saving: 0, done: 0, failed: 0, cancelled: 0, skipped: 0 };
  const tasks = status.tasks.map((t) => {
    const place = PLACE[t.state](t);
    counts[place]++;
    const e = stored.get(idOf.get(t.id) ?? -1)?.ending;
    const own = place === 'failed' && e && 'message' in e ? e.message : '';
    return { key: t.id, place, message: place === 'done' ? '' : own || (t.reason ?? '') };
  });
  const live = status.tasks.some((t) => (t.state === 'pending' || t.state === 'running') && t.jobId !== undefined);
  const s = summaryOf(status);
  const state = status.finished ? s.state : live ? 'running' : 'stopped';
  return { dir: run.dir, state, counts, tasks, pid: null };
}
