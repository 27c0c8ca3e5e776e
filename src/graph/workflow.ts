/**
 * A workflow: tasks on a pool that wait for other tasks (Scipion's steps with prerequisites,
 * soma-workflow's workflows), in the browser.
 *
 *   const wf = new Workflow(pool, { store: await openWorkflowStore() });
 *   const a = wf.add('volume.read', { name, bytes });
 *   const b = wf.add('volume.gaussianVtk', { volume: a.output(), radiusFactor: 5 });
 *   const summary = await wf.run();
 *
 * This class is the public face: building (add), control (start, stop, cancel, restart), reading
 * (wait, result, tasks) and events. The parts with a job of their own live beside it: the task
 * graph (graph.ts), moving tasks between places (schedule.ts), the input a task is sent
 * (inputs.ts), the tasks an op adds (spawned.ts), and a stored workflow rebuilt (restore.ts).
 */
import { CancelledError } from '../core/errors.ts';
import { WorkerEvent, type TaskEvent } from '../core/events.ts';
import type { Pool } from '../pool/pool.ts';
import type { InputOf, OpName, OpRegistry, OutputOf } from '../core/op.ts';
import type { MonitorSource, MonitorWorker } from '../core/monitor-source.ts';
import { decodeValue, encodeValue } from './codec.ts';
import { OutputReleasedError, UnknownTaskError, WorkflowNotFoundError } from './errors.ts';
import { StorageErrorEvent, WorkflowStateEvent, WorkflowTaskEvent, type WorkflowEventMap, type WorkflowTaskChange } from './events.ts';
import { ListenerPairs } from '../core/listeners.ts';
import { TaskGraph } from './graph.ts';
import { Persister } from './persist.ts';
import { collectRefs, type OutputRef, type PathKey, type Referable, type WithRefs } from './refs.ts';
import { restoreWorkflow, type RestoredWorkflow } from './restore.ts';
import type { RetryPolicy } from './retry.ts';
import { Scheduler, type WorkflowSummary } from './schedule.ts';
import type { TaskSpec, Unspawned } from './spawn.ts';
import { childTasks } from './spawned.ts';
import { FINAL_PLACES, type WorkflowState } from './states.ts';
import type { Dep, StoredTask, StoredWorkflow, WorkflowMode, WorkflowStore } from './store.ts';
import { Node, type WorkflowTask } from './task.ts';

export type { WorkflowSummary } from './schedule.ts';

export interface WorkflowOptions {
  /**
   * `parallel` (default): a task waits only for the prerequisites it names. `sequential`
   * (Scipion's default): a task added without `after` waits for the task added before it.
   */
  mode?: WorkflowMode;
  name?: string;
  /** The id it is stored under. Default: a random UUID. */
  id?: string;
  /** Where it is kept as it runs; none: in memory only. */
  store?: WorkflowStore | null;
  /** Retry policy of tasks that give none. */
  retry?: RetryPolicy;
}

/** What `definition(id)` gives: a task as added. `input` holds references as `{ $ref, path }`. */
export interface TaskDefinition {
  readonly id: number;
  readonly op: string;
  readonly label: string;
  readonly input: unknown;
  readonly after: readonly Dep[];
  readonly parent: number | null;
  readonly retry: RetryPolicy | undefined;
  readonly priority: number;
  readonly timeout: number | null;
}

/** `a.tree`: task `a` and every task it adds, and they add, in turn. */
export interface TreeRef {
  readonly tree: number;
}

export type Prerequisite = { readonly id: number } | TreeRef;

export interface AddOptions {
  /** Tasks to wait for (besides those the input refers to). `[]` in a sequential workflow: none. */
  after?: readonly Prerequisite[];
  label?: string;
  retry?: RetryPolicy;
  /**
   * Keep this task's output on the page even when a dependent could take it over without a copy.
   * Default false: an output goes into its last consumer without a copy when it is stored (it can
   * be read back from the store); the page's own object is then detached.
   */
  keep?: boolean;
  priority?: number;
  /** Milliseconds of running before the task is cancelled with a TimeoutError. */
  timeout?: number;
}

/** What `add` gives back: the task's id, references to its output, and its outcome. */
export class TaskRef<O> implements Referable<O> {
  declare readonly __output?: O;
  constructor(
    readonly id: number,
    private readonly wf: Workflow<never>,
  ) {}

  /** A reference to (part of) this task's output, for another task's input. */
  output(): OutputRef<O>;
  output<K1 extends keyof O>(k1: K1): OutputRef<O[K1]>;
  output<K1 extends keyof O, K2 extends keyof O[K1]>(k1: K1, k2: K2): OutputRef<O[K1][K2]>;
  output(...path: PathKey[]): OutputRef<unknown> {
    return { $ref: this.id, path };
  }

  /** As a prerequisite: this task and every task it adds, transitively. */
  get tree(): TreeRef {
    return { tree: this.id };
  }

  get record(): Readonly<WorkflowTask> {
    return this.wf.task(this.id)!;
  }

  /** Resolves with the output when the task is done; rejects with why it did not run or failed. */
  wait(): Promise<O> {
    return this.wf.wait(this.id) as Promise<O>;
  }
}

const NO_REFS: readonly OutputRef[] = [];

type Listener<E extends Event> = ((e: E) => void) | { handleEvent(e: E): void };

export class Workflow<R extends OpRegistry = OpRegistry> extends EventTarget implements MonitorSource {
  readonly id: string;
  readonly name: string;
  readonly mode: WorkflowMode;
  createdAt = Date.now();
  /** The last write the store refused (a StorageFullError when the quota is full), or null. */
  storageError: Error | null = null;

  private readonly graph = new TaskGraph();
  private readonly sched: Scheduler;
  private readonly persister: Persister<Node> | null;
  private readonly store: WorkflowStore | null;
  private readonly listeners = new ListenerPairs(this, ['task', 'state', 'worker']);
  private readonly cleared = new Set<number>();
  private logSeq = new Map<number, number>();
  private poolTaskListener: ((e: TaskEvent) => void) | null = null;
  private poolWorkerListener: ((e: WorkerEvent) => void) | null = null;

  /** `restored` is `Workflow.load`'s path: the tasks of a stored workflow, as they were. */
  constructor(
    readonly pool: Pool<R>,
    options: WorkflowOptions = {},
    restored?: RestoredWorkflow,
  ) {
    super();
    this.id = options.id ?? crypto.randomUUID();
    this.name = options.name ?? this.id;
    this.mode = options.mode ?? 'parallel';
    const store = options.store ?? null;
    this.store = store;
    this.persister = store
      ? new Persister<Node>(
          store,
          this.id,
          () => this.storedWorkflow(),
          (n) => this.storedTask(n),
          (e) => {
            this.storageError = e;
            this.dispatchEvent(new StorageErrorEvent(e));
          },
        )
      : null;
    this.persister?.workflow();
    this.sched = new Scheduler(
      this.graph,
      this.pool as unknown as Pool<OpRegistry>,
      this.persister,
      options.retry,
      {
        emit: (change, n) => this.emit(change, n),
        stateChanged: (state, previous) => {
          if (this.listeners.has('state')) this.dispatchEvent(new WorkflowStateEvent(state, previous));
        },
        log: (n, text, stream) => this.onLog(n, text, stream),
        spawn: (n, specs) => this.insertSpecs(n, specs),
        poolGone: () => void this.stop(),
      },
      restored?.state,
    );
    if (restored) {
      this.createdAt = restored.workflow.createdAt;
      for (const t of restored.tasks) {
        this.logSeq.set(t.node.id, t.logSeq);
        this.graph.link(t.node);
        this.sched.counts[t.node.place]++;
        if (t.stale) this.persister?.task(t.node);
        this.graph.lastAdded = t.node.id;
      }
    }
  }

  // ---- building --------------------------------------------------------------------------

  /**
   * Adds a task. Its input may hold references to other tasks' outputs (`a.output('volume')`,
   * `ref(a, 'volume')`): the task then waits for those tasks too, and gets their outputs.
   */
  add<K extends OpName<R>>(op: K, input: WithRefs<InputOf<R[K]>>, options: AddOptions = {}): TaskRef<Unspawned<OutputOf<R[K]>>> {
    const after = options.after?.map((p): Dep => ('id' in p ? { id: p.id, tree: false } : { id: p.tree, tree: true }));
    const node = this.insert(op, input, after, null, options);
    return new TaskRef(node.id, this as unknown as Workflow<never>);
  }

  private insert(op: string, input: unknown, after: Dep[] | undefined, parent: number | null, options: AddOptions): Node {
    const refs = input !== null && typeof input === 'object' ? collectRefs(input) : NO_REFS;
    const g = this.graph;
    const sequential = after === undefined && this.mode === 'sequential' && g.lastAdded !== null;
    const deps: Dep[] = refs.length === 0 && !sequential && (after === undefined || after.length === 0) ? [] : g.depsOf(after, refs, sequential);

    const id = g.nextId;
    const node = new Node({
      id,
      op,
      label: options.label ?? op,
      input,
      storedInput: this.persister ? encodeValue(input).value : undefined,
      refs,
      after: deps,
      parent,
      retry: options.retry,
      keep: options.keep ?? false,
      priority: options.priority ?? 0,
      timeout: options.timeout ?? null,
      queuedAt: performance.timeOrigin + performance.now(),
    });
    g.link(node);
    this.sched.counts.waiting++;
    g.lastAdded = id;
    this.persister?.task(node);
    this.persister?.workflow();
    this.emit('added', node);
    // A workflow that had ended runs again for a task added to it.
    const st = this.sched.state;
    if (st === 'done' || st === 'failed') this.sched.setState('running');
    if (this.sched.state === 'running') this.sched.evaluate(node);
    return node;
  }

  /** The tasks an op announced (`addTasks`), as children of `parent`; all or none. */
  private insertSpecs(parent: Node, specs: readonly TaskSpec[]): void {
    for (const c of childTasks(parent.op, this.graph.nextId, specs)) {
      const opts: AddOptions = { label: c.label, keep: c.keep };
      if (c.retry) opts.retry = c.retry;
      this.insert(c.op, c.input, c.after, parent.id, opts);
    }
  }

  // ---- running ---------------------------------------------------------------------------

  get state(): WorkflowState {
    return this.sched.state;
  }

  /** Starts (or restarts after `stop`): every task whose prerequisites are done is sent to the pool. */
  start(): void {
    const s = this.sched;
    if (s.state === 'running' || s.state === 'stopping') return;
    this.graph.each((n) => {
      if (n.place === 'cancelled' && n.stopping) {
        n.stopping = false;
        n.resetRun();
        n.reopenLog();
        s.setPlace(n, 'waiting', 'restart');
      }
    });
    s.setState('running');
    this.graph.each((n) => {
      if (n.place === 'waiting') s.evaluate(n);
    });
    s.checkEnd();
  }

  /** Starts and resolves when nothing more can run (done, failed) or the workflow was stopped. */
  run(): Promise<WorkflowSummary> {
    this.start();
    return this.settled();
  }

  /** Resolves at the next time nothing more runs: done, failed, or stopped. */
  settled(): Promise<WorkflowSummary> {
    if (this.sched.ended) return Promise.resolve(this.summary());
    return new Promise((resolve) => this.sched.whenEnded(resolve));
  }

  /**
   * Stops: queued and running tasks are cancelled, waiting ones stay waiting, and nothing is
   * skipped. `start()` later runs the cancelled ones again. Resolves once stopped.
   */
  stop(): Promise<WorkflowSummary> {
    const s = this.sched;
    if (s.state !== 'running') return this.settled();
    const p = this.settled();
    s.setState('stopping');
    this.graph.each((n) => {
      // Every promise settles: a wait on a task that now will not run until a restart ends here.
      if (n.place === 'waiting' && n.waiters.length > 0) {
        const error = new CancelledError('Workflow stopped before the task ran');
        for (const w of n.waiters.splice(0)) w.reject(error);
      }
      if (n.place !== 'queued') return;
      n.stopping = true;
      if (n.handle) n.handle.cancel(new CancelledError('Workflow stopped'));
      else s.finish(n, new CancelledError('Workflow stopped'));
    });
    s.checkEnd();
    return p;
  }

  /** Cancels one task (its dependents are skipped). False if it had already ended. */
  cancel(id: number): boolean {
    const n = this.graph.get(id);
    // A task being saved has finished: there is nothing left to cancel.
    if (!n || FINAL_PLACES.has(n.place) || n.place === 'saving') return false;
    if (n.handle && n.place === 'queued') n.handle.cancel(new CancelledError('Task was cancelled'));
    else this.sched.finish(n, new CancelledError('Task was cancelled'));
    return true;
  }

  /** The monitor's "cancel all": stops the workflow (restartable). */
  cancelAll(): Promise<WorkflowSummary> {
    return this.stop();
  }

  /**
   * Runs a failed, cancelled or skipped task again, with the tasks skipped because of it.
   * False if the task is not in one of those places.
   */
  restart(id: number): boolean {
    const n = this.graph.get(id);
    if (!n || !(n.place === 'failed' || n.place === 'cancelled' || n.place === 'skipped')) return false;
    const s = this.sched;
    const reset: Node[] = [];
    const visit = (x: Node): void => {
      x.stopping = false;
      x.retries = { crash: 0, error: 0, timeout: 0 };
      x.resetRun();
      x.reopenLog();
      s.setPlace(x, 'waiting', 'restart');
      reset.push(x);
      this.graph.eachDownstream(x, (d) => {
        if (d.place === 'skipped') visit(d);
      });
    };
    visit(n);
    if (s.state === 'done' || s.state === 'failed') s.setState('running');
    if (s.state === 'running') for (const x of reset) s.evaluate(x);
    return true;
  }

  /** The monitor's retry. */
  retry(id: number): boolean {
    return this.restart(id);
  }

  /** Restarts every failed and cancelled task; returns how many. */
  restartFailed(): number {
    let k = 0;
    for (const n of [...this.graph]) if ((n.place === 'failed' || n.place === 'cancelled') && this.restart(n.id)) k++;
    return k;
  }

  /** Resolves with the task's output once done; rejects with its error if it fails, is cancelled or skipped. */
  wait(id: number): Promise<unknown> {
    const n = this.graph.get(id);
    if (!n) return Promise.reject(new UnknownTaskError(id));
    if (n.place === 'done') return this.result(id);
    if (FINAL_PLACES.has(n.place)) return Promise.reject(n.error ?? new CancelledError());
    return new Promise((resolve, reject) => n.waiters.push({ resolve, reject }));
  }

  /**
   * A done task's output: the page's own object while it has it, else a fresh copy read back
   * from the store (after it was moved into a consumer, or after a resume).
   */
  async result(id: number): Promise<unknown> {
    const n = this.graph.get(id);
    if (!n) throw new UnknownTaskError(id);
    if (n.place !== 'done') return this.wait(id);
    if (n.hasOutput) return n.output;
    if (n.hasStoredOutput) return decodeValue(n.storedOutput);
    throw new OutputReleasedError(id);
  }

  /** Resolves when every change so far is in the store (rejects with StorageFullError if it is full). */
  flush(): Promise<void> {
    return this.persister ? this.persister.flush() : Promise.resolve();
  }

  /**
   * Stops the workflow and deletes it from its store. Its writes end first, so no write still
   * on its way brings a deleted workflow back. Resolves with whether the store had it.
   */
  async discard(): Promise<boolean> {
    await this.stop();
    if (!this.persister || !this.store) return false;
    await this.persister.close();
    return this.store.delete(this.id);
  }

  // ---- reading ---------------------------------------------------------------------------

  task(id: number): Readonly<WorkflowTask> | undefined {
    return this.graph.get(id);
  }

  /** A task's definition as it was added (what a workflow file is written from), or undefined. */
  definition(id: number): TaskDefinition | undefined {
    const n = this.graph.get(id);
    if (!n) return undefined;
    return { id: n.id, op: n.op, label: n.label, input: n.input, after: n.after, parent: n.parent, retry: n.retry, priority: n.priority, timeout: n.timeout };
  }

  /** Every task, in the order added (those cleared with `clearFinished` left out). */
  tasks(): Readonly<WorkflowTask>[] {
    const out: Node[] = [];
    this.graph.each((n) => {
      if (!this.cleared.has(n.id)) out.push(n);
    });
    return out;
  }

  /** Hides finished tasks from `tasks()` (the monitor's "clear finished"); they stay in the workflow. */
  clearFinished(): void {
    for (const n of this.graph) if (FINAL_PLACES.has(n.place)) this.cleared.add(n.id);
    this.emitAny();
  }

  workers(): readonly Readonly<MonitorWorker>[] {
    return this.pool.workers();
  }

  get size(): number {
    return this.pool.size;
  }

  typicalRunTime(op: string): number | undefined {
    return this.pool.typicalRunTime(op);
  }

  summary(): WorkflowSummary {
    return this.sched.summary();
  }

  // ---- events, store ---------------------------------------------------------------------

  private onLog(n: Node, text: string, stream: 'out' | 'err'): void {
    const line = { stream, text, at: performance.timeOrigin + performance.now(), attempt: n.attempts };
    n.log.push(line);
    if (this.persister) {
      const seq = this.logSeq.get(n.id) ?? 0;
      this.logSeq.set(n.id, seq + 1);
      this.persister.log({ wf: this.id, task: n.id, seq, ...line });
    }
    if (this.listeners.has('task')) this.dispatchEvent(new WorkflowTaskEvent('log', n, line));
  }

  private emit(change: WorkflowTaskChange, n: Node): void {
    if (this.listeners.has('task')) this.dispatchEvent(new WorkflowTaskEvent(change, n));
  }

  private emitAny(): void {
    if (this.listeners.has('task')) this.dispatchEvent(new Event('task'));
  }

  private storedWorkflow(): StoredWorkflow {
    return { id: this.id, name: this.name, mode: this.mode, state: this.sched.state, createdAt: this.createdAt, updatedAt: Date.now(), tasks: this.graph.size };
  }

  private storedTask(n: Node): StoredTask {
    return {
      wf: this.id,
      id: n.id,
      op: n.op,
      label: n.label,
      input: n.storedInput,
      after: [...n.after],
      parent: n.parent,
      retry: n.retry ?? null,
      keep: n.keep,
      priority: n.priority,
      timeout: n.timeout,
      place: n.place,
      ending: n.ending,
      attempts: n.attempts,
      retries: { ...n.retries },
      queuedAt: n.queuedAt,
      startedAt: n.startedAt,
      endedAt: n.endedAt,
      workerId: n.workerId,
    };
  }

  // ---- events: built only for listeners -------------------------------------------------

  override addEventListener<K extends keyof WorkflowEventMap>(
    type: K,
    listener: Listener<WorkflowEventMap[K]> | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    this.listeners.add(type, listener, options);
    if (type === 'task' && !this.poolTaskListener) {
      // 'running' is known to the pool only: follow its events while someone here listens.
      const byPoolId = this.sched.byPoolId;
      this.poolTaskListener = (e) => {
        const n = byPoolId.get(e.record.id);
        if (n && (e.change === 'running' || e.change === 'progress')) this.emit(e.change, n);
      };
      this.sched.followPool = true;
      for (const n of this.graph) if (n.handle) byPoolId.set(n.handle.id, n);
      this.pool.addEventListener('task', this.poolTaskListener);
    }
    if (type === 'worker' && !this.poolWorkerListener) {
      this.poolWorkerListener = (e) => {
        if (this.listeners.has('worker')) this.dispatchEvent(new WorkerEvent(e.change, e.worker, e.detail));
      };
      this.pool.addEventListener('worker', this.poolWorkerListener);
    }
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof WorkflowEventMap>(
    type: K,
    listener: Listener<WorkflowEventMap[K]> | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    this.listeners.remove(type, listener, options);
    super.removeEventListener(type, listener, options);
  }

  // ---- stored workflows -------------------------------------------------------------------

  /** A stored workflow as it was, not started: finished tasks keep their results; interrupted ones wait to run. */
  static async load<R extends OpRegistry>(pool: Pool<R>, store: WorkflowStore, id: string, options: Pick<WorkflowOptions, 'retry'> = {}): Promise<Workflow<R>> {
    const data = await store.load(id);
    if (!data) throw new WorkflowNotFoundError(id);
    const w = data.workflow;
    return new Workflow<R>(pool, { id: w.id, name: w.name, mode: w.mode, store, ...options }, restoreWorkflow(data));
  }

  /** Loads a stored workflow and starts it: after a reload or a crashed tab, it goes on where it was. */
  static async resume<R extends OpRegistry>(
    pool: Pool<R>,
    store: WorkflowStore,
    id: string,
    options: Pick<WorkflowOptions, 'retry'> = {},
  ): Promise<Workflow<R>> {
    const wf = await Workflow.load(pool, store, id, options);
    if (wf.state === 'idle' || wf.state === 'stopped') wf.start();
    return wf;
  }
}
