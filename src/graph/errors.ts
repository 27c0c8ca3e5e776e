/** Errors of workflows, apart from the pool's (which a task's ending may also carry). */
import { InputError, VoxpoolError } from '../core/errors.ts';

/** The task did not run: a prerequisite failed, was cancelled or was skipped itself. */
export class SkippedError extends VoxpoolError {
  override name = 'SkippedError';
  constructor(
    readonly taskId: number,
    readonly prerequisite: number,
    why: string,
  ) {
    super(`Task ${taskId} skipped: prerequisite ${prerequisite} ${why}`);
  }
}

/**
 * The browser's storage quota is full: the last write was refused as a whole (IndexedDB
 * transactions are atomic), so everything stored before it is intact, and the workflow keeps the
 * unwritten changes in memory and writes them at the next flush that has room.
 */
export class StorageFullError extends VoxpoolError {
  override name = 'StorageFullError';
  constructor(
    readonly workflowId: string,
    cause: unknown,
  ) {
    super(`Storage is full: workflow "${workflowId}" could not be saved (its earlier state is intact; free space, then flush again)`, { cause });
  }
}

/** Any other failure to read or write the store (IndexedDB unavailable, aborted, corrupt record). */
export class StorageError extends VoxpoolError {
  override name = 'StorageError';
}

/** No stored workflow by that id. */
export class WorkflowNotFoundError extends VoxpoolError {
  override name = 'WorkflowNotFoundError';
  constructor(readonly workflowId: string) {
    super(`No stored workflow "${workflowId}"`);
  }
}

/** A task id (or reference) that is not a task of this workflow. */
export class UnknownTaskError extends VoxpoolError {
  override name = 'UnknownTaskError';
  constructor(readonly taskId: number | string) {
    super(`Workflow has no task ${String(taskId)}`);
  }
}

/** An output was moved on to its last consumer and nothing stored can bring it back. */
export class OutputReleasedError extends VoxpoolError {
  override name = 'OutputReleasedError';
  constructor(readonly taskId: number) {
    super(`The output of task ${taskId} was moved into the task that consumed it and is not stored; add the task with keep: true to read it afterwards`);
  }
}

/** A reference to a prerequisite's output names a path that output does not have. */
export class OutputPathError extends InputError {
  constructor(taskId: number, path: readonly (string | number)[], where: string) {
    super(where, `refers to output${path.map((p) => `.${String(p)}`).join('')} of task ${taskId}, which it does not have`);
  }
}

/** The browser's own "quota exceeded" (a DOMException; code 22 in older engines). */
export function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);
}
