/**
 * `voxpool run --executor slurm`, and `status`, `resume`, `cancel` of such a run: every task of
 * the workflow file becomes one Slurm job running `voxpool exec <run> <key>`, which reads its
 * inputs from the run folder and stores its result there (exec.ts), so the jobs share nothing
 * but the file system. Prerequisites become `afterok` dependencies (src/cluster does the
 * submitting, the run record and the state from squeue and exit files). A fan-out whose
 * instances wait alike becomes a job array; with `--group auto` (the default) or N, src/cluster
 * merges each subject's chain into one job and packs independent chains or instances into array
 * elements (group.ts); an element runs its tasks through one warm `voxpool exec --stdin` process,
 * each task still with its own exit file.
 */
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prerequisitesOf, type ExpandedTask, type TaskPlace } from '../graph/index.ts';
import {
  SlurmCli,
  SlurmExecutor,
  type GroupMode,
  type ClusterDag,
  type ClusterTask,
  type FanOut,
  type ServeSpec,
  type RunStatus as ClusterStatus,
  type TaskStatus,
} from '../cluster/index.ts';
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

function executorOf(args: readonly string[], group: GroupMode = 'off'): SlurmExecutor {
  return new SlurmExecutor({ slurm: new SlurmCli(), sbatchArgs: [...args], group });
}

/** `--group`: off, auto (the default) or a whole number of units per job-array element. */
export function groupOf(v: string | undefined): GroupMode | undefined {
  if (v === undefined) return undefined;
  if (v === 'off' || v === 'auto') return v;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** The built command a job runs (dist/src/node/bin.js beside this module; bin.ts when run from source). */
function binPath(): string {
  const self = fileURLToPath(import.meta.url);
  return join(dirname(self), `bin${extname(self)}`);
}

/** The run's tasks as the executor's DAG, and each file task key's id in it (`smooth#2` -> `smooth[2]` when its fan-out is an array). */
export interface RunDag {
  dag: ClusterDag;
  idOf: Map<string, string>;
  keyOf: Map<string, string>;
}

/**
 * Each fan-out of the file (`each`) becomes one job array when all its instances wait for the
 * same things: the same single tasks or fixed instances (`afterok`), and the same-index instance
 * of earlier array fan-outs of the same length (`aftercorr`: one subject's chain, so a failed
 * subject stops only its own later steps). A fan-out whose instances differ otherwise goes as one
 * job per instance. A single task is one job.
 */
export function clusterDag(run: OpenedRun): RunDag {
  const bin = binPath();
  const command = (key: string): string[] => [process.execPath, bin, 'exec', run.dir, key];
  // The warm form a grouped job uses: one `exec --stdin` process for all its tasks (exec-serve.ts).
  const serve = (key: string): ServeSpec => ({ command: [process.execPath, bin, 'exec', run.dir, '--stdin'], request: key });
  const instances = new Map<string, ExpandedTask[]>();
  for (const t of run.tasks) if (t.index !== null) instances.set(t.fileId, [...(instances.get(t.fileId) ?? []), t]);
  const byKey = new Map(run.tasks.map((t) => [t.key, t]));
  const idOf = new Map<string, string>();
  const arrays = new Set<string>();
  const tasks: ClusterTask[] = [];
  const fanOuts: FanOut[] = [];
  const done = new Set<string>();
  for (const t of run.tasks) {
    if (t.index === null) {
      idOf.set(t.key, t.key);
      tasks.push({ id: t.key, command: command(t.key), serve: serve(t.key), after: prerequisitesOf(t).map((k) => idOf.get(k)!), cwd: run.dir });
      continue;
    }
    if (done.has(t.fileId)) continue;
    done.add(t.fileId);
    const all = instances.get(t.fileId)!;
    // Per instance: what it waits for, with same-index instances of array fan-outs as `~<fan-out>`.
    const signatures = all.map((inst) =>
      prerequisitesOf(inst)
        .map((k) => {
          const p = byKey.get(k)!;
          return p.index === inst.index && arrays.has(p.fileId) && instances.get(p.fileId)!.length === all.length ? `~${p.fileId}` : idOf.get(k)!;
        })
        .sort(),
    );
    const first = signatures[0]!.join('\n');
    if (signatures.every((sig) => sig.join('\n') === first)) {
      arrays.add(t.fileId);
      for (const inst of all) idOf.set(inst.key, `${t.fileId}[${inst.index}]`);
      const sig = signatures[0]!;
      fanOuts.push({
        id: t.fileId,
        items: all.map((inst) => String(inst.index)),
        command: command(`${t.fileId}#{item}`),
        serve: serve(`${t.fileId}#{item}`),
        after: sig.filter((x) => !x.startsWith('~')),
        afterEach: sig.filter((x) => x.startsWith('~')).map((x) => x.slice(1)),
        cwd: run.dir,
      });
    } else {
      for (const inst of all) {
        idOf.set(inst.key, inst.key);
        tasks.push({ id: inst.key, command: command(inst.key), serve: serve(inst.key), after: prerequisitesOf(inst).map((k) => idOf.get(k)!), cwd: run.dir });
      }
    }
  }
  return { dag: { tasks, fanOuts }, idOf, keyOf: new Map([...idOf].map(([k, v]) => [v, k])) };
}

/** Records the executor in run.json (before anything is submitted: a kill mid-submit still leaves a Slurm run), then submits every task. */
export async function submitSlurmRun(run: OpenedRun, sbatchArgs: readonly string[], group: GroupMode = 'auto'): Promise<ClusterStatus> {
  run.record.executor = { kind: 'slurm', sbatchArgs: [...sbatchArgs] };
  await saveRecord(run.dir, run.record);
  // The grouping lives on in the plan the run record keeps: resume and status need no flag.
  return executorOf(sbatchArgs, group).submit(clusterDag(run).dag, slurmDirOf(run));
}

export function resumeSlurmRun(run: OpenedRun, record: SlurmExecutorRecord): Promise<ClusterStatus> {
  return executorOf(record.sbatchArgs).resume(slurmDirOf(run));
}

export function cancelSlurmRun(run: OpenedRun, record: SlurmExecutorRecord): Promise<ClusterStatus> {
  return executorOf(record.sbatchArgs).cancel(slurmDirOf(run));
}

/** exec's own last line (`smooth#1: done in 0.84 s`, `x: failed: ...`), else words from the scheduler's side. */
/** The executor's words with its task ids (`smooth[2]`) as the file's keys (`smooth#2`). */
function reasonOf(reason: string, keyOf: ReadonlyMap<string, string>): string {
  let out = reason;
  for (const [id, key] of keyOf) if (id !== key) out = out.replaceAll(id, key);
  return out;
}

async function lineOf(t: TaskStatus, keyOf: ReadonlyMap<string, string>): Promise<string> {
  const key = keyOf.get(t.id) ?? t.id;
  if (t.state === 'done' || t.state === 'failed') {
    const text = await readFile(t.stdout, 'utf8').catch(() => '');
    const last = text.trim().split('\n').pop() ?? '';
    if (last.startsWith(`${key}: `)) return last;
    return t.state === 'done' ? `${key}: done` : `${key}: failed: ${reasonOf(t.reason ?? 'no reason given', keyOf)}`;
  }
  if (t.state === 'running') return `${key}: running in job ${t.jobId ?? '?'}`;
  if (t.state === 'pending') return `${key}: queued as job ${t.jobId ?? '?'}`;
  return `${key}: ${t.state}${t.reason ? `: ${reasonOf(t.reason, keyOf)}` : ''}`;
}

export function summaryOf(status: ClusterStatus): SlurmRunSummary {
  const c = status.counts;
  const state = c.done === status.tasks.length ? 'done' : c.cancelled > 0 ? 'stopped' : 'failed';
  return { state, total: status.tasks.length, done: c.done, failed: c.failed, skipped: c.skipped, cancelled: c.cancelled };
}

/**
 * Follows the run until every task has ended, one line per task state change (as the local runner
 * prints). `submitted`: what sbatch just answered; each task is told queued under its job from it,
 * whatever the first poll finds (a short job may already be running, or done, by then).
 */
export async function followSlurmRun(run: OpenedRun, record: SlurmExecutorRecord, out: Out, submitted?: ClusterStatus): Promise<SlurmRunSummary> {
  const { keyOf } = clusterDag(run);
  const seen = new Map<string, string>();
  for (const t of submitted?.tasks ?? []) {
    if (t.jobId === undefined || t.state === 'done') continue;
    out.write(`${keyOf.get(t.id) ?? t.id}: queued as job ${t.jobId}\n`);
    seen.set(t.id, `pending ${t.jobId}`);
  }
  let lines = Promise.resolve();
  const final = await executorOf(record.sbatchArgs).wait(slurmDirOf(run), {
    pollMs: 500,
    onChange: (status) => {
      for (const t of status.tasks) {
        const now = `${t.state} ${t.jobId ?? ''}`;
        if (seen.get(t.id) === now) continue;
        seen.set(t.id, now);
        // In order, though each line may read a log file.
        lines = lines.then(async () => void out.write(`${await lineOf(t, keyOf)}\n`));
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
  const { keyOf } = clusterDag(run);
  const stored = new Map((data?.tasks ?? []).map((t) => [t.id, t]));
  const counts: Record<TaskPlace, number> = { waiting: 0, queued: 0, running: 0, saving: 0, done: 0, failed: 0, cancelled: 0, skipped: 0 };
  const byKey = new Map(status.tasks.map((t) => [keyOf.get(t.id) ?? t.id, t]));
  // In file order, as the local runner's status lists them.
  const tasks = run.record.tasks.map(({ key }) => {
    const t = byKey.get(key)!;
    const place = PLACE[t.state](t);
    counts[place]++;
    const e = stored.get(idOf.get(key) ?? -1)?.ending;
    const own = place === 'failed' && e && 'message' in e ? e.message : '';
    return { key, place, message: place === 'done' ? '' : own || reasonOf(t.reason ?? '', keyOf) };
  });
  const live = status.tasks.some((t) => (t.state === 'pending' || t.state === 'running') && t.jobId !== undefined);
  const s = summaryOf(status);
  const state = status.finished ? s.state : live ? 'running' : 'stopped';
  // Which Slurm job (or array element) ran each task, in file order: with grouping one runs several.
  const jobs = new Map<string, string[]>();
  for (const { key } of run.record.tasks) {
    const jobId = byKey.get(key)!.jobId;
    if (jobId !== undefined) jobs.set(jobId, [...(jobs.get(jobId) ?? []), key]);
  }
  return { dir: run.dir, state, counts, tasks, pid: null, jobs: [...jobs].map(([jobId, keys]) => ({ jobId, tasks: keys })) };
}
