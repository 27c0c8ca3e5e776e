/** The events a pool dispatches. Listen with `pool.addEventListener('task', e => e.record)`. */
import type { TaskRecord, TaskProgress } from './task.ts';

export type TaskChange = 'queued' | 'running' | 'progress' | 'log' | 'done' | 'failed' | 'cancelled' | 'retry';

export class TaskEvent extends Event {
  constructor(
    readonly change: TaskChange,
    readonly record: Readonly<TaskRecord>,
    readonly detail: { progress?: TaskProgress; line?: string; stream?: 'out' | 'err' } = {},
  ) {
    super('task');
  }
}

export type WorkerChange = 'spawned' | 'ready' | 'busy' | 'idle' | 'crashed' | 'retired' | 'memory';

export interface WorkerInfo {
  readonly id: number;
  state: 'starting' | 'ready' | 'retiring' | 'dead';
  /** The task it is running, if any. */
  taskId: number | null;
  /** Tasks sent to it, running or waiting behind the running one. */
  inflight: number;
  tasksRun: number;
  /** Bytes the worker reports holding (its engines' wasm memories). */
  memory: number;
  startedAt: number;
}

export class WorkerEvent extends Event {
  constructor(
    readonly change: WorkerChange,
    readonly worker: Readonly<WorkerInfo>,
    readonly detail?: string,
  ) {
    super('worker');
  }
}

/** Fired when the pool has nothing queued or running: the seed's `completedCallback`. */
export class DrainEvent extends Event {
  constructor() {
    super('drain');
  }
}

export interface PoolEventMap {
  task: TaskEvent;
  worker: WorkerEvent;
  drain: DrainEvent;
}
