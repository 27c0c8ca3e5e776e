/**
 * Where workflows are kept: IndexedDB, through `idb` (Jake Archibald's promise wrapper: typed
 * schemas, transactions as promises, nothing else; raw IDBRequest callbacks are where lost
 * errors and half-written states come from).
 *
 * One database, four object stores keyed by [workflow id, ...], so a workflow is deleted with one
 * key range per store and a resume reads only its own records:
 *   workflows  [id]               name, mode, state, next task id
 *   tasks      [wf, task]         definition (op, encoded input, prerequisites, parent) + state
 *   logs       [wf, task, seq]    one record per line
 *   results    [wf, task]         encoded output (big buffers as Blobs)
 * Every write is one transaction over all four: it lands whole or not at all, so a full quota
 * never leaves a half-saved workflow behind.
 */
import { openDB, unwrap, type DBSchema, type IDBPDatabase } from 'idb';
import { StorageError, StorageFullError, isQuotaError } from './errors.ts';
import type { RetryCounts, RetryPolicy } from './retry.ts';
import type { TaskEnding, TaskPlace, WorkflowState } from './states.ts';

export type WorkflowMode = 'sequential' | 'parallel';

/** A prerequisite: a task, or a task and everything it adds (`tree`). */
export interface Dep {
  id: number;
  tree: boolean;
}

export interface StoredWorkflow {
  id: string;
  name: string;
  mode: WorkflowMode;
  state: WorkflowState;
  createdAt: number;
  updatedAt: number;
  /** Tasks so far. */
  tasks: number;
}

export interface StoredTask {
  wf: string;
  id: number;
  op: string;
  label: string;
  /** Encoded (codec.ts); references as `{ $ref, path }`. */
  input: unknown;
  after: Dep[];
  parent: number | null;
  retry: RetryPolicy | null;
  keep: boolean;
  priority: number;
  timeout: number | null;
  place: TaskPlace;
  ending: TaskEnding | null;
  attempts: number;
  retries: RetryCounts;
  queuedAt: number;
  startedAt: number | null;
  endedAt: number | null;
  workerId: number | null;
}

export interface StoredLog {
  wf: string;
  task: number;
  seq: number;
  stream: 'out' | 'err';
  text: string;
  at: number;
  attempt: number;
}

export interface StoredResult {
  wf: string;
  task: number;
  /** Encoded (codec.ts). */
  value: unknown;
}

export interface WriteBatch {
  workflow: StoredWorkflow | null;
  tasks: StoredTask[];
  logs: StoredLog[];
  results: StoredResult[];
  /** Results to forget (their task is to run again). */
  dropResults: number[];
}

export interface LoadedWorkflow {
  workflow: StoredWorkflow;
  tasks: StoredTask[];
  logs: StoredLog[];
  results: StoredResult[];
}

/** What a workflow needs of a store; `IdbWorkflowStore` is the one that ships. */
export interface WorkflowStore {
  /** Writes the batch atomically. Rejects with StorageFullError when the quota is full. */
  write(batch: WriteBatch): Promise<void>;
  load(id: string): Promise<LoadedWorkflow | null>;
  list(): Promise<StoredWorkflow[]>;
  /** Forgets a workflow and everything of it; false if there was none. */
  delete(id: string): Promise<boolean>;
  close(): void;
}

interface Schema extends DBSchema {
  workflows: { key: string; value: StoredWorkflow };
  tasks: { key: [string, number]; value: StoredTask };
  logs: { key: [string, number, number]; value: StoredLog };
  results: { key: [string, number]; value: StoredResult };
}

const STORES = ['workflows', 'tasks', 'logs', 'results'] as const;

/** Every key [id, ...]: arrays sort after numbers and strings, so [id, []] bounds them all. */
function ofWorkflow(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id], [id, []]);
}

export class IdbWorkflowStore implements WorkflowStore {
  private constructor(private readonly db: IDBPDatabase<Schema>) {}

  /** Opens (and makes, the first time) the database `name`. */
  static async open(name = 'voxpool-workflows'): Promise<IdbWorkflowStore> {
    try {
      const db = await openDB<Schema>(name, 1, {
        upgrade(db) {
          db.createObjectStore('workflows', { keyPath: 'id' });
          db.createObjectStore('tasks', { keyPath: ['wf', 'id'] });
          db.createObjectStore('logs', { keyPath: ['wf', 'task', 'seq'] });
          db.createObjectStore('results', { keyPath: ['wf', 'task'] });
        },
      });
      return new IdbWorkflowStore(db);
    } catch (e) {
      throw new StorageError(`Cannot open the workflow database "${name}": ${(e as Error).message}`, { cause: e });
    }
  }

  async write(batch: WriteBatch): Promise<void> {
    const wfId = batch.workflow?.id ?? batch.tasks[0]?.wf ?? batch.results[0]?.wf ?? batch.logs[0]?.wf ?? '?';
    try {
      // Relaxed durability: the write is done once the browser has it, without waiting for the
      // disk to confirm (fsync). A crashed or reloaded tab keeps it; only a crash of the whole OS
      // in the next moments could lose the last writes, which then simply run again on resume.
      const tx = this.db.transaction(STORES, 'readwrite', { durability: 'relaxed' });
      // Requests go to the native transaction: idb's promise per request (two listeners each) cost
      // more than the writes of a thousand tiny tasks. A failed request aborts the transaction,
      // and `tx.done` rejects with its error, so nothing goes unheard.
      const raw = unwrap(tx);
      try {
        if (batch.workflow) raw.objectStore('workflows').put(batch.workflow);
        const tasks = raw.objectStore('tasks');
        for (const t of batch.tasks) tasks.put(t);
        const logs = raw.objectStore('logs');
        for (const l of batch.logs) logs.put(l);
        const results = raw.objectStore('results');
        for (const id of batch.dropResults) results.delete([wfId, id]);
        for (const r of batch.results) results.put(r);
      } catch (e) {
        // Thrown at once (a value that cannot be cloned): undo the rest and report that.
        tx.done.catch(() => undefined);
        raw.abort();
        throw e;
      }
      await tx.done;
    } catch (e) {
      if (isQuotaError(e)) throw new StorageFullError(wfId, e);
      throw new StorageError(`Writing workflow "${wfId}" failed: ${(e as Error).message}`, { cause: e });
    }
  }

  async load(id: string): Promise<LoadedWorkflow | null> {
    const tx = this.db.transaction(STORES, 'readonly');
    const [workflow, tasks, logs, results] = await Promise.all([
      tx.objectStore('workflows').get(id),
      tx.objectStore('tasks').getAll(ofWorkflow(id)),
      tx.objectStore('logs').getAll(ofWorkflow(id)),
      tx.objectStore('results').getAll(ofWorkflow(id)),
      tx.done,
    ]);
    return workflow ? { workflow, tasks, logs, results } : null;
  }

  async list(): Promise<StoredWorkflow[]> {
    const all = await this.db.getAll('workflows');
    return all.sort((a, b) => a.createdAt - b.createdAt);
  }

  async delete(id: string): Promise<boolean> {
    const tx = this.db.transaction(STORES, 'readwrite');
    const existed = (await tx.objectStore('workflows').getKey(id)) !== undefined;
    await Promise.all([
      tx.objectStore('workflows').delete(id),
      tx.objectStore('tasks').delete(ofWorkflow(id)),
      tx.objectStore('logs').delete(ofWorkflow(id)),
      tx.objectStore('results').delete(ofWorkflow(id)),
      tx.done,
    ]);
    return existed;
  }

  close(): void {
    this.db.close();
  }
}

/** Opens the default workflow database. */
export function openWorkflowStore(name?: string): Promise<IdbWorkflowStore> {
  return IdbWorkflowStore.open(name);
}
