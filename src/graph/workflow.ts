/**
 * A workflow: tasks on a pool that wait for other tasks (Scipion's steps with prerequisites,
 * soma-workflow's workflows), in the browser.
 *
 *   const wf = new Workflow(pool, { store: await openWorkflowStore() });
 *   const a = wf.add('volume.read', { name, bytes });
 *   const b = wf.add('volume.gaussianVtk', { volume: a.output(), radiusFactor: 5 });
 *   const summary = await wf.run();
 *
 * Scheduling is event driven: a task is looked at when it is added, when one of its
 * prerequisites settles, and at start; nothing polls. A task's own retries happen here, not in
 * the pool (the pool is told `crashRetries: 0`), because the workflow keeps every task's input
 * and the pool can't retry one whose buffers were moved into the worker that died.
 */
import { CancelledError, InputError, PoolTerminatedError, TaskFailedError, TimeoutError, WorkerCrashedError } from '../core/errors.ts';
import { WorkerEvent, type TaskEvent } from '../core/events.ts';
import type { Pool } from '../pool/pool.ts';
import type { InputOf, OpName, OpRegistry, OutputOf } from '../core/op.ts';
import type { MonitorSource, MonitorWorker } from '../core/monitor-source.ts';
import { decodeValue, encodeValue, hasBlobs } from './codec.ts';
import { OutputReleasedError, SkippedError, UnknownTaskError, WorkflowNotFoundError } from './errors.ts';
import { StorageErrorEvent, WorkflowStateEvent, WorkflowTaskEvent, type WorkflowEventMap, type WorkflowTaskChange } from './events.ts';
import { ListenerPairs } from '../core/listeners.ts';
import { Persister } from './persist.ts';
import { collectRefs, follow, mapRefs, resolveRefs, type OutputRef, type PathKey, type Referable, type WithRefs } from './refs.ts';
import { mayRetry, retryDelay, type RetryPolicy } from './retry.ts';
import { isSpawn, type TaskSpec, type Unspawned } from './spawn.ts';
import { FINAL_PLACES, endingOf, type TaskEnding, type TaskPlace, type WorkflowState } from './states.ts';
import type { Dep, StoredTask, StoredWorkflow, WorkflowMode, WorkflowStore } from './store.ts';
import { Node, type WorkflowTask } from './task.ts';

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

export interface WorkflowSummary {
  state: WorkflowState;
  total: number;
  done: number;
  failed: number;
  cancelled: number;
  skipped: number;
}

interface Prepared {
  input: unknown;
  mode: 'copy' | 'transfer';
  moved: Node[];
}

const NO_REFS: readonly OutputRef[] = [];
const NO_NODES: readonly Node[] = [];

type Listener<E extends Event> = ((e: E) => void) | { handleEvent(e: E): void };

export class Workflow<R extends OpRegistry = OpRegistry> extends EventTarget implements MonitorSource {
  readonly id: string;
  readonly name: string;
  readonly mode: WorkflowMode;
  createdAt = Date.now();
  /** The last write the store refused (a StorageFullError when the quota is full), or null. */
  storageError: Error | null = null;

  private readonly nodes: (Node | undefined)[] = [undefined];
  private readonly byPoolId = new Map<number, Node>();
  private lastAdded: number | null = null;
  private st: WorkflowState = 'idle';
  private readonly counts: Record<TaskPlace, number> = { waiting: 0, queued: 0, running: 0, saving: 0, done: 0, failed: 0, cancelled: 0, skipped: 0 };
  private readonly persister: Persister<Node> | null;
  private readonly defaultRetry: RetryPolicy | undefined;
  private endWaiters: ((s: WorkflowSummary) => void)[] = [];
  private readonly listeners = new ListenerPairs(this, ['task', 'state', 'worker']);
  private readonly cleared = new Set<number>();
  private logSeq = new Map<number, number>();
  private poolTaskListener: ((e: TaskEvent) => void) | null = null;
  private poolWorkerListener: ((e: WorkerEvent) => void) | null = null;

  constructor(
    readonly pool: Pool<R>,
    options: WorkflowOptions = {},
  ) {
    super();
    this.id = options.id ?? crypto.randomUUID();
    this.name = options.name ?? this.id;
    this.mode = options.mode ?? 'parallel';
    this.defaultRetry = options.retry;
    const store = options.store ?? null;
    this.persister = store
      ? new Persister<Node>(store, this.id, () => this.storedWorkflow(), (n) => this.storedTask(n), (e) => {
          this.storageError = e;
          this.dispatchEvent(new StorageErrorEvent(e));
        })
      : null;
    this.persister?.workflow();
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
    const sequential = after === undefined && this.mode === 'sequential' && this.lastAdded !== null;
    const deps: Dep[] = refs.length === 0 && !sequential && (after === undefined || after.length === 0) ? [] : this.depsOf(after, refs, sequential);

    const id = this.nodes.length;
    const node = new Node(
      id, op, options.label ?? op, input,
      this.persister ? encodeValue(input).value : undefined,
      refs, deps, parent, options.retry, options.keep ?? false, options.priority ?? 0, options.timeout ?? null,
      performance.timeOrigin + performance.now(),
    );
    this.link(node);
    this.counts.waiting++;
    this.lastAdded = id;
    this.persister?.task(node);
    this.persister?.workflow();
    this.emit('added', node);
    // A workflow that had ended runs again for a task added to it.
    if (this.st === 'done' || this.st === 'failed') this.setState('running');
    if (this.st === 'running') this.evaluate(node);
    return node;
  }

  /** Prerequisites of a new task: those named, those its input refers to, and in sequential mode the one before. */
  private depsOf(after: Dep[] | undefined, refs: readonly OutputRef[], sequential: boolean): Dep[] {
    const deps: Dep[] = [];
    const need = (d: Dep): void => {
      if (!this.nodes[d.id]) throw new UnknownTaskError(d.id);
      for (const x of deps) if (x.id === d.id && x.tree === d.tree) return;
      deps.push(d);
    };
    if (after) for (const d of after) need(d);
    for (const r of refs) {
      if (typeof r.$ref !== 'number') throw new UnknownTaskError(r.$ref);
      need({ id: r.$ref, tree: false });
    }
    if (sequential) need({ id: this.lastAdded!, tree: false });
    return deps;
  }

  /** Records a new node with its prerequisites, parent and the outputs it consumes. */
  private link(node: Node): void {
    this.nodes.push(node);
    for (const d of node.after) {
      const p = this.nodes[d.id]!;
      (d.tree ? p.treeWaiters : p.dependents).push(node.id);
    }
    if (!node.consumedRefs && node.refs.length > 0) for (const id of new Set(node.refs.map((r) => r.$ref as number))) this.nodes[id]!.consumers++;
    if (node.parent !== null) this.nodes[node.parent]!.children.push(node.id);
  }

  /** The tasks an op announced (`addTasks`), as children of `parent`; all or none. */
  private insertSpecs(parent: Node, specs: readonly TaskSpec[]): void {
    const keys = new Map<string, number>();
    let next = this.nodes.length;
    specs.forEach((s, i) => {
      if (typeof s?.op !== 'string') throw new InputError(`${parent.op} output.tasks[${i}].op`, 'must be the name of an operation');
      if (s.key !== undefined) {
        if (keys.has(s.key)) throw new InputError(`${parent.op} output.tasks[${i}].key`, `"${s.key}" is used twice`);
        keys.set(s.key, next);
      }
      next++;
    });
    const idOf = (key: string | number, where: string): number => {
      const id = typeof key === 'string' ? keys.get(key) : undefined;
      if (id === undefined) throw new InputError(where, `no task spec has the key "${String(key)}"`);
      return id;
    };
    const prepared = specs.map((s, i) => {
      const where = `${parent.op} output.tasks[${i}]`;
      const after = s.after?.map((a): Dep => (typeof a === 'string' ? { id: idOf(a, `${where}.after`), tree: false } : { id: idOf(a.tree, `${where}.after`), tree: true }));
      const input = mapRefs(s.input ?? null, (k) => idOf(k, `${where}.input`));
      return { s, after, input };
    });
    for (const { s, after, input } of prepared) {
      const opts: AddOptions = { label: s.label ?? s.op, keep: s.keep ?? false };
      if (s.retry) opts.retry = s.retry;
      this.insert(s.op, input, after, parent.id, opts);
    }
  }

  // ---- running ---------------------------------------------------------------------------

  get state(): WorkflowState {
    return this.st;
  }

  /** Starts (or restarts after `stop`): every task whose prerequisites are done is sent to the pool. */
  start(): void {
    if (this.st === 'running' || this.st === 'stopping') return;
    for (const n of this.nodes) {
      if (n && n.place === 'cancelled' && n.stopping) {
        n.stopping = false;
        n.resetRun();
        n.reopenLog();
        this.setPlace(n, 'waiting', 'restart');
      }
    }
    this.setState('running');
    for (const n of this.nodes) if (n && n.place === 'waiting') this.evaluate(n);
    this.checkEnd();
  }

  /** Starts and resolves when nothing more can run (done, failed) or the workflow was stopped. */
  run(): Promise<WorkflowSummary> {
    this.start();
    return this.settled();
  }

  /** Resolves at the next time nothing more runs: done, failed, or stopped. */
  settled(): Promise<WorkflowSummary> {
    if (this.st === 'done' || this.st === 'failed' || this.st === 'stopped') return Promise.resolve(this.summary());
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /**
   * Stops: queued and running tasks are cancelled, waiting ones stay waiting, and nothing is
   * skipped. `start()` later runs the cancelled ones again. Resolves once stopped.
   */
  stop(): Promise<WorkflowSummary> {
    if (this.st !== 'running') return this.settled();
    const p = this.settled();
    this.setState('stopping');
    for (const n of this.nodes) {
      // Every promise settles: a wait on a task that now will not run until a restart ends here.
      if (n && n.place === 'waiting' && n.waiters.length > 0) {
        const error = new CancelledError('Workflow stopped before the task ran');
        for (const w of n.waiters.splice(0)) w.reject(error);
      }
      if (!n || n.place !== 'queued') continue;
      n.stopping = true;
      if (n.handle) n.handle.cancel(new CancelledError('Workflow stopped'));
      else this.finish(n, new CancelledError('Workflow stopped'));
    }
    this.checkEnd();
    return p;
  }

  /** Cancels one task (its dependents are skipped). False if it had already ended. */
  cancel(id: number): boolean {
    const n = this.nodes[id];
    // A task being saved has finished: there is nothing left to cancel.
    if (!n || FINAL_PLACES.has(n.place) || n.place === 'saving') return false;
    if (n.handle && n.place === 'queued') n.handle.cancel(new CancelledError('Task was cancelled'));
    else this.finish(n, new CancelledError('Task was cancelled'));
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
    const n = this.nodes[id];
    if (!n || !(n.place === 'failed' || n.place === 'cancelled' || n.place === 'skipped')) return false;
    const reset: Node[] = [];
    const visit = (x: Node): void => {
      x.stopping = false;
      x.retries = { crash: 0, error: 0, timeout: 0 };
      x.resetRun();
      x.reopenLog();
      this.setPlace(x, 'waiting', 'restart');
      reset.push(x);
      for (const d of this.downstream(x)) if (d.place === 'skipped') visit(d);
    };
    visit(n);
    if (this.st === 'done' || this.st === 'failed') this.setState('running');
    if (this.st === 'running') for (const x of reset) this.evaluate(x);
    return true;
  }

  /** The monitor's retry. */
  retry(id: number): boolean {
    return this.restart(id);
  }

  /** Restarts every failed and cancelled task; returns how many. */
  restartFailed(): number {
    let k = 0;
    for (const n of [...this.nodes]) if (n && (n.place === 'failed' || n.place === 'cancelled') && this.restart(n.id)) k++;
    return k;
  }

  /** Resolves with the task's output once done; rejects with its error if it fails, is cancelled or skipped. */
  wait(id: number): Promise<unknown> {
    const n = this.nodes[id];
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
    const n = this.nodes[id];
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

  // ---- reading ---------------------------------------------------------------------------

  task(id: number): Readonly<WorkflowTask> | undefined {
    return this.nodes[id];
  }

  /** Every task, in the order added (those cleared with `clearFinished` left out). */
  tasks(): Readonly<WorkflowTask>[] {
    const out: Node[] = [];
    for (const n of this.nodes) if (n && !this.cleared.has(n.id)) out.push(n);
    return out;
  }

  /** Hides finished tasks from `tasks()` (the monitor's "clear finished"); they stay in the workflow. */
  clearFinished(): void {
    for (const n of this.nodes) if (n && FINAL_PLACES.has(n.place)) this.cleared.add(n.id);
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
    const c = this.counts;
    return { state: this.st, total: this.nodes.length - 1, done: c.done, failed: c.failed, cancelled: c.cancelled, skipped: c.skipped };
  }

  // ---- scheduling ------------------------------------------------------------------------

  /** 'ok', 'wait', or the prerequisite that blocks for good. */
  private depState(n: Node): 'ok' | 'wait' | { id: number; why: string } {
    if (n.place === 'done') return 'ok';
    if (n.place === 'failed') return { id: n.id, why: 'failed' };
    if (n.place === 'skipped') return { id: n.id, why: 'was skipped' };
    if (n.place === 'cancelled' && !n.stopping) return { id: n.id, why: 'was cancelled' };
    return 'wait';
  }

  private treeState(n: Node): 'ok' | 'wait' | { id: number; why: string } {
    let s = this.depState(n);
    if (s !== 'ok') return s;
    for (const c of n.children) {
      const cs = this.treeState(this.nodes[c]!);
      if (typeof cs === 'object') return cs;
      if (cs === 'wait') s = 'wait';
    }
    return s;
  }

  /** Sends a waiting task on if it can go, or skips it if it never can. */
  private evaluate(n: Node): void {
    if (n.place !== 'waiting' || this.st !== 'running') return;
    let wait = false;
    for (const d of n.after) {
      const p = this.nodes[d.id]!;
      const s = d.tree ? this.treeState(p) : this.depState(p);
      if (typeof s === 'object') return this.skip(n, s.id, s.why);
      if (s === 'wait') wait = true;
    }
    if (!wait) this.launch(n);
  }

  private launch(n: Node): void {
    this.setPlace(n, 'queued');
    if (n.refs.length === 0 && n.storedInput !== n.input) return this.submit(n, n.input, 'copy', NO_NODES);
    let prepared: Prepared | Promise<Prepared>;
    try {
      prepared = this.prepare(n);
    } catch (e) {
      return this.finish(n, asError(e));
    }
    if (prepared instanceof Promise) prepared.then((p) => this.submit(n, p.input, p.mode, p.moved), (e: unknown) => this.finish(n, asError(e)));
    else this.submit(n, prepared.input, prepared.mode, prepared.moved);
  }

  /**
   * The input to send: references resolved. Outputs go without a copy into the last task that
   * consumes them when the store holds a copy to read back; otherwise the consumer gets a copy,
   * so the page's output (and other consumers') stays whole.
   */
  private prepare(n: Node): Prepared | Promise<Prepared> {
    const inputBlobs = n.storedInput === n.input && hasBlobs(n.input);
    if (n.refs.length === 0) {
      if (!inputBlobs) return { input: n.input, mode: 'copy', moved: [] };
      return decodeValue(n.input).then((input) => ({ input, mode: 'transfer', moved: [] }));
    }
    const producers = [...new Set(n.refs.map((r) => r.$ref as number))].map((id) => this.nodes[id]!);
    if (!inputBlobs && producers.every((p) => p.hasOutput)) {
      return this.assemble(n, n.input, false, new Map(producers.map((p) => [p.id, { value: p.output, fresh: false }])));
    }
    return (async () => {
      const base = inputBlobs ? await decodeValue(n.input) : n.input;
      const values = new Map<number, { value: unknown; fresh: boolean }>();
      for (const p of producers) {
        if (p.hasOutput) values.set(p.id, { value: p.output, fresh: false });
        else if (p.hasStoredOutput) values.set(p.id, { value: await decodeValue(p.storedOutput), fresh: true });
        else throw new OutputReleasedError(p.id);
      }
      return this.assemble(n, base, inputBlobs, values);
    })();
  }

  private assemble(n: Node, base: unknown, baseFresh: boolean, values: Map<number, { value: unknown; fresh: boolean }>): Prepared {
    const moved: Node[] = [];
    for (const [id, v] of values) {
      const p = this.nodes[id]!;
      // The consumers still to start, this one not counted: none left means this is the last.
      const last = p.consumers <= 1;
      if (!v.fresh && last && !p.keep && p.hasStoredOutput && this.persister) moved.push(p);
    }
    const movedIds = new Set(moved.map((p) => p.id));
    // The literal part of the input is the task's definition, kept for retries: send a copy.
    const literal = baseFresh ? base : structuredClone(base);
    const input = resolveRefs(literal, (r, where) => {
      const v = values.get(r.$ref as number)!;
      const part = follow(v.value, r, where);
      return v.fresh || movedIds.has(r.$ref as number) ? part : structuredClone(part);
    });
    return { input, mode: 'transfer', moved };
  }

  private submit(n: Node, input: unknown, mode: 'copy' | 'transfer', moved: readonly Node[]): void {
    if (n.place !== 'queued' || n.handle) return; // cancelled or stopped while its input was read
    n.attempts++;
    const pool = this.pool as unknown as Pool<OpRegistry>;
    let handle;
    try {
      handle = pool.submit(n.op as OpName<OpRegistry>, input as never, {
        input: mode,
        label: n.label,
        priority: n.priority,
        // None given: the pool's own default timeout applies.
        timeout: n.timeout ?? undefined,
        crashRetries: 0,
        onLog: (text, stream) => this.onLog(n, text, stream),
      });
    } catch (e) {
      return this.finish(n, asError(e));
    }
    n.handle = handle;
    // First start of a consumer: its producers have one consumer less; moved outputs leave the page.
    if (!n.consumedRefs && n.refs.length > 0) {
      n.consumedRefs = true;
      for (const id of new Set(n.refs.map((r) => r.$ref as number))) this.nodes[id]!.consumers--;
    }
    for (const m of moved) {
      m.output = undefined;
      m.hasOutput = false;
    }
    if (this.poolTaskListener) this.byPoolId.set(handle.id, n);
    handle.result.then(
      (out) => this.succeed(n, handle, out),
      (e: unknown) => {
        if (n.handle !== handle) return;
        n.takeTimes();
        this.byPoolId.delete(handle.id);
        this.finish(n, asError(e));
      },
    );
  }

  private succeed(n: Node, handle: { id: number }, out: unknown): void {
    if (n.handle?.id !== handle.id) return;
    n.takeTimes();
    // The handle holds the pool's whole task (input, closures): let it go.
    n.handle = null;
    this.byPoolId.delete(handle.id);
    let result = out;
    if (isSpawn(out)) {
      result = out.result;
      try {
        this.insertSpecs(n, out.tasks);
      } catch (e) {
        return this.finish(n, asError(e), true);
      }
    }
    n.output = result;
    n.hasOutput = true;
    n.ending = { kind: 'finished' };
    n.closeLog();
    if (!this.persister) return this.complete(n, result);
    // Done means stored: until the result is committed the task is 'saving', so nothing (its
    // state, its events, its dependents, the page) calls it done before a reload would find it.
    n.storedOutput = encodeValue(result).value;
    n.hasStoredOutput = true;
    this.setPlace(n, 'saving');
    const saved = (): void => {
      if (n.place === 'saving') this.complete(n, result);
    };
    // A refused write is told once by the persister (storageError, 'storage-error'); the task
    // still finished and the workflow runs on, in memory.
    this.persister.result(n.id, n.storedOutput).then(saved, saved);
  }

  private complete(n: Node, result: unknown): void {
    this.setPlace(n, 'done');
    if (n.waiters.length > 0) for (const w of n.waiters.splice(0)) w.resolve(result);
    this.notify(n);
    this.checkEnd();
  }

  /** Ends a task that did not succeed: retried if its policy says so, else final, and dependents learn. */
  private finish(n: Node, error: Error, noRetry = false): void {
    if (FINAL_PLACES.has(n.place)) return;
    // The pool went away under the workflow (its page is leaving, it was terminated): nothing
    // failed and nobody cancelled anything, so the workflow stops, and a start() or a resume
    // later runs what is left instead of finding it cancelled and its dependents skipped.
    if (error instanceof PoolTerminatedError && this.st === 'running') void this.stop();
    const { place, ending } = endingOf(error, n.stopping);
    n.handle = null;
    if (n.retryTimer !== null) clearTimeout(n.retryTimer);
    n.retryTimer = null;
    const kind = !noRetry && this.st === 'running' && place === 'failed' ? mayRetry(n.retry ?? this.defaultRetry, ending, n.retries) : null;
    if (kind) {
      n.retries[kind]++;
      n.error = error;
      this.emit('retry', n);
      const again = (): void => {
        n.retryTimer = null;
        if (n.place !== 'queued' || this.st !== 'running') return;
        this.setPlace(n, 'waiting');
        this.evaluate(n);
      };
      const delay = retryDelay(n.retry ?? this.defaultRetry);
      if (delay > 0) n.retryTimer = setTimeout(again, delay);
      else again();
      return;
    }
    n.error = error;
    n.ending = ending;
    n.closeLog();
    this.setPlace(n, place);
    for (const w of n.waiters.splice(0)) w.reject(error);
    if (!n.stopping) this.notify(n);
    this.checkEnd();
  }

  private skip(n: Node, because: number, why: string): void {
    const error = new SkippedError(n.id, because, why);
    n.error = error;
    n.ending = { kind: 'skipped', because, message: error.message };
    n.closeLog();
    this.setPlace(n, 'skipped');
    for (const w of n.waiters.splice(0)) w.reject(error);
    this.notify(n);
  }

  /** A task settled: its dependents, and the tasks waiting on the trees it belongs to, look again. */
  private notify(n: Node): void {
    for (const d of n.dependents) this.evaluate(this.nodes[d]!);
    for (let a: Node | undefined = n; a; a = a.parent === null ? undefined : this.nodes[a.parent]) {
      for (const d of a.treeWaiters) this.evaluate(this.nodes[d]!);
    }
  }

  /** Tasks that wait on `n`, directly or through a tree it belongs to. */
  private downstream(n: Node): Node[] {
    const out = n.dependents.map((d) => this.nodes[d]!);
    for (let a: Node | undefined = n; a; a = a.parent === null ? undefined : this.nodes[a.parent]) {
      for (const d of a.treeWaiters) out.push(this.nodes[d]!);
    }
    return out;
  }

  private checkEnd(): void {
    const c = this.counts;
    if (c.queued > 0 || c.saving > 0) return;
    if (this.st === 'stopping') this.setState('stopped');
    else if (this.st === 'running' && c.waiting === 0) this.setState(c.done === this.nodes.length - 1 ? 'done' : 'failed');
  }

  // ---- state, events, store ------------------------------------------------------------

  private setPlace(n: Node, place: TaskPlace, change: WorkflowTaskChange = place): void {
    if (n.place !== place) {
      this.counts[n.place]--;
      this.counts[place]++;
      n.place = place;
    }
    // 'queued' and 'saving' are not stored: a task stored as waiting runs after a resume, and
    // one whose result was committed is done after a resume whatever place its record says.
    if (place !== 'queued' && place !== 'saving') this.persister?.task(n);
    this.emit(change, n);
  }

  private setState(state: WorkflowState): void {
    const previous = this.st;
    if (previous === state) return;
    this.st = state;
    this.persister?.workflow();
    if (this.listeners.has('state')) this.dispatchEvent(new WorkflowStateEvent(state, previous));
    if (state === 'done' || state === 'failed' || state === 'stopped') {
      const s = this.summary();
      for (const w of this.endWaiters.splice(0)) w(s);
    }
  }

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
    return { id: this.id, name: this.name, mode: this.mode, state: this.st, createdAt: this.createdAt, updatedAt: Date.now(), tasks: this.nodes.length - 1 };
  }

  private storedTask(n: Node): StoredTask {
    return {
      wf: this.id, id: n.id, op: n.op, label: n.label, input: n.storedInput, after: [...n.after], parent: n.parent,
      retry: n.retry ?? null, keep: n.keep, priority: n.priority, timeout: n.timeout,
      place: n.place, ending: n.ending, attempts: n.attempts, retries: { ...n.retries },
      queuedAt: n.queuedAt, startedAt: n.startedAt, endedAt: n.endedAt, workerId: n.workerId,
    };
  }

  // ---- events: built only for listeners -------------------------------------------------

  override addEventListener<K extends keyof WorkflowEventMap>(type: K, listener: Listener<WorkflowEventMap[K]> | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    this.listeners.add(type, listener, options);
    if (type === 'task' && !this.poolTaskListener) {
      // 'running' is known to the pool only: follow its events while someone here listens.
      this.poolTaskListener = (e) => {
        const n = this.byPoolId.get(e.record.id);
        if (n && (e.change === 'running' || e.change === 'progress')) this.emit(e.change, n);
      };
      for (const n of this.nodes) if (n?.handle) this.byPoolId.set(n.handle.id, n);
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

  override removeEventListener<K extends keyof WorkflowEventMap>(type: K, listener: Listener<WorkflowEventMap[K]> | null, options?: boolean | EventListenerOptions): void;
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
    const wf = new Workflow<R>(pool, { id: w.id, name: w.name, mode: w.mode, store, ...options });
    wf.createdAt = w.createdAt;
    const results = new Map(data.results.map((r) => [r.task, r.value]));
    const logs = new Map<number, typeof data.logs>();
    for (const l of data.logs) {
      let list = logs.get(l.task);
      if (!list) logs.set(l.task, (list = []));
      list.push(l);
    }
    for (const t of data.tasks.sort((a, b) => a.id - b.id)) {
      while (wf.nodes.length < t.id) wf.nodes.push(undefined);
      const n = new Node(t.id, t.op, t.label, t.input, t.input, collectRefs(t.input), t.after, t.parent, t.retry ?? undefined, t.keep, t.priority, t.timeout, t.queuedAt);
      n.attempts = t.attempts;
      n.retries = { ...t.retries };
      // A result is stored only for a task that finished (in the write that made it 'done' for
      // the page), so a stored result means done even if the record's own update was lost.
      const finished = results.has(t.id);
      if (finished) {
        n.place = 'done';
        n.ending = { kind: 'finished' };
        n.storedOutput = results.get(t.id);
        n.hasStoredOutput = true;
        n.consumedRefs = true;
        n.setTimes(t.startedAt, t.endedAt, t.workerId);
      } else if (FINAL_PLACES.has(t.place) && t.place !== 'done') {
        n.place = t.place;
        n.ending = t.ending;
        n.error = restoredError(t, t.ending);
        n.stopping = t.ending?.kind === 'cancelled' && t.ending.by === 'stop';
        n.consumedRefs = true;
        n.setTimes(t.startedAt, t.endedAt, t.workerId);
        n.closeLog();
      }
      const lines = (logs.get(t.id) ?? []).sort((a, b) => a.seq - b.seq);
      for (const l of lines) n.log.lines.push({ stream: l.stream, text: l.text, at: l.at, attempt: l.attempt });
      if (n.place === 'done') n.closeLog();
      wf.logSeq.set(n.id, lines.length ? lines[lines.length - 1]!.seq + 1 : 0);
      wf.link(n);
      wf.counts[n.place]++;
      if (n.place !== t.place) wf.persister?.task(n);
      wf.lastAdded = n.id;
    }
    wf.st = w.state === 'done' || w.state === 'failed' || w.state === 'stopped' ? w.state : 'idle';
    return wf;
  }

  /** Loads a stored workflow and starts it: after a reload or a crashed tab, it goes on where it was. */
  static async resume<R extends OpRegistry>(pool: Pool<R>, store: WorkflowStore, id: string, options: Pick<WorkflowOptions, 'retry'> = {}): Promise<Workflow<R>> {
    const wf = await Workflow.load(pool, store, id, options);
    if (wf.st === 'idle' || wf.st === 'stopped') wf.start();
    return wf;
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** An error object for a task that ended before the reload, from its stored ending. */
function restoredError(t: StoredTask, ending: TaskEnding | null): Error {
  switch (ending?.kind) {
    case 'error':
      return ending.name === 'InputError' ? new InputError(t.op, ending.message) : new TaskFailedError(t.op, { name: ending.name, message: ending.message });
    case 'timeout':
      return new TimeoutError(t.timeout ?? 0);
    case 'crashed':
      return new WorkerCrashedError(t.workerId ?? 0, 'exit', ending.message, t.attempts);
    case 'skipped':
      return new SkippedError(t.id, ending.because, 'did not finish');
    default:
      return new CancelledError(ending && 'message' in ending ? ending.message : 'Task was cancelled');
  }
}
