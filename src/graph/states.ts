/**
 * Where a workflow task is, and how it ended, kept apart as soma-workflow keeps a job's status
 * apart from its exit status: "failed" says where it is, the ending says why (an op error with its
 * message, a timeout, a worker crash).
 */
import { CancelledError, PoolTerminatedError, TaskFailedError, TimeoutError, WorkerCrashedError } from '../core/errors.ts';
import { SkippedError } from './errors.ts';

/** Where a task is. */
export type TaskPlace =
  | 'waiting' // on its prerequisites
  | 'queued' // handed to the pool, waiting for a worker
  | 'running'
  | 'saving' // finished; its result is being committed to the store (done once it is)
  | 'done'
  | 'failed'
  | 'cancelled'
  | 'skipped'; // a prerequisite failed or was cancelled: it will not run unless restarted

/** How a task ended. */
export type TaskEnding =
  | { kind: 'finished' }
  | { kind: 'error'; name: string; message: string }
  | { kind: 'cancelled'; by: 'user' | 'stop'; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'crashed'; message: string }
  | { kind: 'skipped'; because: number; message: string };

/** Places a task leaves only by a restart. */
export const FINAL_PLACES: ReadonlySet<TaskPlace> = new Set(['done', 'failed', 'cancelled', 'skipped']);

/**
 * The workflow's own state: `idle` before `start`, `running` while anything can still run,
 * `stopping` until running tasks have let go after `stop`, `stopped` (restartable), and when
 * nothing more can run `done` (every task done) or `failed` (some task failed, was cancelled or
 * skipped; the independent branches finished).
 */
export type WorkflowState = 'idle' | 'running' | 'stopping' | 'stopped' | 'done' | 'failed';

/** The ending a pool error means, and the place it leaves the task in. */
export function endingOf(error: Error, stopping: boolean): { place: TaskPlace; ending: TaskEnding } {
  if (error instanceof TimeoutError) return { place: 'failed', ending: { kind: 'timeout', message: error.message } };
  if (error instanceof SkippedError) return { place: 'skipped', ending: { kind: 'skipped', because: error.prerequisite, message: error.message } };
  if (error instanceof CancelledError || error instanceof PoolTerminatedError) {
    return { place: 'cancelled', ending: { kind: 'cancelled', by: stopping ? 'stop' : 'user', message: error.message } };
  }
  if (error instanceof WorkerCrashedError) return { place: 'failed', ending: { kind: 'crashed', message: error.message } };
  // The op's own error as it was thrown in the worker, not the page's wrapper around it.
  if (error instanceof TaskFailedError) return { place: 'failed', ending: { kind: 'error', name: error.remote.name, message: error.remote.message } };
  return { place: 'failed', ending: { kind: 'error', name: error.name, message: error.message } };
}
