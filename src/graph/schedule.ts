/**
 * Moving a workflow's tasks between places: a waiting task is looked at (evaluate) when it is
 * added, when one of its prerequisites settles (notify), and at start; nothing polls. It goes
 * to the pool when every prerequisite is done, and is skipped when one can never be. Its end
 * (succeed, finish) is counted, stored and told to its dependents; the workflow's own state
 * follows the counts.
 *
 * A task's retries happen here, not in the pool (the pool is told `crashRetries: 0`), because
 * the workflow keeps every task's input and the pool can't retry one whose buffers were moved
 * into the worker that died.
 */
import { PoolTerminatedError } from '../core/errors.ts';
import type { OpName, OpRegistry } from '../core/op.ts';
import type { Pool } from '../pool/pool.ts';
import { encodeValue } from './codec.ts';
import { SkippedError } from './errors.ts';
import type { WorkflowTaskChange } from './events.ts';
import type { TaskGraph } from './graph.ts';
import { inputsTaken, prepareInput, type Prepared } from './inputs.ts';
import type { Persister } from './persist.ts';
import { mayRetry, retryDelay, type RetryPolicy } from './retry.ts';
import { isSpawn, type TaskSpec } from './spawn.ts';
import { FINAL_PLACES, endingOf, type TaskPlace, type WorkflowState } from './states.ts';
import type { Node } from './task.ts';

export interface WorkflowSummary {
  state: WorkflowState;
  total: number;
  done: number;
  failed: number;
  cancelled: number;
  skipped: number;
}

/** What the scheduler needs of its workflow: its events, its logs, and the tasks an op adds. */
export interface SchedulerHost {
  emit(change: WorkflowTaskChange, n: Node): void;
  stateChanged(state: WorkflowState, previous: WorkflowState): void;
  log(n: Node, text: string, stream: 'out' | 'err'): void;
  /** Adds the tasks `n`'s op announced, all or none; throws (an InputError) for a bad spec. */
  spawn(n: Node, specs: readonly TaskSpec[]): void;
  /** The pool went away under the running workflow: stop it. */
  poolGone(): void;
}

const NO_NODES: readonly Node[] = [];

/** 'ok', 'wait', or the prerequisite that blocks for good. */
type Blocked = 'ok' | 'wait' | { id: number; why: string };

export class Scheduler {
  readonly counts: Record<TaskPlace, number> = { waiting: 0, queued: 0, running: 0, saving: 0, done: 0, failed: 0, cancelled: 0, skipped: 0 };
  /** The pool's task id of each task it has, while someone follows the pool's events. */
  readonly byPoolId = new Map<number, Node>();
  followPool = false;
  private st: WorkflowState;
  private endWaiters: ((s: WorkflowSummary) => void)[] = [];

  constructor(
    private readonly graph: TaskGraph,
    private readonly pool: Pool<OpRegistry>,
    private readonly persister: Persister<Node> | null,
    private readonly defaultRetry: RetryPolicy | undefined,
    private readonly host: SchedulerHost,
    state: WorkflowState = 'idle',
  ) {
    this.st = state;
  }

  get state(): WorkflowState {
    return this.st;
  }

  get ended(): boolean {
    return this.st === 'done' || this.st === 'failed' || this.st === 'stopped';
  }

  /** Calls `resolve` the next time nothing more runs: done, failed, or stopped. */
  whenEnded(resolve: (s: WorkflowSummary) => void): void {
    this.endWaiters.push(resolve);
  }

  summary(): WorkflowSummary {
    const c = this.counts;
    return { state: this.st, total: this.graph.size, done: c.done, failed: c.failed, cancelled: c.cancelled, skipped: c.skipped };
  }

  setState(state: WorkflowState): void {
    const previous = this.st;
    if (previous === state) return;
    this.st = state;
    this.persister?.workflow();
    this.host.stateChanged(state, previous);
    if (state === 'done' || state === 'failed' || state === 'stopped') {
      const s = this.summary();
      for (const w of this.endWaiters.splice(0)) w(s);
    }
  }

  setPlace(n: Node, place: TaskPlace, change: WorkflowTaskChange = place): void {
    if (n.place !== place) {
      this.counts[n.place]--;
      this.counts[place]++;
      n.place = place;
    }
    // 'queued' and 'saving' are not stored: a task stored as waiting runs after a resume, and
    // one whose result was committed is done after a resume whatever place its record says.
    if (place !== 'queued' && place !== 'saving') this.persister?.task(n);
    this.host.emit(change, n);
  }

  checkEnd(): void {
    const c = this.counts;
    if (c.queued > 0 || c.saving > 0) return;
    // A stop that lands while the last results are being saved has nothing left to stop: every
    // task is done, so the workflow is, as a reload (or `voxpool status`) would find it.
    if (this.st === 'stopping') this.setState(c.done === this.graph.size ? 'done' : 'stopped');
    else if (this.st === 'running' && c.waiting === 0) this.setState(c.done === this.graph.size ? 'done' : 'failed');
  }

  // ---- waiting -> queued, or skipped ------------------------------------------------------

  private depState(n: Node): Blocked {
    if (n.place === 'done') return 'ok';
    if (n.place === 'failed') return { id: n.id, why: 'failed' };
    if (n.place === 'skipped') return { id: n.id, why: 'was skipped' };
    if (n.place === 'cancelled' && !n.stopping) return { id: n.id, why: 'was cancelled' };
    return 'wait';
  }

  private treeState(n: Node): Blocked {
    let s = this.depState(n);
    if (s !== 'ok') return s;
    for (const c of n.children) {
      const cs = this.treeState(this.graph.get(c)!);
      if (typeof cs === 'object') return cs;
      if (cs === 'wait') s = 'wait';
    }
    return s;
  }

  /** Sends a waiting task on if it can go, or skips it if it never can. */
  evaluate(n: Node): void {
    if (n.place !== 'waiting' || this.st !== 'running') return;
    let wait = false;
    for (const d of n.after) {
      const p = this.graph.get(d.id)!;
      const s = d.tree ? this.treeState(p) : this.depState(p);
      if (typeof s === 'object') return this.skip(n, s.id, s.why);
      if (s === 'wait') wait = true;
    }
    if (!wait) this.launch(n);
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
    // Loops of its own, not graph.eachDownstream: this runs once per task end, and a closure
    // per call is garbage in a run of thousands of tiny tasks.
    const g = this.graph;
    for (const d of n.dependents) this.evaluate(g.get(d)!);
    for (let a: Node | undefined = n; a; a = a.parent === null ? undefined : g.get(a.parent)) {
      for (const d of a.treeWaiters) this.evaluate(g.get(d)!);
    }
  }

  // ---- queued: to the pool -----------------------------------------------------------------

  private launch(n: Node): void {
    this.setPlace(n, 'queued');
    if (n.refs.length === 0 && n.storedInput !== n.input) return this.submit(n, n.input, 'copy', NO_NODES);
    let prepared: Prepared | Promise<Prepared>;
    try {
      prepared = prepareInput(n, this.graph, this.persister !== null);
    } catch (e) {
      return this.finish(n, asError(e));
    }
    if (prepared instanceof Promise)
      prepared.then(
        (p) => this.submit(n, p.input, p.mode, p.moved),
        (e: unknown) => this.finish(n, asError(e)),
      );
    else this.submit(n, prepared.input, prepared.mode, prepared.moved);
  }

  private submit(n: Node, input: unknown, mode: 'copy' | 'transfer', moved: readonly Node[]): void {
    if (n.place !== 'queued' || n.handle) return; // cancelled or stopped while its input was read
    n.attempts++;
    let handle;
    try {
      handle = this.pool.submit(n.op as OpName<OpRegistry>, input as never, {
        input: mode,
        label: n.label,
        priority: n.priority,
        // None given: the pool's own default timeout applies.
        timeout: n.timeout ?? undefined,
        crashRetries: 0,
        onLog: (text, stream) => this.host.log(n, text, stream),
      });
    } catch (e) {
      return this.finish(n, asError(e));
    }
    n.handle = handle;
    inputsTaken(n, this.graph, moved);
    if (this.followPool) this.byPoolId.set(handle.id, n);
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

  // ---- ends ----------------------------------------------------------------------------------

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
        this.host.spawn(n, out.tasks);
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
  finish(n: Node, error: Error, noRetry = false): void {
    if (FINAL_PLACES.has(n.place)) return;
    // The pool went away under the workflow (its page is leaving, it was terminated): nothing
    // failed and nobody cancelled anything, so the workflow stops, and a start() or a resume
    // later runs what is left instead of finding it cancelled and its dependents skipped.
    if (error instanceof PoolTerminatedError && this.st === 'running') this.host.poolGone();
    const { place, ending } = endingOf(error, n.stopping);
    n.handle = null;
    if (n.retryTimer !== null) clearTimeout(n.retryTimer);
    n.retryTimer = null;
    const kind = !noRetry && this.st === 'running' && place === 'failed' ? mayRetry(n.retry ?? this.defaultRetry, ending, n.retries) : null;
    if (kind) {
      n.retries[kind]++;
      n.error = error;
      this.host.emit('retry', n);
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
}

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
