/**
 * Write-behind of a workflow's changes to its store. Changes are gathered while one write is on
 * its way and go in the next, so a burst of a thousand state changes is a couple of
 * transactions, not a thousand. A task's record is taken at write time (its latest state);
 * results and inputs were snapshotted when they were handed over (codec.ts).
 *
 * A write the store refuses (a full quota) leaves what was stored before intact (one transaction
 * per write) and keeps the unwritten changes here; automatic writes pause until `flush()` is
 * called again, so a full disk gives one clear error instead of one per task.
 */
import { StorageError, StorageFullError, isQuotaError } from './errors.ts';
import type { StoredLog, StoredResult, StoredTask, StoredWorkflow, WorkflowStore, WriteBatch } from './store.ts';

export class Persister<T> {
  private tasks = new Set<T>();
  private logs: StoredLog[] = [];
  private results = new Map<number, StoredResult>();
  private drops = new Set<number>();
  private workflowDirty = false;
  private writing: Promise<void> | null = null;
  private scheduled = false;
  /** The last write's error, while automatic writes are paused by it. */
  private lastError: Error | null = null;
  /** Set by `close()`: the workflow is being deleted, and nothing more may be written for it. */
  private closed = false;
  /** The failure was told (onError) and no write has succeeded since: one error, not one per retry. */
  private reported = false;
  /** Callers of flush() waiting for the write after the current one. */
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(
    private readonly store: WorkflowStore,
    private readonly wfId: string,
    private readonly snapshotWorkflow: () => StoredWorkflow,
    private readonly snapshotTask: (t: T) => StoredTask,
    private readonly onError: (e: Error) => void,
  ) {}

  /** A refused write pauses the automatic writes until `flush()`. */
  private get blocked(): boolean {
    return this.lastError !== null;
  }

  get pending(): boolean {
    return this.workflowDirty || this.tasks.size > 0 || this.logs.length > 0 || this.results.size > 0 || this.drops.size > 0;
  }

  task(t: T): void {
    this.tasks.add(t);
    this.schedule();
  }

  workflow(): void {
    this.workflowDirty = true;
    this.schedule();
  }

  log(line: StoredLog): void {
    this.logs.push(line);
    this.schedule();
  }

  /**
   * Queues a task's result. Resolves once the write that holds it is committed, so a caller can
   * call the task done only when a reload would find it; rejects with the store's error (also
   * at once while a refused write has paused the writes: nothing would commit it until `flush`).
   */
  result(task: number, value: unknown): Promise<void> {
    this.drops.delete(task);
    this.results.set(task, { wf: this.wfId, task, value });
    if (this.closed) return Promise.reject(this.closedError());
    if (this.lastError) return Promise.reject(this.lastError);
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  dropResult(task: number): void {
    this.results.delete(task);
    this.drops.add(task);
    this.schedule();
  }

  /** Resolves when every change made so far is stored; rejects with the store's error. */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.lastError = null;
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule(true);
    });
  }

  /**
   * Writes nothing more: drops what was not yet written, rejects whoever waits for it, and
   * resolves once the write already on its way has ended. Then deleting the workflow from the
   * store cannot be undone by a late write of this one.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.tasks.clear();
    this.logs = [];
    this.results.clear();
    this.drops.clear();
    this.workflowDirty = false;
    const error = this.closedError();
    for (const w of this.waiters.splice(0)) w.reject(error);
    await this.writing?.catch(() => undefined);
  }

  private closedError(): StorageError {
    return new StorageError(`Workflow "${this.wfId}" was discarded: its results are no longer stored`);
  }

  private schedule(now = false): void {
    if (this.closed || this.scheduled || this.writing || (this.blocked && !now)) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.writeNext();
    });
  }

  private writeNext(): void {
    if (this.writing) return;
    const waiters = this.waiters;
    this.waiters = [];
    if (!this.pending) {
      for (const w of waiters) w.resolve();
      return;
    }
    const tasks = [...this.tasks];
    const batch: WriteBatch = {
      workflow: this.workflowDirty ? this.snapshotWorkflow() : null,
      tasks: tasks.map(this.snapshotTask),
      logs: this.logs,
      results: [...this.results.values()],
      dropResults: [...this.drops],
    };
    this.tasks = new Set();
    this.logs = [];
    this.results = new Map();
    this.drops = new Set();
    this.workflowDirty = false;
    this.writing = this.store.write(batch).then(
      () => {
        this.writing = null;
        this.reported = false;
        for (const w of waiters) w.resolve();
        if (this.pending || this.waiters.length > 0) this.schedule(this.waiters.length > 0);
      },
      (e: unknown) => {
        this.writing = null;
        // Nothing of this batch was stored: keep it, under anything newer that came meanwhile.
        if (batch.workflow) this.workflowDirty = true;
        for (const t of tasks) this.tasks.add(t);
        this.logs = [...batch.logs, ...this.logs];
        for (const r of batch.results) if (!this.results.has(r.task) && !this.drops.has(r.task)) this.results.set(r.task, r);
        for (const d of batch.dropResults) if (!this.results.has(d)) this.drops.add(d);
        // A store of one's own may let the browser's QuotaExceededError through as it is.
        const error = isQuotaError(e) ? new StorageFullError(this.wfId, e) : e instanceof Error ? e : new StorageError(String(e));
        this.lastError = error;
        for (const w of waiters) w.reject(error);
        for (const w of this.waiters.splice(0)) w.reject(error);
        if (!this.reported) this.onError(error);
        this.reported = true;
      },
    );
  }
}
