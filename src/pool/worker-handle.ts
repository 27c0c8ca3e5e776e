/**
 * One worker of the pool: starts it, speaks to it, and notices when it dies, whichever way.
 * Comlink alone leaves calls pending forever when a worker dies; this class turns every kind of
 * death into one `onDeath` call, so the pool can settle what the worker held.
 */
import * as Comlink from 'comlink';
import type { CrashReason } from '../core/errors.ts';
import type { WorkerInfo } from '../core/events.ts';
import { eventTime, isDataMessage, now, type DownMessage, type UpMessage, type SpinWait, type WorkerControl, type WorkerEvent } from '../core/protocol.ts';
import type { WorkerLike } from '../platform/index.ts';
import { dedicatedHost, type WorkerHost } from './worker-host.ts';
import { checkHost, isProcessHost, processHostOf, type ProcessHostSource } from './process-host.ts';

/**
 * How a pool makes its workers: a factory (a browser `Worker`, or any WorkerLike, such as Node's
 * runner's thread), or the URL of a module worker (in the page's process), or `processHost(...)`
 * (each in a process of its own).
 */
export type WorkerSource = (() => WorkerLike) | URL | string | ProcessHostSource;

export interface WorkerHooks<T> {
  onReady(worker: WorkerHandle<T>, ops: string[]): void;
  /** `arrivedAt`: when the message was dispatched here (epoch ms). */
  onEvents(worker: WorkerHandle<T>, events: readonly WorkerEvent[], memory: number, arrivedAt: number): void;
  onDeath(worker: WorkerHandle<T>, reason: CrashReason, detail: string): void;
}

/** A worker that has not said hello by then is taken for dead. */
const START_TIMEOUT = 60_000;

let lockSeq = 0;
const lockPrefix = `voxpool-${Math.random().toString(36).slice(2)}-`;

export class WorkerHandle<T = unknown> {
  readonly info: WorkerInfo;
  /** Tasks sent to this worker, in the order it runs them: the first is running. */
  readonly inflight: T[] = [];
  private readonly host: WorkerHost;
  private readonly control: Comlink.Remote<WorkerControl>;
  private readonly lifeLock = new AbortController();
  /** See WorkerInit.cancelFlag; null where the page is not cross-origin isolated. */
  private readonly cancelFlag: Int32Array | null;
  private readonly spin: SpinWait | null;
  private startTimer: ReturnType<typeof setTimeout> | null;
  /** Each op's index in the worker's hello: what a task names its op by on the wire. */
  private readonly opIndex = new Map<string, number>();

  constructor(
    readonly id: number,
    source: WorkerSource,
    private readonly hooks: WorkerHooks<T>,
    resources: Promise<Record<string, unknown>>,
    /** The pool's spin slot and length (PoolOptions.spinWait), or null for none. */
    spin: Omit<SpinWait, 'posted'> | null = null,
  ) {
    this.info = { id, state: 'starting', taskId: null, inflight: 0, tasksRun: 0, memory: 0, startedAt: now() };
    const lifeLock = typeof navigator !== 'undefined' && navigator.locks ? `${lockPrefix}${lockSeq++}` : null;
    if (isProcessHost(source)) {
      checkHost(source);
      // The lock's name is unique to this page and worker: no other tab's SharedWorker is joined.
      this.host = processHostOf(source, `voxpool-${lifeLock!}`);
    } else {
      this.host = dedicatedHost(source, `voxpool-${id}`);
    }
    this.cancelFlag =
      this.host.sharesMemory && typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true
        ? new Int32Array(new SharedArrayBuffer(4))
        : null;
    this.spin = this.cancelFlag !== null && spin !== null ? { ...spin, posted: new Int32Array(new SharedArrayBuffer(4)) } : null;
    this.host.watch(
      (detail) => this.die(this.info.state === 'starting' ? 'load' : 'uncaught', detail),
      () => this.die('message', 'a message from the worker could not be deserialized'),
      (detail) => this.die(this.info.state === 'starting' ? 'load' : 'exit', detail),
    );

    // Added before Comlink's listener, which then never sees a data message (see protocol.ts).
    this.host.endpoint.addEventListener('message', this.onMessage);

    this.startTimer = setTimeout(() => this.die('load', `no answer within ${START_TIMEOUT / 1000} s of starting`), START_TIMEOUT);
    this.control = Comlink.wrap<WorkerControl>(this.host.endpoint);
    resources
      .then((res) => {
        const hello = this.control.init({
          workerId: id,
          lifeLock,
          resources: this.host.sharesMemory ? res : withoutModules(res),
          cancelFlag: this.cancelFlag,
          spin: this.spin,
        });
        this.countPost();
        return hello;
      })
      .then((hello) => {
        if (this.info.state === 'dead') return;
        this.clearStartTimer();
        this.info.state = 'ready';
        hello.ops.forEach((op, i) => this.opIndex.set(op, i));
        if (lifeLock) this.watchLife(lifeLock);
        this.hooks.onReady(this, hello.ops);
      })
      .catch((e: unknown) => this.die('load', e instanceof Error ? e.message : String(e)));
  }

  get alive(): boolean {
    return this.info.state !== 'dead';
  }

  /** How a task names `op` to this worker: its index, or the name itself if the worker does not serve it. */
  opOnWire(op: string): number | string {
    return this.opIndex.get(op) ?? op;
  }

  post(msg: DownMessage, transfer?: readonly Transferable[]): void {
    // No list at all when nothing moves: the platform then has no sequence to read.
    if (transfer && transfer.length > 0) this.host.endpoint.postMessage(msg, transfer as Transferable[]);
    else this.host.endpoint.postMessage(msg);
    this.countPost();
  }

  /**
   * Counts a message just posted to the worker, Comlink's included: the worker counts every one
   * it receives, and spins only while the two agree (see SpinWait). After the post, so a worker
   * that stops spinning finds the message already in its queue.
   */
  private countPost(): void {
    if (this.spin) {
      Atomics.add(this.spin.posted, 0, 1);
      Atomics.add(this.spin.poolPosted, 0, 1);
    }
  }

  /** Whether a cancel reaches a synchronous op of this worker (through the shared flag). */
  get sharesCancelFlag(): boolean {
    return this.cancelFlag !== null;
  }

  /** Tells the op running `taskId` through shared memory, if the page has it, that it is cancelled. */
  flagCancel(taskId: number): void {
    if (this.cancelFlag) Atomics.store(this.cancelFlag, 0, taskId);
  }

  /** Bytes the worker reports holding right now (asks it: use for rare, on-demand checks). */
  async memory(): Promise<number> {
    const answer = this.control.memory();
    this.countPost();
    return answer;
  }

  /** Stops the worker on the pool's behalf: no `onDeath`, the pool settles its tasks itself. */
  terminate(): void {
    if (this.info.state === 'dead') return;
    this.info.state = 'dead';
    this.shutdown();
  }

  /** Ends the worker and reports why, once. */
  die(reason: CrashReason, detail: string): void {
    if (this.info.state === 'dead') return;
    this.info.state = 'dead';
    this.shutdown();
    this.hooks.onDeath(this, reason, detail);
  }

  private readonly onMessage = (e: Event): void => {
    const data = (e as MessageEvent<unknown>).data;
    if (!isDataMessage(data)) return;
    e.stopImmediatePropagation();
    this.onUp(data as UpMessage, e);
  };

  private onUp(msg: UpMessage, e: Event): void {
    if (this.info.state === 'dead') return;
    if (msg[0] === 'events') this.hooks.onEvents(this, msg[1], msg[2], eventTime(e));
    else this.die(msg[1], msg[2]);
  }

  /**
   * The worker holds a Web Lock for its whole life. Asking for the same lock here is granted
   * only once the worker's context is gone: the one signal that also covers `self.close()`,
   * out-of-memory kills and crashes that fire no event.
   */
  private watchLife(name: string): void {
    navigator.locks
      .request(name, { signal: this.lifeLock.signal }, () => {
        this.die('exit', this.host.silentDeath);
      })
      .catch(() => {
        /* aborted by our own terminate */
      });
  }

  private clearStartTimer(): void {
    if (this.startTimer !== null) clearTimeout(this.startTimer);
    this.startTimer = null;
  }

  private shutdown(): void {
    this.clearStartTimer();
    // Stopped mid-spin, the worker never frees the pool's spin slot: free it here.
    if (this.spin) Atomics.compareExchange(this.spin.spinner, 0, this.id + 1, 0);
    this.lifeLock.abort();
    this.host.terminate();
    this.host.endpoint.removeEventListener('message', this.onMessage);
    // No releaseProxy(): it waits for an answer a dead worker never sends. The proxy goes with us.
  }
}

/**
 * A compiled `WebAssembly.Module` cannot reach another process: leave it out, and the worker
 * compiles the engine itself (what a worker given no module does).
 */
function withoutModules(res: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(res).filter(([, v]) => !(v instanceof WebAssembly.Module)));
}
