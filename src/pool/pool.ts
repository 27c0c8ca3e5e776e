/**
 * The worker pool: queues tasks, sends them to workers, and settles every promise it hands out,
 * whatever the workers do.
 *
 * Dispatch: a worker runs its tasks one at a time, in the order sent. A task whose operation is
 * known to be short may be sent behind the running one (a few ms of work at most), so tiny tasks
 * travel in batches; long or unknown ones, and ones that move buffers, go only to an idle worker.
 * The first task of a worker's list is the one running.
 */
import {
  CancelledError,
  InputError,
  PoolTerminatedError,
  QueueFullError,
  TimeoutError,
  WorkerCrashedError,
  WorkerStartError,
  fromRemoteError,
  type CrashReason,
} from '../core/errors.ts';
import { DrainEvent, TaskEvent, WorkerEvent, type PoolEventMap, type TaskChange, type WorkerChange, type WorkerInfo } from '../core/events.ts';
import { Histogram, type HistogramSummary } from './histogram.ts';
import { RunTimes } from './run-times.ts';
import { balanceShares } from './balance.ts';
import { LoneRoute, type LoneRouteStats, type LoneRouting, type LoneWay } from './lone-route.ts';
import { SpinChoice, type SpinPolicy, type SpinStats, type SpinWay } from './spin-choice.ts';
import { now, type WireTask, type WorkerEvent as WireEvent } from '../core/protocol.ts';
import { FINISHED_STATES, type RunOptions, type TaskRecord } from '../core/task.ts';
import { TaskQueue, type Queued, type TaskPhase } from './task-queue.ts';
import { ListenerPairs } from '../core/listeners.ts';
import { scanTransferables } from '../core/transfer.ts';
import { WorkerHandle, type WorkerSource } from './worker-handle.ts';
import { checkHost } from './process-host.ts';
import type { InputOf, OpName, OpRegistry, OutputOf } from '../core/op.ts';

export interface PoolOptions {
  /**
   * The worker module: a factory (`() => new Worker(new URL(...), { type: 'module' })`) or its
   * URL; or `processHost(...)` for workers each in a process of its own (cross-origin isolated
   * pages only), where a worker whose JS heap runs out fails only its task.
   */
  worker: WorkerSource;
  /** Workers at most. Default `navigator.hardwareConcurrency`. */
  size?: number;
  /** Tasks waiting at most; more are refused with QueueFullError. Default unbounded. */
  maxQueue?: number;
  /**
   * How long a cancelled running task may take to stop before its worker is replaced (ms).
   * Default 100: an op that honours its signal stops within a few ms (a synchronous one too, on
   * a cross-origin isolated page, where the cancel reaches it through shared memory).
   */
  cancelGrace?: number;
  /**
   * Workers kept started and idle beside the pool, to take the place of one that is replaced (a
   * cancelled task that would not stop, a crash) at once instead of after a worker's start-up
   * (hundreds of ms). Started after the pool's first worker is ready. Default 1; 0 for none.
   */
  spareWorkers?: number;
  /**
   * Milliseconds of running after which a task is cancelled with a TimeoutError, for every task
   * whose `RunOptions.timeout` is not given (0 there: none). Default none.
   */
  timeout?: number;
  /** Retries of a task whose worker crashed under it, before it fails. Default 1. */
  crashRetries?: number;
  /** Bytes of estimated task memory allowed at once across all workers. Default unbounded. */
  memoryBudget?: number;
  /** Estimates a task's peak bytes when the caller gives none. Default: 3 x its input's bytes. */
  estimateMemory?: (op: string, input: unknown, bytesIn: number) => number;
  /**
   * Estimated bytes above which a task is refused before anything is sent: one worker's wasm
   * memory is 4 GiB at most (wasm32), so a bigger task could only crash its worker.
   * Default 4 GiB less 256 MiB of headroom for the engine itself.
   */
  maxTaskMemory?: number;
  /** Finished task records kept for `tasks()` until `clearFinished()`. Default 1000. */
  history?: number;
  /**
   * Values made once on the page and given to every worker at start, read there with
   * `resource(name)`. The use: compile an engine's wasm once (`WebAssembly.compileStreaming`)
   * and post the Module to every worker instead of each worker fetching and compiling it.
   * A resource whose promise rejects is left out (its engine then loads on its own).
   */
  resources?: Record<string, () => unknown>;
  /**
   * Splits a task run with `split: 'auto'` across idle workers (see RunOptions.split).
   * `createPool` gives the volume splitter (src/parallel/); without one every task runs whole.
   */
  splitter?: TaskSplitter;
  /**
   * Which idle worker a lone task (an awaited call, nothing else queued) goes to when more than
   * one is idle: `'last'`, the one the previous lone task went to; `'next'`, the next in turn
   * (idle longest); `'measure'` (default), whichever of the two has answered sooner lately, as the
   * pool measures on the calls themselves. Which is faster depends on the machine (see
   * src/pool/lone-route.ts); `stats().loneRoute` shows what was measured.
   */
  loneRouting?: LoneRouting;
  /**
   * Microseconds a worker that has answered and has nothing queued stays awake, polling shared
   * memory for the next message, instead of sleeping. On a VM whose idle vCPUs halt, each wake
   * of a sleeping thread is a trip through the host; a sequence of awaited calls then finds its
   * worker awake. Costs that much CPU time after each message, on one worker at a time (never
   * more, so the page's thread keeps a vCPU). Needs a cross-origin isolated page and 2 or more
   * cores; ignored otherwise. Default 100; 0: workers sleep at once.
   */
  spinWait?: number;
  /**
   * `'measure'` (default): spin only while lone tasks answer clearly sooner (15%) with a spin
   * than with a sleep, as the pool measures on the calls themselves (where idle vCPUs do not
   * halt, a spin saves nothing and has cost time; see src/pool/spin-choice.ts). `'always'`: spin after every
   * message. `stats().spinWait` shows what was measured.
   */
  spinPolicy?: SpinPolicy;
}

/** How the pool splits one task into several of its own (the pool decides when and how many). */
export interface TaskSplitter {
  /** Whether this task can be split and is long enough to pay for it. Asked once, at submit; must not throw. */
  accepts(op: string, input: unknown): boolean;
  /**
   * The work a task stands for, in a unit of the op's own (comparable between tasks of one op),
   * or null when it cannot tell; the pool learns each op's time per unit and forecasts with it,
   * to cut a long task so that busy workers end with it. Asked once, at submit; must not throw.
   */
  work?(op: string, input: unknown): number | null;
  /**
   * Runs the task as `parts` or more tasks on `pool` and resolves with what the whole task would
   * have given. `inPlace`: the input belongs to the pool (it was moved in), so its buffers may
   * take the result.
   */
  run(pool: Pool, op: string, input: unknown, parts: number, options: SplitRun): Promise<unknown>;
}

export interface SplitRun {
  signal: AbortSignal;
  priority: number;
  label: string;
  inPlace: boolean;
  /**
   * Relative sizes of the parts, in the order they should be queued, when the pool cut the task
   * to balance workers still busy with other tasks (the first part is for the worker idle now).
   */
  shares?: readonly number[];
  /** Queues one part in the split task's place: ahead of the tasks queued after it. */
  runSlab: (op: string, input: unknown, options: RunOptions) => Promise<unknown>;
}

export interface TaskHandle<O> {
  readonly id: number;
  /** Live record: read it any time, it is updated in place. */
  readonly record: Readonly<TaskRecord>;
  readonly result: Promise<O>;
  cancel(reason?: unknown): boolean;
}

export interface PoolStats {
  size: number;
  /** `spare`: started spares ready to replace a worker (not counted in the others). */
  workers: { starting: number; busy: number; idle: number; spare: number };
  queued: number;
  running: number;
  done: number;
  failed: number;
  cancelled: number;
  crashes: number;
  /** Memory admitted for tasks sent to workers, against `memoryBudget`. */
  memoryInUse: number;
  /** Milliseconds from queued to started. */
  waitTime: HistogramSummary;
  /** Milliseconds from started to ended, as the worker measured it. */
  runTime: HistogramSummary;
  /** Where lone tasks go (PoolOptions.loneRouting) and what each way has cost. */
  loneRoute: LoneRouteStats;
  /** Whether workers stay awake for the next call (PoolOptions.spinWait) and what each way has cost; null where they never do (off, or the page is not cross-origin isolated). */
  spinWait: SpinStats | null;
}

interface Task extends Queued {
  readonly record: TaskRecord;
  /** Where it is; `record.state` is what users see (a sent task is still 'queued' to them). */
  phase: TaskPhase;
  input: unknown;
  /** Buffers its input moves to the worker (NO_TRANSFER when none: shared, never written to). */
  transfer: readonly Transferable[];
  /** Its input was taken over (not copied): if the worker running it dies, the input is gone with it. */
  moved: boolean;
  readonly result: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** The worker holding it (and its memory), until that worker lets go of it. */
  worker: WorkerHandle<Task> | null;
  options: RunOptions;
  timer: ReturnType<typeof setTimeout> | null;
  graceTimer: ReturnType<typeof setTimeout> | null;
  /** Its op awaits (the worker said so), so a cancel message reaches it. See the 'yielded' event. */
  yielded?: boolean;
  unlisten: (() => void) | null;
  /** Run with `split: 'auto'` and accepted by the splitter: split at dispatch if workers would idle. */
  splittable: boolean;
  /** Its work as the splitter weighs it (null: it cannot), for forecasts of its run time. */
  work: number | null;
  /** While it runs split: stops its parts. */
  stopSplit: AbortController | null;
  /** Sent alone from run(), at its queued time, with a choice of worker: the way taken, to be measured. */
  lone: LoneWay | null;
  /** Sent alone to the worker of the lone task before: what that worker did since (spun or slept), to be measured. */
  spinArm: SpinWay | null;
}

const NO_TRANSFER: readonly Transferable[] = Object.freeze([]);
const RESOLVED = Promise.resolve();

/** A batch for one worker aims at about this many ms of work. */
const BATCH_TARGET_MS = 2;
const MAX_BATCH = 512;
/**
 * Queued tasks beyond which a long task is not cut to balance the workers: with that many whole
 * tasks left, they even out the workers' ends by themselves (and the forecast would cost more).
 */
const BALANCE_LOOKAHEAD = 256;
/** Consecutive workers that die before saying hello before the pool stops trying. */
const MAX_START_FAILURES = 3;
/**
 * PoolOptions.spinWait's default (µs): longer than a page takes, on a guest whose idle vCPUs
 * halt, to be woken by an answer and post the next call (about 50-60 µs measured on a 2-vCPU
 * EPYC guest), so a sequence of awaited calls keeps its worker awake; 100 µs of CPU at most after
 * each message is a small price beside a host trip on every call (bench/ab: 0.75x the raw floor
 * with it, 1.2x without, in one page).
 */
const DEFAULT_SPIN_US = 100;

type Listener<E extends Event> = ((e: E) => void) | { handleEvent(e: E): void };

export class Pool<R extends OpRegistry = OpRegistry> extends EventTarget {
  private readonly source: WorkerSource;
  private target: number;
  private readonly maxQueue: number;
  private readonly cancelGrace: number;
  private readonly spareCount: number;
  private readonly defaultTimeout: number;
  private readonly crashRetries: number;
  private readonly memoryBudget: number;
  private readonly maxTaskMemory: number;
  private readonly estimateMemory: (op: string, input: unknown, bytesIn: number) => number;
  private readonly historySize: number;

  private readonly queue = new TaskQueue<Task>();
  private readonly active = new Map<number, Task>();
  private finished: TaskRecord[] = [];
  private readonly handles: WorkerHandle<Task>[] = [];
  /** Started workers held back from dispatch, each waiting to replace one that goes. */
  private readonly spares: WorkerHandle<Task>[] = [];
  private readonly runTimes = new RunTimes();
  private readonly waitHist = new Histogram();
  private readonly runHist = new Histogram();
  private readonly counts = { done: 0, failed: 0, cancelled: 0, crashes: 0 };
  private memoryInUse = 0;
  private nextTaskId = 1;
  private nextWorkerId = 1;
  private startFailures = 0;
  private dispatchScheduled = false;
  /**
   * Depth of the pool's own dispatch and event handling on the stack: a task queued from a
   * listener they call waits for the next dispatch instead of being posted in the middle of them.
   */
  private inPool = 0;
  /** Set while run() itself posts a task: markRunning leaves the 'running' event to run(). */
  private announceLater = false;
  /** Where the search for an idle worker for a lone task starts: just past the last one used. */
  private nextIdle = 0;
  /** The worker the last lone task went to. */
  private lastLone: WorkerHandle<Task> | null = null;
  private readonly loneRoute: LoneRoute;
  /** The slot at most one worker spins in, and for how long (PoolOptions.spinWait); null: none. */
  private readonly spin: { spinner: Int32Array; poolPosted: Int32Array; length: Int32Array } | null;
  private readonly spinChoice: SpinChoice | null;
  /**
   * The clock read of a `run` made in this turn, until the turn's dispatch has run: a task sent in
   * the turn it was queued in is marked running at that reading (one read per call, not two; the
   * worker's own start replaces it when the task ends).
   */
  private turnClock: number | null = null;
  private warmed = false;
  private terminated = false;
  private readonly listeners = new ListenerPairs(this, ['task', 'worker', 'drain']);
  private idleWaiters: (() => void)[] = [];
  private readonly resourceMakers: Record<string, () => unknown>;
  private resourcesReady: Promise<Record<string, unknown>> | null = null;
  private readonly splitter: TaskSplitter | null;

  constructor(options: PoolOptions) {
    super();
    checkHost(options.worker);
    this.source = options.worker;
    this.target = checkSize(options.size ?? defaultSize());
    this.maxQueue = options.maxQueue ?? Infinity;
    this.cancelGrace = options.cancelGrace ?? 100;
    this.spareCount = options.spareWorkers ?? 1;
    if (!Number.isInteger(this.spareCount) || this.spareCount < 0) throw new RangeError(`spareWorkers must be a whole number (got ${this.spareCount})`);
    this.defaultTimeout = options.timeout ?? 0;
    if (!(this.defaultTimeout >= 0)) throw new RangeError(`timeout must be 0 (none) or more milliseconds (got ${this.defaultTimeout})`);
    this.crashRetries = options.crashRetries ?? 1;
    this.memoryBudget = options.memoryBudget ?? Infinity;
    this.maxTaskMemory = options.maxTaskMemory ?? 4 * 2 ** 30 - 256 * 2 ** 20;
    this.estimateMemory = options.estimateMemory ?? ((_op, _input, bytesIn) => 3 * bytesIn);
    this.historySize = options.history ?? 1000;
    this.resourceMakers = options.resources ?? {};
    this.splitter = options.splitter ?? null;
    this.loneRoute = new LoneRoute(options.loneRouting ?? 'measure');
    const spinUs = options.spinWait ?? DEFAULT_SPIN_US;
    if (!(spinUs >= 0)) throw new RangeError(`spinWait must be 0 (none) or more microseconds (got ${spinUs})`);
    this.spin =
      spinUs > 0 && typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true && defaultSize() >= 2
        ? {
            spinner: new Int32Array(new SharedArrayBuffer(4)),
            poolPosted: new Int32Array(new SharedArrayBuffer(4)),
            length: new Int32Array(new SharedArrayBuffer(4)),
          }
        : null;
    this.spinChoice = this.spin ? new SpinChoice(spinUs, this.spin.length, options.spinPolicy ?? 'measure') : null;
  }

  /** Workers at most (the target size; `workers()` lists the ones alive). */
  get size(): number {
    return this.target;
  }

  /** Runs `op` on `input` in a worker. */
  run<K extends OpName<R>>(op: K, input: InputOf<R[K]>, options: RunOptions = {}): Promise<OutputOf<R[K]>> {
    // No handle: an awaited call pays for nothing it does not use.
    return this.enqueue(op, input, options).result as Promise<OutputOf<R[K]>>;
  }

  /** Like `run`, and gives the task's id, live record and a cancel handle at once. */
  submit<K extends OpName<R>>(op: K, input: InputOf<R[K]>, options: RunOptions = {}): TaskHandle<OutputOf<R[K]>> {
    const task = this.enqueue(op, input, options);
    return { id: task.record.id, record: task.record, result: task.result as Promise<OutputOf<R[K]>>, cancel: (reason) => this.cancelTask(task, reason) };
  }

  /** Makes a task and queues it, or settles it at once if it is refused. */
  private enqueue(op: string, input: unknown, options: RunOptions, partOf: Task | null = null): Task {
    const id = this.nextTaskId++;
    let resolve!: (v: unknown) => void;
    let reject!: (e: Error) => void;
    const result = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const queuedAt = now();
    const record: TaskRecord = {
      id,
      op,
      label: options.label ?? op,
      priority: options.priority ?? 0,
      state: 'queued',
      queuedAt,
      startedAt: null,
      endedAt: null,
      workerId: null,
      attempts: 0,
      bytesIn: 0,
      bytesOut: 0,
      memory: 0,
      timeLimit: null,
      progress: null,
      error: null,
    };
    const task: Task = {
      record,
      priority: record.priority,
      phase: 'queued',
      input,
      transfer: NO_TRANSFER,
      moved: false,
      result,
      resolve,
      reject,
      worker: null,
      options,
      timer: null,
      graceTimer: null,
      unlisten: null,
      splittable: false,
      work: null,
      stopSplit: null,
      lone: null,
      spinArm: null,
    };
    if (this.terminated) return this.refuse(task, new PoolTerminatedError());
    if (this.queue.size >= this.maxQueue) return this.refuse(task, new QueueFullError(this.maxQueue));
    if (options.signal?.aborted) return this.refuse(task, new CancelledError('Task was cancelled before it was queued', options.signal.reason));
    const timeout = options.timeout ?? this.defaultTimeout;
    record.timeLimit = timeout > 0 ? timeout : null;
    try {
      // A primitive input (a tiny task's) holds no buffer: no walk.
      const scan = input !== null && typeof input === 'object' ? scanTransferables(input, 'input', options.input !== 'copy') : null;
      const bytes = scan?.bytes ?? 0;
      record.bytesIn = bytes;
      // Checked before anything moves: a refused task leaves the caller's buffers as they were.
      record.memory = options.memory ?? this.estimateMemory(op, input, bytes);
      if (record.memory > this.maxTaskMemory) {
        const gib = (b: number): string => `${(b / 2 ** 30).toFixed(2)} GiB`;
        throw new InputError(
          'input',
          `${op} would need about ${gib(record.memory)} (input ${gib(bytes)}), more than one worker can hold (${gib(this.maxTaskMemory)}); split or downsample the volume first`,
        );
      }
      if (scan && scan.transfer.length > 0) {
        // Ownership moves now, not at dispatch: the caller's buffers are detached at once, so
        // nothing it does to them later can reach the worker. structuredClone moves, never copies.
        task.input = structuredClone(input, { transfer: scan.transfer });
        task.transfer = scanTransferables(task.input, 'input', true).transfer;
        task.moved = true;
      }
    } catch (e) {
      return this.refuse(task, e instanceof Error ? e : new Error(String(e)));
    }

    if (this.splitter && typeof input === 'object' && input !== null) {
      if (options.split === 'auto') task.splittable = this.splitter.accepts(op, task.input);
      task.work = this.splitter.work?.(op, task.input) ?? null;
    }
    if (options.signal) {
      const signal = options.signal;
      const onAbort = (): void => void this.cancelTask(task, signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      task.unlisten = () => signal.removeEventListener('abort', onAbort);
    }
    this.active.set(id, task);
    // A part of a split task takes that task's place: ahead of what was queued after it.
    if (partOf) this.queue.pushFront(task);
    else this.queue.push(task);
    this.emitTask('queued', task);
    // Only once queued: a dispatch follows in this turn, which forgets the reading again.
    this.turnClock = queuedAt;
    // An awaited call of a short op with a worker idle goes out now, as a bare postMessage
    // would, not a microtask later; tasks queued after it in this turn wait for the turn's
    // dispatch and batch. Only a short op: a long or unknown one waits for the dispatch, so that
    // tasks of higher priority queued later in this turn go first (the demo's five smooths,
    // widest first); a short one delays them by at most its own time. Not from a listener the
    // pool is calling mid-update (inPool), nor for a task to be split.
    if (this.queue.size === 1 && !this.dispatchScheduled && this.inPool === 0 && !task.splittable && this.isShort(op)) {
      // Its 'running' event waits a microtask, as it did when dispatch sent it: a caller of
      // submit() files the handle's id before it hears of the task (the Workflow does).
      let sent: boolean;
      this.announceLater = true;
      try {
        sent = this.postToIdle(task, true);
      } finally {
        this.announceLater = false;
      }
      if (sent) {
        this.turnClock = null;
        if (this.listeners.has('task')) {
          void RESOLVED.then(() => {
            if (task.phase === 'running') this.emitTask('running', task);
          });
        }
        return task;
      }
    }
    this.schedule();
    return task;
  }

  /** Settles a task that never entered the queue. */
  private refuse(task: Task, error: Error): Task {
    const record = task.record;
    record.state = error instanceof CancelledError ? 'cancelled' : 'failed';
    record.error = error;
    record.endedAt = now();
    task.phase = 'settled';
    task.reject(error);
    return task;
  }

  /** Cancels one task by id (queued: it leaves at once; running: it is told, then its worker replaced). */
  cancel(id: number, reason?: unknown): boolean {
    const task = this.active.get(id);
    return task ? this.cancelTask(task, reason) : false;
  }

  /** Cancels every queued and running task; returns how many. */
  cancelAll(reason?: unknown): number {
    let n = 0;
    for (const task of [...this.active.values()]) if (this.cancelTask(task, reason)) n++;
    return n;
  }

  /** Changes the number of workers while running: growing starts workers, shrinking retires idle ones. */
  resize(size: number): void {
    this.target = checkSize(size);
    this.retireExtra();
    if (this.warmed) this.spawnUpTo(this.target);
    this.schedule();
  }

  /** Starts every worker now (they start lazily otherwise) and waits until all are ready. */
  async warm(): Promise<void> {
    this.warmed = true;
    this.spawnUpTo(this.target);
    await Promise.all(
      this.handles.map(
        (h) =>
          new Promise<void>((resolve) => {
            if (h.info.state !== 'starting') return resolve();
            const check = (e: WorkerEvent): void => {
              if (e.worker.id === h.id && (e.change === 'ready' || e.change === 'crashed')) {
                this.removeEventListener('worker', check);
                resolve();
              }
            };
            this.addEventListener('worker', check);
          }),
      ),
    );
  }

  /** Resolves when nothing is queued or running (the seed's `waitForFinished`, without the busy loop). */
  idle(): Promise<void> {
    if (this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Settles every task still queued or running with PoolTerminatedError, and stops the workers. */
  async terminate(): Promise<void> {
    if (this.terminated) return;
    this.terminated = true;
    for (const task of [...this.active.values()]) this.fail(task, new PoolTerminatedError());
    for (const h of this.handles) {
      h.terminate();
      this.emitWorker('retired', h);
    }
    this.handles.length = 0;
    for (const h of this.spares.splice(0)) h.terminate();
    this.memoryInUse = 0;
    this.checkIdle();
  }

  /**
   * How long runs of `op` usually take on this pool (ms, a moving average of the runs measured
   * so far); undefined before one has finished. The monitor marks a task far past it.
   */
  typicalRunTime(op: string): number | undefined {
    return this.runTimes.typicalOf(op);
  }

  /** Records of the tasks still going and of the last finished ones (`history` of them), oldest first. */
  tasks(): Readonly<TaskRecord>[] {
    const live = [...this.active.values()].map((t) => t.record);
    return [...this.finished, ...live];
  }

  task(id: number): Readonly<TaskRecord> | undefined {
    return this.active.get(id)?.record ?? this.finished.find((r) => r.id === id);
  }

  /** Forgets finished tasks' records (the monitor's "clear finished"). */
  clearFinished(): void {
    this.finished = [];
  }

  workers(): Readonly<WorkerInfo>[] {
    return this.handles.map((h) => h.info);
  }

  stats(): PoolStats {
    let starting = 0;
    let busy = 0;
    let idle = 0;
    for (const h of this.handles) {
      if (h.info.state === 'starting') starting++;
      else if (h.inflight.length > 0) busy++;
      else idle++;
    }
    let running = 0;
    for (const t of this.active.values()) if (t.record.state === 'running') running++;
    return {
      size: this.target,
      workers: { starting, busy, idle, spare: this.spares.filter((h) => h.info.state === 'ready').length },
      queued: this.queue.size,
      running,
      ...this.counts,
      memoryInUse: this.memoryInUse,
      waitTime: this.waitHist.summary(),
      runTime: this.runHist.summary(),
      loneRoute: this.loneRoute.stats(),
      spinWait: this.spinChoice?.stats() ?? null,
    };
  }

  override addEventListener<K extends keyof PoolEventMap>(
    type: K,
    listener: Listener<PoolEventMap[K]> | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    this.listeners.add(type, listener, options);
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof PoolEventMap>(
    type: K,
    listener: Listener<PoolEventMap[K]> | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    this.listeners.remove(type, listener, options);
    super.removeEventListener(type, listener, options);
  }

  // ---- dispatch -------------------------------------------------------------------------

  /** Coalesces dispatch to once per microtask, so a loop of `run` calls fills batches. */
  private schedule(): void {
    if (this.dispatchScheduled || this.terminated) return;
    this.dispatchScheduled = true;
    // A promise job, not queueMicrotask: the same microtask checkpoint, without a trip through
    // the platform's binding (measured several times dearer per call in Chromium).
    void RESOLVED.then(this.dispatchNow);
  }

  /** Made once: scheduling a dispatch makes no closure. */
  private readonly dispatchNow = (): void => {
    this.dispatchScheduled = false;
    this.dispatch();
    this.turnClock = null;
  };

  private dispatch(): void {
    if (this.terminated || this.queue.size === 0) return;
    this.inPool++;
    try {
      this.dispatchQueue();
    } finally {
      this.inPool--;
    }
  }

  /**
   * Sends `task` (the queue's only one) alone to an idle worker: when both are idle, the one the
   * last lone task went to or the next in turn, as the lone route picks (see lone-route.ts).
   * `measure`: it was queued just now, so its reply times the way taken. False when no worker is
   * idle or the memory budget holds it back.
   */
  private postToIdle(task: Task, measure: boolean): boolean {
    const last = this.lastLone;
    const lastIdle = last !== null && last.info.state === 'ready' && last.inflight.length === 0;
    const n = this.handles.length;
    let next: WorkerHandle<Task> | null = null;
    let at = 0;
    for (let k = 0; k < n; k++) {
      at = (this.nextIdle + k) % n;
      const h = this.handles[at]!;
      if (h !== last && h.info.state === 'ready' && h.inflight.length === 0) {
        next = h;
        break;
      }
    }
    if ((!lastIdle && next === null) || !this.admit(task)) return false;
    let way: LoneWay | null = null;
    let h: WorkerHandle<Task>;
    if (lastIdle && next !== null) {
      way = this.loneRoute.choose();
      h = way === 'last' ? last : next;
    } else h = next ?? last!;
    if (h === next) this.nextIdle = at + 1;
    // Before the post: what the worker does after this task is in shared memory by the time it ends.
    const spun = this.spinChoice?.next(h === last) ?? null;
    this.lastLone = h;
    this.postTask(h, task);
    task.lone = measure ? way : null;
    task.spinArm = measure ? spun : null;
    return true;
  }

  private dispatchQueue(): void {
    this.spawnForQueue();
    // One task and an idle worker (an awaited call): it goes out at once, in a message of its
    // own, without the batches' bookkeeping.
    if (this.queue.size === 1) {
      const head = this.queue.peek()!;
      if (!head.splittable && this.postToIdle(head, false)) return;
    }
    const ready = this.handles.filter((h) => h.info.state === 'ready');
    if (ready.length === 0) return;
    const batches = new Map<WorkerHandle<Task>, { tasks: WireTask[]; transfer: Transferable[] }>();
    const send = (h: WorkerHandle<Task>, task: Task): void => {
      let batch = batches.get(h);
      if (!batch) batches.set(h, (batch = { tasks: [], transfer: [] }));
      batch.tasks.push(this.assign(h, task));
      for (const t of task.transfer) batch.transfer.push(t);
    };
    // Idle workers first, one task each, so work spreads before any worker gets a second task.
    let idle = 0;
    for (const h of ready) if (h.inflight.length === 0) idle++;
    for (let i = 0; i < ready.length;) {
      const h = ready[i]!;
      if (h.inflight.length > 0) {
        i++;
        continue;
      }
      const head = this.queue.peek();
      if (!head || !this.admit(head)) break;
      // Idle workers that no other queued task will take: a long task is split across them.
      // Its parts join the queue as the splitter cuts them, and this worker takes the first.
      const spare = idle - (this.queue.size - 1);
      if (head.splittable && spare >= 2) {
        this.runSplit(head, spare);
        continue;
      }
      // Other workers busy: cut it unevenly if, whole, it would run on long after they are done.
      const shares = head.splittable && ready.length > 1 ? this.sharesFor(head, h, ready) : null;
      if (shares) {
        this.runSplit(head, shares.length, shares);
        continue;
      }
      send(h, head);
      idle--;
      i++;
    }
    // Then short tasks may queue up behind the running one, up to a few ms of work per worker.
    for (const h of ready) {
      for (let head = this.queue.peek(); head; head = this.queue.peek()) {
        if (head.transfer.length > 0 || head.splittable || h.inflight.length >= this.depth(head.record.op) || !this.admit(head)) break;
        send(h, head);
      }
    }
    for (const [h, batch] of batches) {
      try {
        h.post(['run', batch.tasks], batch.transfer);
      } catch {
        this.postOneByOne(h, batch.tasks);
      }
    }
  }

  /** Takes the queue's head for worker `h`: its bookkeeping, and what goes on the wire. */
  private assign(h: WorkerHandle<Task>, task: Task): WireTask {
    this.queue.shift();
    const wire: WireTask = [task.record.id, h.opOnWire(task.record.op), task.input, task.record.attempts + 1];
    task.worker = h;
    task.phase = 'sent';
    // Measured only as postToIdle sets it again: a task sent in a batch, or resent, is not.
    task.lone = null;
    task.spinArm = null;
    this.memoryInUse += task.record.memory;
    h.inflight.push(task);
    h.info.inflight = h.inflight.length;
    if (h.inflight.length === 1) this.markRunning(task, h);
    return wire;
  }

  /** The queue's head to `h`, alone. */
  private postTask(h: WorkerHandle<Task>, task: Task): void {
    const wire = this.assign(h, task);
    try {
      h.post(['run', [wire]], task.transfer);
    } catch {
      this.postOneByOne(h, [wire]);
    }
  }

  /**
   * Runs the queue's head split in `parts` or more tasks of its own (through the splitter, which
   * submits them to this pool). It stays one task to its caller, running from now on; its parts
   * are what workers run, so it holds no worker and no memory of its own.
   */
  private runSplit(task: Task, parts: number, shares?: readonly number[]): void {
    this.queue.shift();
    task.phase = 'running';
    const r = task.record;
    r.state = 'running';
    r.startedAt = now();
    r.attempts++;
    if (r.timeLimit !== null) {
      const ms = r.timeLimit;
      task.timer = setTimeout(() => this.cancelTask(task, new TimeoutError(ms)), ms);
    }
    const stop = (task.stopSplit = new AbortController());
    this.emitTask('running', task);
    let result: Promise<unknown>;
    try {
      result = this.splitter!.run(this, r.op, task.input, parts, {
        signal: stop.signal,
        priority: r.priority,
        label: r.label,
        inPlace: task.moved,
        shares,
        runSlab: (op, input, options) => this.enqueue(op, input, options, task).result,
      });
    } catch (e) {
      result = Promise.reject(e);
    }
    result.then(
      (output) => {
        if (task.phase === 'settled') return;
        r.endedAt = now();
        this.succeed(task, output);
      },
      (e: unknown) => this.fail(task, e instanceof Error ? e : new Error(String(e))),
    );
  }

  /**
   * A batch that structured clone refused (a function, a DOM node in some input): send its
   * tasks one at a time so only the ones that cannot be sent fail.
   */
  private postOneByOne(h: WorkerHandle<Task>, wires: WireTask[]): void {
    for (const wire of wires) {
      const task = this.active.get(wire[0]);
      if (!task) continue;
      try {
        h.post(['run', [wire]], task.transfer);
      } catch (e) {
        const i = h.inflight.indexOf(task);
        if (i >= 0) h.inflight.splice(i, 1);
        this.release(task);
        this.fail(task, new TypeError(`${task.record.op}: input cannot be sent to a worker: ${(e as Error).message}`));
        if (i === 0) this.startNext(h);
      }
    }
    this.schedule();
  }

  /**
   * How to cut `task`, about to go to idle worker `h`, so that it ends with the other workers'
   * tasks and the queue's: shares from the forecasts of all of them (balance.ts), or null to run
   * it whole (also when any of them cannot be forecast yet, or the queue is long: then whole
   * tasks balance by themselves).
   */
  private sharesFor(task: Task, h: WorkerHandle<Task>, ready: readonly WorkerHandle<Task>[]): number[] | null {
    if (this.queue.size > BALANCE_LOOKAHEAD) return null;
    const taskMs = this.forecast(task);
    if (taskMs === undefined) return null;
    const at = now();
    const busy: number[] = [];
    for (const w of ready) {
      if (w === h) continue;
      let ms = 0;
      for (const t of w.inflight) {
        const f = this.forecast(t);
        if (f === undefined) return null;
        const started = t.phase === 'running' ? t.record.startedAt : null;
        ms += started === null ? f : Math.max(0, f - (at - started));
      }
      busy.push(ms);
    }
    const rest: number[] = [];
    for (const t of this.queue) {
      if (t === task) continue;
      const f = this.forecast(t);
      if (f === undefined) return null;
      rest.push(f);
    }
    return balanceShares(taskMs, rest, busy);
  }

  private forecast(task: Task): number | undefined {
    return this.runTimes.forecast(task.record.op, task.work);
  }

  /** Whether runs of `op` are known to take under BATCH_TARGET_MS. */
  private isShort(op: string): boolean {
    const ms = this.runTimes.typicalOf(op);
    return ms !== undefined && ms < BATCH_TARGET_MS;
  }

  /** How many tasks of this op a worker may hold: 1 unless the op is known to take well under a ms. */
  private depth(op: string): number {
    const ms = this.runTimes.typicalOf(op);
    if (ms === undefined || ms >= BATCH_TARGET_MS) return 1;
    return Math.max(1, Math.min(MAX_BATCH, Math.floor(BATCH_TARGET_MS / Math.max(ms, 0.001))));
  }

  /** Admits a task against the memory budget; one task alone is always admitted. */
  private admit(task: Task): boolean {
    return this.memoryInUse === 0 || this.memoryInUse + task.record.memory <= this.memoryBudget;
  }

  private markRunning(task: Task, h: WorkerHandle<Task>): void {
    if (task.phase === 'settled') return; // cancelled while waiting behind another: the worker will skip it
    task.phase = 'running';
    const r = task.record;
    r.state = 'running';
    r.startedAt = this.turnClock ?? now();
    r.workerId = h.id;
    r.attempts++;
    h.info.taskId = r.id;
    if (r.timeLimit !== null) {
      const ms = r.timeLimit;
      task.timer = setTimeout(() => this.cancelTask(task, new TimeoutError(ms)), ms);
    }
    if (!this.announceLater) this.emitTask('running', task);
  }

  /** After the running task of `h` ended: the next one it holds is now running. */
  private startNext(h: WorkerHandle<Task>): void {
    h.info.inflight = h.inflight.length;
    const next = h.inflight[0];
    if (next && next.phase === 'sent') this.markRunning(next, h);
    if (!next) {
      h.info.taskId = null;
      if (h.info.state === 'retiring') this.retire(h);
    }
  }

  // ---- workers ---------------------------------------------------------------------------

  private liveCount(): number {
    let n = 0;
    for (const h of this.handles) if (h.info.state === 'starting' || h.info.state === 'ready') n++;
    return n;
  }

  /** Starts as many workers as the queue can use, up to the target size. */
  private spawnForQueue(): void {
    if (this.queue.size === 0) return;
    let free = 0;
    for (const h of this.handles) if (h.info.state === 'starting' || (h.info.state === 'ready' && h.inflight.length === 0)) free++;
    const want = Math.min(this.target - this.liveCount(), this.queue.size - free);
    for (let i = 0; i < want; i++) this.spawn();
  }

  private spawnUpTo(n: number): void {
    while (this.liveCount() < n) this.spawn();
  }

  /** Made once, on the first spawn; every worker gets the same values. */
  private resources(): Promise<Record<string, unknown>> {
    this.resourcesReady ??= Promise.all(
      Object.entries(this.resourceMakers).map(async ([name, make]): Promise<[string, unknown] | null> => {
        try {
          return [name, await make()];
        } catch (e) {
          console.warn(`voxpool: resource "${name}" could not be made; workers will do without it`, e);
          return null;
        }
      }),
    ).then((entries) => Object.fromEntries(entries.filter((e): e is [string, unknown] => e !== null)));
    return this.resourcesReady;
  }

  /** Starts a worker: one of the pool's, or (`spare`) one held back until a worker must be replaced. */
  private spawn(spare = false): void {
    const h: WorkerHandle<Task> = new WorkerHandle<Task>(
      this.nextWorkerId++,
      this.source,
      {
        onReady: (w) => {
          this.startFailures = 0;
          // A spare says nothing until it takes a worker's place (it may still be starting then).
          if (this.spares.includes(w)) return;
          this.emitWorker('ready', w);
          this.ensureSpares();
          this.schedule();
        },
        onEvents: (w, events, memory, arrivedAt) => this.onEvents(w, events, memory, arrivedAt),
        onDeath: (w, reason, detail) => {
          const i = this.spares.indexOf(w);
          if (i < 0) return this.onDeath(w, reason, detail);
          this.spares.splice(i, 1);
          // A spare that fails to load says the same of the next one: leave it to the pool's own starts.
          if (reason !== 'load') this.ensureSpares();
        },
      },
      this.resources(),
      this.spin,
    );
    if (spare) {
      this.spares.push(h);
      return;
    }
    this.handles.push(h);
    this.emitWorker('spawned', h);
  }

  /** Keeps `spareWorkers` spares started, once the pool has a worker ready (so they never delay its first). */
  private ensureSpares(): void {
    if (this.terminated || !this.handles.some((h) => h.info.state === 'ready')) return;
    while (this.spares.length < this.spareCount) this.spawn(true);
  }

  /** Brings the pool back to its size after a worker went: spares first, fresh workers for the rest. */
  private replenish(): void {
    while (this.liveCount() < this.target) {
      const spare = this.spares.find((h) => h.info.state === 'ready') ?? this.spares[0];
      if (!spare) {
        this.spawn();
        continue;
      }
      this.spares.splice(this.spares.indexOf(spare), 1);
      this.handles.push(spare);
      this.emitWorker('spawned', spare);
      if (spare.info.state === 'ready') this.emitWorker('ready', spare);
    }
    this.ensureSpares();
  }

  private retireExtra(): void {
    let extra = this.liveCount() - this.target;
    // Idle ones go now; busy ones stop taking tasks and go when they finish.
    const order = [...this.handles].sort((a, b) => a.inflight.length - b.inflight.length);
    for (const h of order) {
      if (extra <= 0) break;
      if (h.info.state !== 'starting' && h.info.state !== 'ready') continue;
      extra--;
      if (h.inflight.length === 0) this.retire(h);
      else h.info.state = 'retiring';
    }
  }

  private retire(h: WorkerHandle<Task>): void {
    h.terminate();
    this.removeHandle(h);
    this.emitWorker('retired', h);
  }

  private removeHandle(h: WorkerHandle<Task>): void {
    const i = this.handles.indexOf(h);
    if (i >= 0) this.handles.splice(i, 1);
  }

  private onEvents(h: WorkerHandle<Task>, events: readonly WireEvent[], memory: number, arrivedAt: number): void {
    this.inPool++;
    try {
      this.takeEvents(h, events, memory, arrivedAt);
    } finally {
      this.inPool--;
    }
    // Only a waiting task can use what just freed up (a listener that submitted one scheduled it).
    if (this.queue.size > 0) this.schedule();
  }

  private takeEvents(h: WorkerHandle<Task>, events: readonly WireEvent[], memory: number, arrivedAt: number): void {
    if (h.info.memory !== memory) {
      h.info.memory = memory;
      this.emitWorker('memory', h);
    }
    for (const ev of events) {
      const id = ev[1];
      const task = this.active.get(id) ?? h.inflight.find((t) => t.record.id === id);
      if (!task) continue;
      switch (ev[0]) {
        case 'progress': {
          if (task.phase === 'settled') break;
          const message = ev[3];
          task.record.progress = message === undefined ? { fraction: ev[2] } : { fraction: ev[2], message };
          task.options.onProgress?.(task.record.progress);
          this.emitTask('progress', task, { progress: task.record.progress });
          break;
        }
        case 'log':
          task.options.onLog?.(ev[2], ev[3]);
          this.emitTask('log', task, { line: ev[2], stream: ev[3] });
          break;
        case 'yielded':
          task.yielded = true;
          break;
        default:
          // A lone task's reply alone in its message: what its way cost, less the op's own run.
          if (task.lone !== null || task.spinArm !== null) {
            if (ev[0] === 'done' && events.length === 1) {
              const overhead = arrivedAt - task.record.queuedAt - (ev[4] - ev[3]);
              if (task.lone !== null) this.loneRoute.record(task.lone, overhead);
              if (task.spinArm !== null) this.spinChoice!.record(task.spinArm, overhead);
            }
            task.lone = null;
            task.spinArm = null;
          }
          this.ended(h, task, ev);
      }
    }
  }

  /** A task of `h` ended in the worker (done, failed or cancelled there). */
  private ended(h: WorkerHandle<Task>, task: Task, ev: Extract<WireEvent, readonly ['done' | 'error' | 'cancelled', ...unknown[]]>): void {
    // Usually the first (the one running): shift, which makes no array as splice does.
    const i = h.inflight[0] === task ? 0 : h.inflight.indexOf(task);
    if (i === 0) h.inflight.shift();
    else if (i > 0) h.inflight.splice(i, 1);
    this.release(task);
    const start = ev[0] === 'cancelled' ? ev[2] : ev[3];
    const end = ev[0] === 'cancelled' ? ev[3] : ev[4];
    // Only a whole run says how long the op takes: a failure or a cancel may stop early.
    if (start !== null) this.runTimes.record(task.record.op, ev[0] === 'done' ? task.work : null, end - start, ev[0] === 'done');
    h.info.tasksRun++;
    if (task.phase !== 'settled') {
      const r = task.record;
      if (start !== null) r.startedAt = start;
      r.endedAt = end;
      if (r.startedAt !== null) {
        this.waitHist.record(r.startedAt - r.queuedAt);
        this.runHist.record(r.endedAt - r.startedAt);
      }
      if (ev[0] === 'done') this.succeed(task, ev[2]);
      else if (ev[0] === 'error') this.fail(task, fromRemoteError(r.op, ev[2]));
      else this.fail(task, new CancelledError('Task was cancelled in the worker'));
    }
    if (i === 0) this.startNext(h);
  }

  /** Settles or requeues what a dead worker held, and replaces it. `crashed` is false when we stopped it. */
  private onDeath(h: WorkerHandle<Task>, reason: CrashReason, detail: string, crashed = true): void {
    this.removeHandle(h);
    if (crashed) {
      this.counts.crashes++;
      this.emitWorker('crashed', h, `${reason}: ${detail}`);
    }
    const held = h.inflight.splice(0);
    h.info.inflight = 0;
    h.info.taskId = null;
    const requeue: Task[] = [];
    for (const task of held) {
      this.release(task);
      task.worker = null;
      if (task.phase === 'settled') continue;
      if (task.phase === 'sent') {
        requeue.push(task);
        continue;
      }
      const retries = task.options.crashRetries ?? this.crashRetries;
      if (reason !== 'load' && task.record.attempts <= retries && !task.moved) {
        task.record.state = 'queued';
        this.emitTask('retry', task);
        requeue.push(task);
      } else {
        const moved =
          task.moved && task.record.attempts <= retries
            ? '; not retried: its input buffers were moved into that worker (run with input: "copy" to allow retries)'
            : '';
        this.fail(task, new WorkerCrashedError(h.id, reason, detail + moved, task.record.attempts, task.record.op));
      }
    }
    for (let i = requeue.length - 1; i >= 0; i--) {
      const t = requeue[i]!;
      // Queued again only now, as it goes back in: one cancelled on its way back (by a listener
      // of the events above) was settled without touching the queue's count, and stays out.
      if (t.phase === 'settled') continue;
      t.phase = 'queued';
      this.queue.pushFront(t);
    }
    if (this.terminated) return;
    if (reason === 'load' && ++this.startFailures >= MAX_START_FAILURES) {
      this.startFailures = 0;
      const error = new WorkerStartError(`Workers of this pool fail to start: ${detail}`);
      for (const task of [...this.queue]) {
        this.queue.remove(task);
        this.fail(task, error);
      }
      return;
    }
    // Keep the pool at full size: a crash costs one worker's start-up (none with a spare), not a slot.
    this.replenish();
    this.schedule();
  }

  // ---- settling --------------------------------------------------------------------------

  private cancelTask(task: Task, reason?: unknown): boolean {
    if (task.phase === 'settled') return false;
    const error = reason instanceof CancelledError ? reason : new CancelledError(typeof reason === 'string' ? reason : 'Task was cancelled', reason);
    const h = task.worker;
    if (!h) {
      this.queue.remove(task);
      this.fail(task, error);
      return true;
    }
    h.post(['cancel', [task.record.id]]);
    if (task.phase === 'running') {
      // The message waits for the worker's event loop, which a synchronous op holds; the shared
      // flag (cross-origin isolated pages) is read by the op's next check.
      h.flagCancel(task.record.id);
      if (!h.sharesCancelFlag && task.yielded !== true) {
        // In a synchronous stretch with no shared flag: no message reaches it, waiting is waste.
        this.fail(task, error);
        this.killForCancel(
          h,
          task,
          `task ${task.record.id} was cancelled in a synchronous stretch, which no cancel reaches on a page that is not cross-origin isolated`,
        );
        return true;
      }
      // Told; if it does not stop in time (a busy loop never reads its signal), replace its worker.
      task.graceTimer = setTimeout(() => {
        task.graceTimer = null;
        if (h.alive && h.inflight.includes(task)) this.killForCancel(h, task);
      }, this.cancelGrace);
    }
    this.fail(task, error);
    return true;
  }

  private killForCancel(h: WorkerHandle<Task>, task: Task, why = `task ${task.record.id} did not stop within ${this.cancelGrace} ms of being cancelled`): void {
    h.terminate();
    this.emitWorker('retired', h, why);
    // Everything else it held goes back to the queue; the cancelled task is already settled.
    this.onDeath(h, 'terminated', 'replaced after a cancelled task did not stop', false);
  }

  private release(task: Task): void {
    if (task.worker) this.memoryInUse -= task.record.memory;
    if (this.memoryInUse < 1e-6) this.memoryInUse = 0;
    task.worker = null;
    if (task.graceTimer !== null) clearTimeout(task.graceTimer);
    task.graceTimer = null;
  }

  private succeed(task: Task, output: unknown): void {
    task.record.bytesOut = output !== null && typeof output === 'object' ? scanTransferables(output, 'output', false).bytes : 0;
    task.record.state = 'done';
    task.record.progress = { fraction: 1 };
    this.counts.done++;
    this.settle(task);
    task.resolve(output);
    this.emitTask('done', task);
  }

  private fail(task: Task, error: Error): void {
    if (task.phase === 'settled') return;
    const cancelled = error instanceof CancelledError || error instanceof PoolTerminatedError;
    task.record.state = cancelled ? 'cancelled' : 'failed';
    task.record.error = error;
    task.record.endedAt ??= now();
    this.counts[cancelled ? 'cancelled' : 'failed']++;
    this.settle(task);
    task.reject(error);
    this.emitTask(cancelled ? 'cancelled' : 'failed', task);
  }

  private settle(task: Task): void {
    task.phase = 'settled';
    // Cancelled, timed out or the pool terminated while it ran split: its parts stop too.
    task.stopSplit?.abort(task.record.error ?? undefined);
    task.stopSplit = null;
    task.input = undefined;
    task.transfer = NO_TRANSFER;
    if (task.timer !== null) clearTimeout(task.timer);
    task.timer = null;
    task.unlisten?.();
    task.unlisten = null;
    this.active.delete(task.record.id);
    if (this.historySize > 0) {
      this.finished.push(task.record);
      if (this.finished.length > this.historySize * 1.25) this.finished = this.finished.slice(-this.historySize);
    }
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.active.size > 0) return;
    if (this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
    if (this.listeners.has('drain')) this.dispatchEvent(new DrainEvent());
  }

  private emitTask(change: TaskChange, task: Task, detail?: TaskEvent['detail']): void {
    if (this.listeners.has('task')) this.dispatchEvent(new TaskEvent(change, task.record, detail));
  }

  private emitWorker(change: WorkerChange, h: WorkerHandle<Task>, detail?: string): void {
    if (this.listeners.has('worker')) this.dispatchEvent(new WorkerEvent(change, h.info, detail));
  }
}

function defaultSize(): number {
  return typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 4;
}

function checkSize(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Pool size must be a whole number of at least 1 (got ${n})`);
  return n;
}

export { FINISHED_STATES };
