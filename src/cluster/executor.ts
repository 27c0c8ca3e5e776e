/**
 * Runs a DAG of commands on Slurm: one sbatch per task or fan-out (fan-outs as job arrays), or
 * per group of them (`group`: chains as one job, small units packed into array elements),
 * prerequisites as `afterok` dependencies with `--kill-on-invalid-dep=yes` (a failure cancels its
 * dependents only), a run record in the run folder after every sbatch, and `resume` that submits
 * again only what did not succeed, adopting jobs a killed submitter never wrote down.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunIncompleteError, RunRecordError, UnknownTaskError } from './errors.ts';
import { runLockHeld, withRunLock } from './lock.ts';
import type { GroupMode } from './group.ts';
import { planDag, type PlannedJob } from './plan.ts';
import { jobDir, jobName, newRecord, readRecord, RECORD_FILE, taskDir, writeRecord, type RunRecord, type Submission } from './record.ts';
import { renderJobScript } from './script.ts';
import { LIVE_STATES, SlurmCli, type QueueRow, type SlurmClient } from './slurm.ts';
import { deriveStatus, jobRef, latestSubmission } from './state.ts';
import type { ClusterDag, RunStatus, TaskState, TaskStatus } from './types.ts';

export interface SlurmExecutorOptions {
  slurm?: SlurmClient;
  /** How many one-CPU tasks the cluster runs at once (the grouping rule's floor); unset: sinfo's CPU count. */
  slots?: number;
  targetJobSeconds?: number;
  /** Grouping of tasks into jobs (group.ts); default `off`, one job per task or fan-out. */
  group?: GroupMode;
  /** Slot time one job costs beyond its tasks', for `group: 'auto'`; default 1 s (measured here). */
  jobOverheadSeconds?: number;
  /** Site flags added to every sbatch (`--account=...`, `--qos=...`). */
  sbatchArgs?: string[];
}

export interface WaitOptions {
  /** How often to ask squeue; default 1 s. */
  pollMs?: number;
  signal?: AbortSignal;
  /** Called whenever a task's state changes. */
  onChange?: (status: RunStatus) => void;
}

const RERUN: readonly TaskState[] = ['failed', 'cancelled', 'skipped'];

/** `0-3,7,9-10`: what --array takes. */
export function arraySpec(elements: readonly number[]): string {
  const sorted = [...new Set(elements)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function resourceArgs(job: PlannedJob): string[] {
  const r = job.resources;
  return [
    ...(r.cpus !== undefined ? [`--cpus-per-task=${r.cpus}`] : []),
    ...(r.memoryMB !== undefined ? [`--mem=${r.memoryMB}M`] : []),
    ...(r.timeMinutes !== undefined ? [`--time=${r.timeMinutes}`] : []),
    ...(r.partition !== undefined ? [`--partition=${r.partition}`] : []),
  ];
}

/** Keeps a failed attempt's files as `<key>.<attempt>.out` and so on, and clears the way for the next. */
function archiveAttempt(dir: string, key: string, attempt: number): void {
  for (const ext of ['out', 'err', 'exit']) {
    const file = join(dir, `${key}.${ext}`);
    if (existsSync(file)) renameSync(file, join(dir, `${key}.${attempt}.${ext}`));
  }
  rmSync(join(dir, `${key}.start`), { force: true });
}

export class SlurmExecutor {
  private readonly slurm: SlurmClient;

  constructor(private readonly options: SlurmExecutorOptions = {}) {
    this.slurm = options.slurm ?? new SlurmCli();
  }

  /** Plans the DAG, writes the run record into `runDir` (which must not hold one) and submits every job. */
  async submit(dag: ClusterDag, runDir: string): Promise<RunStatus> {
    if (existsSync(join(runDir, RECORD_FILE)))
      throw new RunRecordError(join(runDir, RECORD_FILE), 'a run already lives in this folder: resume it, or choose another folder');
    const slots = this.options.slots ?? (await this.slurm.cpus());
    const plan = planDag(dag, {
      slots,
      targetJobSeconds: this.options.targetJobSeconds,
      group: this.options.group,
      jobOverheadSeconds: this.options.jobOverheadSeconds,
    });
    mkdirSync(taskDir(runDir), { recursive: true });
    mkdirSync(jobDir(runDir), { recursive: true });
    const record = newRecord(randomUUID().slice(0, 8), plan);
    return withRunLock(runDir, async () => {
      // Checked again under the lock: another submit into this folder may have just finished.
      if (existsSync(join(runDir, RECORD_FILE)))
        throw new RunRecordError(join(runDir, RECORD_FILE), 'a run already lives in this folder: resume it, or choose another folder');
      writeRecord(runDir, record);
      return this.submitRest(runDir, record);
    });
  }

  /** Submits again what did not succeed and was not submitted, leaving done, pending and running tasks alone. */
  async resume(runDir: string): Promise<RunStatus> {
    readRecord(runDir);
    return withRunLock(runDir, () => {
      const record = readRecord(runDir);
      delete record.cancelled;
      return this.submitRest(runDir, record);
    });
  }

  async status(runDir: string): Promise<RunStatus> {
    const record = readRecord(runDir);
    const rows = await this.slurm.queue();
    return deriveStatus(runDir, this.adopt(record, rows), rows);
  }

  /**
   * Resolves when every task is done, failed, cancelled or skipped. Throws a RunIncompleteError
   * if some tasks were never submitted and no submitter holds the run (its submitter died).
   */
  async wait(runDir: string, options: WaitOptions = {}): Promise<RunStatus> {
    let last = '';
    for (;;) {
      options.signal?.throwIfAborted();
      const status = await this.status(runDir);
      const now = status.tasks.map((t) => t.state).join();
      if (now !== last) options.onChange?.(status);
      last = now;
      if (status.finished) return status;
      const unsubmitted = status.tasks.filter((t) => t.jobId === undefined && t.state === 'pending').map((t) => t.id);
      if (unsubmitted.length && !runLockHeld(runDir)) throw new RunIncompleteError(runDir, unsubmitted);
      await new Promise<void>((resolve, reject) => {
        const signal = options.signal;
        const onAbort = (): void => (clearTimeout(timer), reject(signal!.reason));
        const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), options.pollMs ?? 1000);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  /** scancels every live job of the run; tasks it stops and those not yet submitted end as cancelled. */
  async cancel(runDir: string): Promise<RunStatus> {
    readRecord(runDir);
    return withRunLock(runDir, () => this.cancelLocked(runDir));
  }

  private async cancelLocked(runDir: string): Promise<RunStatus> {
    const rows = await this.slurm.queue();
    const record = this.adopt(readRecord(runDir), rows);
    const live = new Set(rows.filter((r) => LIVE_STATES.has(r.state)).map((r) => r.jobId));
    const targets = record.submissions.filter((s) => live.has(s.jobId));
    for (const s of targets) s.cancelled = true;
    record.cancelled = true;
    // Written first, so a job that ends from the cancel is never seen as a failure.
    writeRecord(runDir, record);
    await this.slurm.cancel(targets.map((s) => s.jobId));
    return deriveStatus(runDir, record, await this.slurm.queue());
  }

  /** A task's stdout and stderr so far. */
  logs(runDir: string, taskId: string): { stdout: string; stderr: string } {
    const task = readRecord(runDir).plan.tasks.find((t) => t.id === taskId);
    if (!task) throw new UnknownTaskError(runDir, taskId);
    const read = (ext: string): string => {
      try {
        return readFileSync(join(taskDir(runDir), `${task.key}.${ext}`), 'utf8');
      } catch {
        return '';
      }
    };
    return { stdout: read('out'), stderr: read('err') };
  }

  /** Adds the jobs squeue lists under this run's names that the record lacks (a submitter killed between sbatch and write). */
  private adopt(record: RunRecord, rows: readonly QueueRow[]): RunRecord {
    const known = new Set(record.submissions.map((s) => s.jobId));
    const found = new Map<string, Submission>();
    for (const row of rows) {
      if (known.has(row.jobId)) continue;
      const job = record.plan.jobs.findIndex((_, i) => jobName(record, i) === row.name);
      if (job < 0) continue;
      const s = found.get(row.jobId) ?? { job, jobId: row.jobId, elements: [], submittedAt: '', adopted: true };
      s.elements.push(row.element ?? 0);
      found.set(row.jobId, s);
    }
    if (found.size === 0) return record;
    return { ...record, submissions: [...record.submissions, ...found.values()] };
  }

  private async submitRest(runDir: string, given: RunRecord): Promise<RunStatus> {
    let record = this.adopt(given, await this.slurm.queue());
    writeRecord(runDir, record);
    const status = deriveStatus(runDir, record, await this.slurm.queue());
    const byId = new Map<string, TaskStatus>(status.tasks.map((t) => [t.id, t]));
    const rerun = new Set(status.tasks.filter((t) => RERUN.includes(t.state) || (t.state === 'pending' && t.jobId === undefined)).map((t) => t.id));
    const tasks = new Map(record.plan.tasks.map((t) => [t.id, t]));
    /** Task id -> the job reference it got in this pass. */
    const fresh = new Map<string, string>();
    const freshElements = new Map<string, number[]>();

    for (const job of record.plan.jobs) {
      const elements = job.elements.flatMap((ids, e) => (ids.some((id) => rerun.has(id)) ? [e] : []));
      if (elements.length === 0) continue;
      for (const e of elements)
        for (const id of job.elements[e]!) {
          if (!rerun.has(id)) continue;
          const t = byId.get(id)!;
          if (t.attempts > 0) archiveAttempt(taskDir(runDir), tasks.get(id)!.key, t.attempts);
        }

      const refOf = (p: string): string | undefined => fresh.get(p) ?? (byId.get(p)?.state === 'done' ? undefined : byId.get(p)?.jobId);
      const common = job.after.flatMap((p) => refOf(p) ?? []);
      const sourceRefs = (source: number, e: number): (string | undefined)[] => [...new Set(record.plan.jobs[source]!.elements[e]!.map(refOf))];
      // aftercorr (element e waits for element e) only when each source's needed elements are all
      // still to run in one submission; else (a resume with some done) one sbatch per element.
      const corr = job.afterEach.map((source) => {
        const ids = new Set(
          elements.map((e) => {
            const refs = sourceRefs(source, e);
            const ref = refs.length === 1 ? refs[0] : undefined;
            return ref !== undefined && ref.endsWith(`_${e}`) ? ref.slice(0, -`_${e}`.length) : undefined;
          }),
        );
        return ids.size === 1 ? [...ids][0] : undefined;
      });
      const batches = corr.every((c): c is string => c !== undefined)
        ? [{ elements, afterok: common, aftercorr: corr }]
        : elements.map((e) => ({
            elements: [e],
            afterok: [...common, ...job.afterEach.flatMap((source) => sourceRefs(source, e).flatMap((r) => r ?? []))],
            aftercorr: [],
          }));

      const script = join(jobDir(runDir), `${job.index}.sh`);
      writeFileSync(script, renderJobScript(record.plan, job, taskDir(runDir), `voxpool run ${record.runId}, job ${job.index}: ${job.node}`), { mode: 0o755 });
      const logStem = join(jobDir(runDir), job.array ? `${job.index}.%A_%a` : `${job.index}.%j`);
      for (const batch of batches) {
        const dependency = [
          ...(batch.afterok.length ? [`afterok:${collapse(batch.afterok, freshElements).join(':')}`] : []),
          ...(batch.aftercorr.length ? [`aftercorr:${batch.aftercorr.join(':')}`] : []),
        ].join(',');
        const args = [
          `--job-name=${jobName(record, job.index)}`,
          `--chdir=${runDir}`,
          `--output=${logStem}.out`,
          `--error=${logStem}.err`,
          '--export=ALL',
          ...(job.array ? [`--array=${arraySpec(batch.elements)}`] : []),
          ...(dependency ? [`--dependency=${dependency}`, '--kill-on-invalid-dep=yes'] : []),
          ...resourceArgs(job),
          ...(this.options.sbatchArgs ?? []),
        ];
        const jobId = await this.slurm.sbatch(args, script);
        record = {
          ...record,
          submissions: [...record.submissions, { job: job.index, jobId, elements: batch.elements, submittedAt: new Date().toISOString() }],
        };
        writeRecord(runDir, record);
        if (job.array) freshElements.set(jobId, batch.elements);
        for (const e of batch.elements)
          for (const id of job.elements[e]!) {
            const task = tasks.get(id)!;
            if (rerun.has(id)) fresh.set(id, jobRef(record, task, latestSubmission(record, task)!));
          }
      }
    }
    return deriveStatus(runDir, record, await this.slurm.queue());
  }
}

/** Element references that cover every element of an array submitted in this pass become the array's own id. */
function collapse(refs: readonly string[], freshElements: ReadonlyMap<string, readonly number[]>): string[] {
  const unique = [...new Set(refs)];
  const out: string[] = [];
  const whole = new Set<string>();
  for (const ref of unique) {
    const [id, element] = ref.split('_');
    const all = id !== undefined && element !== undefined ? freshElements.get(id) : undefined;
    if (all && all.every((e) => unique.includes(`${id}_${e}`))) {
      if (!whole.has(id!)) out.push(id!);
      whole.add(id!);
    } else out.push(ref);
  }
  return out;
}
