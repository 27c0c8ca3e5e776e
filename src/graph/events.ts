/** The events a workflow dispatches: one for every change, so a monitor can draw it. */
import type { WorkflowTask } from './task.ts';
import type { WorkflowState } from './states.ts';
import type { LogLine } from './log.ts';

export type WorkflowTaskChange =
  'added' | 'waiting' | 'queued' | 'running' | 'progress' | 'log' | 'saving' | 'done' | 'failed' | 'cancelled' | 'skipped' | 'retry' | 'restart';

export class WorkflowTaskEvent extends Event {
  constructor(
    readonly change: WorkflowTaskChange,
    readonly record: Readonly<WorkflowTask>,
    readonly line?: LogLine,
  ) {
    super('task');
  }
}

export class WorkflowStateEvent extends Event {
  constructor(
    readonly state: WorkflowState,
    readonly previous: WorkflowState,
  ) {
    super('state');
  }
}

/** A write to the store failed (a StorageFullError when the quota is full). The workflow runs on. */
export class StorageErrorEvent extends Event {
  constructor(readonly error: Error) {
    super('storage-error');
  }
}

export interface WorkflowEventMap {
  task: WorkflowTaskEvent;
  state: WorkflowStateEvent;
  'storage-error': StorageErrorEvent;
}
