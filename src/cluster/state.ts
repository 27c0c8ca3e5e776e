/**
 * A task's state from three sources: its exit file (the only place a task's own exit code is
 * kept, as a job may run several tasks), squeue (is its job still pending or running), and the
 * run record (which submission ran it, whether voxpool cancelled it). What ended without an exit
 * file is skipped when a prerequisite did not succeed, cancelled when scancel stopped it, else failed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlannedTask } from './plan.ts';
import { taskDir, type RunRecord, type Submission } from './record.ts';
import { LIVE_STATES, type QueueRow } from './slurm.ts';
import { FINAL_STATES, type RunStatus, type TaskState, type TaskStatus } from './types.ts';

/** The task's latest submission: the highest job id among those that ran its element. */
export function latestSubmission(record: RunRecord, task: PlannedTask): Submission | undefined {
  let latest: Submission | undefined;
  for (const s of record.submissions)
    if (s.job === task.job && s.elements.includes(task.element) && (!latest || Number(s.jobId) > Number(latest.jobId))) latest = s;
  return latest;
}

export function jobRef(record: RunRecord, task: PlannedTask, submission: Submission): string {
  return record.plan.jobs[task.job]?.array ? `${submission.jobId}_${task.element}` : submission.jobId;
}

/** Exit codes by task key, and the keys that started, from one listing of the tasks folder. */
export function readTaskFiles(runDir: string): { exits: Map<string, number>; started: Set<string> } {
  const dir = taskDir(runDir);
  const exits = new Map<string, number>();
  const started = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { exits, started };
  }
  for (const name of names) {
    if (name.endsWith('.start')) started.add(name.slice(0, -'.start'.length));
    else if (name.endsWith('.exit')) {
      const code = Number.parseInt(readFileSync(join(dir, name), 'utf8'), 10);
      if (Number.isInteger(code)) exits.set(name.slice(0, -'.exit'.length), code);
    }
  }
  return { exits, started };
}

const BAD: readonly TaskState[] = ['failed', 'skipped', 'cancelled'];

export function deriveStatus(runDir: string, record: RunRecord, rows: readonly QueueRow[]): RunStatus {
  const { exits, started } = readTaskFiles(runDir);
  const byRef = new Map(rows.map((r) => [r.element === undefined ? r.jobId : `${r.jobId}_${r.element}`, r]));
  const states = new Map<string, TaskStatus>();
  const dir = taskDir(runDir);
  // Plan order is topological, so every prerequisite's state is known before its dependents'.
  for (const task of record.plan.tasks) {
    const submission = latestSubmission(record, task);
    const attempts = record.submissions.filter((s) => s.job === task.job && s.elements.includes(task.element)).length;
    const status: TaskStatus = { id: task.id, state: 'pending', attempts, stdout: join(dir, `${task.key}.out`), stderr: join(dir, `${task.key}.err`) };
    if (submission) status.jobId = jobRef(record, task, submission);
    const exit = exits.get(task.key);
    if (exit !== undefined) {
      status.exitCode = exit;
      status.state = exit === 0 ? 'done' : 'failed';
      if (exit !== 0) status.reason = `the command exited with code ${exit}`;
    } else if (!submission) {
      status.state = record.cancelled ? 'cancelled' : 'pending';
      status.reason = record.cancelled ? 'the run was cancelled before this task was submitted' : 'not submitted yet';
    } else {
      const row = byRef.get(status.jobId!);
      const bad = task.after.find((p) => BAD.includes(states.get(p)?.state ?? 'pending'));
      if (row && LIVE_STATES.has(row.state)) {
        status.state = row.state === 'RUNNING' && started.has(task.key) ? 'running' : 'pending';
        if (status.state === 'pending')
          status.reason = row.state === 'RUNNING' ? `its job ${status.jobId} is running; this task has not started yet` : `${row.state} (${row.reason})`;
      } else if (submission.cancelled) {
        status.state = 'cancelled';
        status.reason = 'cancelled by voxpool cancel';
      } else if (bad !== undefined || row?.reason === 'DependencyNeverSatisfied') {
        status.state = 'skipped';
        status.reason = bad !== undefined ? `prerequisite ${bad} ${states.get(bad)!.state}` : 'a prerequisite did not succeed';
      } else if (row?.state === 'CANCELLED') {
        status.state = 'cancelled';
        status.reason = 'cancelled outside voxpool (scancel)';
      } else {
        status.state = 'failed';
        status.reason = row
          ? `the job ended ${row.state} (${row.reason}) before the task wrote its exit code`
          : 'the job ended without the task writing its exit code (and Slurm no longer lists it)';
      }
    }
    states.set(task.id, status);
  }
  const tasks = [...states.values()];
  const counts: Record<TaskState, number> = { pending: 0, running: 0, done: 0, failed: 0, cancelled: 0, skipped: 0 };
  for (const t of tasks) counts[t.state]++;
  return { runDir, runId: record.runId, tasks, counts, finished: tasks.every((t) => FINAL_STATES.includes(t.state)) };
}
