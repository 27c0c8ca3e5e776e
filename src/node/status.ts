/** `voxpool status <run>` and `voxpool cancel <run>`: read from the run folder, whoever runs it. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredTask, TaskPlace } from '../graph/index.ts';
import { FileWorkflowStore } from './file-store.ts';
import { openRun, runnerAlive, type OpenedRun } from './run-dir.ts';

export interface RunStatus {
  dir: string;
  /** done: every task done; failed: ended, some failed or skipped; running: a process runs it; stopped: interrupted or cancelled, resumable. */
  state: 'done' | 'failed' | 'running' | 'stopped';
  counts: Record<TaskPlace, number>;
  tasks: { key: string; place: TaskPlace; message: string }[];
  pid: number | null;
  /** An external executor's jobs (Slurm job ids, `id_element` for an array element) and the task keys each ran. */
  jobs?: { jobId: string; tasks: string[] }[];
}

/** Where a stored task is, as a resume would see it: a stored result means done. */
function placeOf(t: StoredTask | undefined, done: boolean, running: boolean): TaskPlace {
  if (done) return 'done';
  if (!t) return 'waiting';
  if (t.place === 'failed' || t.place === 'skipped') return t.place;
  if (t.place === 'cancelled') return t.ending?.kind === 'cancelled' && t.ending.by === 'stop' && !running ? 'waiting' : 'cancelled';
  return running ? t.place : t.place === 'queued' || t.place === 'running' || t.place === 'saving' ? 'waiting' : t.place;
}

export async function runStatus(dirArg: string): Promise<RunStatus> {
  const run: OpenedRun = await openRun(dirArg);
  const data = await new FileWorkflowStore(run.root).load(run.record.id);
  const alive = runnerAlive(run.record);
  const byId = new Map((data?.tasks ?? []).map((t) => [t.id, t]));
  const done = new Set((data?.results ?? []).map((r) => r.task));
  const counts: Record<TaskPlace, number> = { waiting: 0, queued: 0, running: 0, saving: 0, done: 0, failed: 0, cancelled: 0, skipped: 0 };
  const tasks = run.record.tasks.map(({ key, id }) => {
    const t = byId.get(id);
    const place = placeOf(t, done.has(id), alive);
    counts[place]++;
    const e = t?.ending;
    const message = place === 'done' || !e ? '' : 'message' in e ? e.message : '';
    return { key, place, message };
  });
  const ended = counts.failed + counts.skipped + counts.cancelled;
  const state = alive ? 'running' : counts.done === tasks.length ? 'done' : counts.waiting === 0 && ended > 0 ? 'failed' : 'stopped';
  return { dir: run.dir, state, counts, tasks, pid: alive ? run.record.pid : null };
}

/**
 * Stops the process running the run (SIGTERM: it cancels its running tasks, stores what it has
 * and exits), and resolves once it has. False if no process was running it.
 */
export async function cancelRun(dirArg: string, waitMs = 60_000): Promise<boolean> {
  const run = await openRun(dirArg);
  if (!runnerAlive(run.record) || run.record.pid === null) return false;
  process.kill(run.record.pid, 'SIGTERM');
  const until = Date.now() + waitMs;
  // Another process: there is no event to wait on but its end.
  while (Date.now() < until) {
    const again = await openRun(dirArg);
    if (!runnerAlive(again.record)) return true;
    await sleep(100);
  }
  return !runnerAlive((await openRun(dirArg)).record);
}
