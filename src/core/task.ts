/** A task as the pool's users see it: one record per `run`, updated as the task moves on. */

export type TaskState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export const FINISHED_STATES: ReadonlySet<TaskState> = new Set(['done', 'failed', 'cancelled']);

export interface TaskProgress {
  fraction: number;
  message?: string;
}

export interface TaskRecord {
  readonly id: number;
  readonly op: string;
  /** A name for people (the monitor shows it); defaults to the op name. */
  readonly label: string;
  readonly priority: number;
  state: TaskState;
  /** Epoch ms (performance.timeOrigin + performance.now(), the clock the workers report on too). */
  queuedAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** The worker that ran (or is running) it. */
  workerId: number | null;
  /** How many times it was started (more than 1 after a worker crash). */
  attempts: number;
  bytesIn: number;
  bytesOut: number;
  /** Estimated peak memory, as admitted against the pool's memory budget. */
  memory: number;
  /** Milliseconds of running it is allowed (its own or the pool's default timeout); null: no limit. */
  timeLimit: number | null;
  progress: TaskProgress | null;
  error: Error | null;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Higher runs first; FIFO within a priority. Default 0. */
  priority?: number;
  /** Milliseconds of running before the task is cancelled with a TimeoutError. */
  timeout?: number;
  /**
   * `'transfer'` (default) moves every ArrayBuffer reachable from the input to the worker: zero
   * copy, the caller's buffers become detached. `'copy'` keeps the caller's buffers intact.
   */
  input?: 'transfer' | 'copy';
  /** Estimated peak bytes (input + output + engine), admitted against `memoryBudget`. */
  memory?: number;
  label?: string;
  onProgress?: (progress: TaskProgress) => void;
  onLog?: (line: string, stream: 'out' | 'err') => void;
  /** Retries after a worker crash before giving up (overrides the pool's `crashRetries`). */
  crashRetries?: number;
  /**
   * `'auto'`: if, when the task would start, there are idle workers that no other queued task
   * will take, and the pool's splitter finds the task long enough to pay for it (a volume filter
   * with a known reach: `createPool`'s pool), it runs split across them (slabs with halos, each
   * a task of its own; the result equal voxel for voxel). Otherwise, and by default, the task
   * runs whole on one worker.
   */
  split?: 'auto';
}
