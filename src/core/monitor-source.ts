/**
 * What the monitor watches: a Pool satisfies it as it is, and so can a workflow or anything
 * else that lists task records and fires `task` events. Everything but `tasks()` is optional;
 * the monitor shows only the controls its source supports.
 */
import type { TaskRecord, TaskState } from './task.ts';
import type { WorkerInfo } from './events.ts';

export type MonitorTask = Pick<
  TaskRecord,
  'id' | 'label' | 'op' | 'queuedAt' | 'startedAt' | 'endedAt' | 'workerId' | 'bytesIn' | 'bytesOut' | 'progress' | 'error'
> & {
  /** A pool's states, or a workflow's own (e.g. 'waiting' on prerequisites). */
  state: TaskState | (string & {});
  /** Milliseconds of running allowed; null: no limit (the monitor says so of an overdue task); absent: not known. */
  timeLimit?: number | null;
};

export type MonitorWorker = Pick<WorkerInfo, 'id' | 'state' | 'memory'>;

export interface MonitorSource extends EventTarget {
  tasks(): readonly Readonly<MonitorTask>[];
  workers?(): readonly Readonly<MonitorWorker>[];
  /** Workers at most. */
  readonly size?: number;
  cancel?(id: number): unknown;
  cancelAll?(): unknown;
  clearFinished?(): void;
  resize?(size: number): void;
  /** Runs a failed task again (a workflow can; a bare pool can't: its input has been moved). */
  retry?(id: number): unknown;
  /** How long runs of `op` usually take (ms); the monitor marks a running task far past it. */
  typicalRunTime?(op: string): number | undefined;
}

/** The source events that change what the monitor shows. */
export const SOURCE_EVENTS = ['task', 'worker', 'drain'] as const;

export type MonitorAction =
  | { action: 'cancel'; ids: number[] }
  | { action: 'cancel-all' }
  | { action: 'retry'; ids: number[] }
  | { action: 'clear-finished' }
  | { action: 'resize'; size: number };

/**
 * Fired (bubbling, composed, cancelable) before the monitor acts on its source. Call
 * preventDefault() to act yourself, e.g. to retry failed tasks by submitting them again.
 */
export class MonitorActionEvent extends Event {
  constructor(readonly detail: MonitorAction) {
    super('monitor-action', { bubbles: true, composed: true, cancelable: true });
  }
}
