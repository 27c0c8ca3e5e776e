/**
 * A task of a workflow: its definition, where it is, how it ended, its log and output. One object
 * per task, read live by `tasks()` and the monitor; while the pool has it, times and worker are
 * read through to the pool's own live record, so nothing is copied per state change.
 */
import type { TaskHandle } from '../pool/pool.ts';
import type { TaskProgress } from '../core/task.ts';
import type { OutputRef } from './refs.ts';
import type { RetryCounts, RetryPolicy } from './retry.ts';
import { FINAL_PLACES, type TaskEnding, type TaskPlace } from './states.ts';
import type { Dep } from './store.ts';
import { TaskLog } from './log.ts';

/** What `wf.tasks()` lists: also a `MonitorTask` (src/core/monitor-source.ts). */
export interface WorkflowTask {
  readonly id: number;
  readonly op: string;
  readonly label: string;
  /** Where it is. */
  readonly state: TaskPlace;
  /** How it ended (null while it has not). */
  readonly ending: TaskEnding | null;
  readonly error: Error | null;
  /** Its prerequisites. */
  readonly after: readonly Dep[];
  /** The task that added it (an op's `addTasks`), or null. */
  readonly parent: number | null;
  readonly children: readonly number[];
  /** Times it was sent to a worker (retries and reruns included). */
  readonly attempts: number;
  readonly retries: Readonly<RetryCounts>;
  readonly queuedAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly workerId: number | null;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly progress: TaskProgress | null;
  readonly log: TaskLog;
}

export interface Waiter {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** A task's definition: what it was added with (or stored with), fixed for its life. */
export interface NodeDef {
  id: number;
  op: string;
  label: string;
  /** As given, references included (encoded when resumed). */
  input: unknown;
  /** The input as stored (encoded snapshot), when the workflow is stored; undefined when it is not. */
  storedInput: unknown;
  /** The output references found in `input`. */
  refs: readonly OutputRef[];
  after: readonly Dep[];
  parent: number | null;
  retry: RetryPolicy | undefined;
  keep: boolean;
  priority: number;
  timeout: number | null;
  queuedAt: number;
}

export class Node implements WorkflowTask {
  place: TaskPlace = 'waiting';
  ending: TaskEnding | null = null;
  error: Error | null = null;
  children: number[] = [];
  /** Tasks with this one among their prerequisites. */
  dependents: number[] = [];
  /** Tasks waiting for this one's whole tree. */
  treeWaiters: number[] = [];
  attempts = 0;
  retries: RetryCounts = { crash: 0, error: 0, timeout: 0 };
  queuedAt: number;
  private started: number | null = null;
  private ended: number | null = null;
  private worker: number | null = null;
  private inBytes = 0;
  private outBytes = 0;
  private lastProgress: TaskProgress | null = null;
  /** Made on first use: most tiny tasks never log. */
  private taskLog: TaskLog | null = null;
  handle: TaskHandle<unknown> | null = null;
  /** Set when `stop()` cancelled it: it runs again on the next start, its dependents wait. */
  stopping = false;
  /** The live output, while the page holds it. */
  output: unknown = undefined;
  hasOutput = false;
  /** The stored (encoded) output: what a moved or resumed output is read back from. */
  storedOutput: unknown = undefined;
  hasStoredOutput = false;
  /** Dependents not yet started that refer to this output. */
  consumers = 0;
  /** Its first start took it off its producers' consumer counts. */
  consumedRefs = false;
  waiters: Waiter[] = [];
  retryTimer: ReturnType<typeof setTimeout> | null = null;

  readonly id: number;
  readonly op: string;
  readonly label: string;
  /** As given, references included (encoded when resumed). */
  readonly input: unknown;
  /** The input as stored (encoded snapshot), when the workflow is stored. */
  readonly storedInput: unknown;
  readonly refs: readonly OutputRef[];
  readonly after: readonly Dep[];
  readonly parent: number | null;
  readonly retry: RetryPolicy | undefined;
  readonly keep: boolean;
  readonly priority: number;
  readonly timeout: number | null;

  constructor(def: NodeDef) {
    this.id = def.id;
    this.op = def.op;
    this.label = def.label;
    this.input = def.input;
    this.storedInput = def.storedInput;
    this.refs = def.refs;
    this.after = def.after;
    this.parent = def.parent;
    this.retry = def.retry;
    this.keep = def.keep;
    this.priority = def.priority;
    this.timeout = def.timeout;
    this.queuedAt = def.queuedAt;
  }

  get log(): TaskLog {
    if (!this.taskLog) {
      this.taskLog = new TaskLog();
      if (FINAL_PLACES.has(this.place)) this.taskLog.close();
    }
    return this.taskLog;
  }

  /** No more lines until it runs again. */
  closeLog(): void {
    this.taskLog?.close();
  }

  reopenLog(): void {
    this.taskLog?.reopen();
  }

  /** Its time limit as the pool applies it (the pool's default when the task gives none), while it runs. */
  get timeLimit(): number | null | undefined {
    return this.live() ? this.handle!.record.timeLimit : this.timeout;
  }

  get state(): TaskPlace {
    if (this.place === 'queued' && this.handle?.record.state === 'running') return 'running';
    return this.place;
  }

  private live(): boolean {
    return this.handle !== null && (this.place === 'queued' || this.place === 'running');
  }

  get startedAt(): number | null {
    return this.live() ? this.handle!.record.startedAt : this.started;
  }
  get endedAt(): number | null {
    return this.live() ? this.handle!.record.endedAt : this.ended;
  }
  get workerId(): number | null {
    return this.live() ? this.handle!.record.workerId : this.worker;
  }
  get bytesIn(): number {
    return this.live() ? this.handle!.record.bytesIn : this.inBytes;
  }
  get progress(): TaskProgress | null {
    return this.live() ? this.handle!.record.progress : this.lastProgress;
  }
  get bytesOut(): number {
    return this.live() ? this.handle!.record.bytesOut : this.outBytes;
  }

  /** Copies the pool's record once the pool is done with the task. */
  takeTimes(): void {
    const r = this.handle?.record;
    if (!r) return;
    this.started = r.startedAt;
    this.ended = r.endedAt;
    this.worker = r.workerId;
    this.inBytes = r.bytesIn;
    this.outBytes = r.bytesOut;
    this.lastProgress = r.progress;
  }

  setTimes(started: number | null, ended: number | null, worker: number | null): void {
    this.started = started;
    this.ended = ended;
    this.worker = worker;
  }

  resetRun(): void {
    this.handle = null;
    this.started = null;
    this.ended = null;
    this.worker = null;
    this.lastProgress = null;
    this.error = null;
    this.ending = null;
  }
}
