/**
 * The worker side of the pool: runs the tasks the page sends, one at a time, in order, and
 * sends back results, progress and log lines coalesced into as few messages as keep latency low.
 */
import * as Comlink from 'comlink';
import { CancelledError, UnknownOperationError, toRemoteError } from '../core/errors.ts';
import {
  isDataMessage,
  now,
  type DownMessage,
  type UpMessage,
  type WireTask,
  type WorkerControl,
  type WorkerEvent,
  type WorkerInit,
} from '../core/protocol.ts';
import { scanTransferables } from '../core/transfer.ts';
import type { OpContext, OpRegistry } from '../core/op.ts';
import { memoryInUse } from './memory.ts';
import { setResources } from './resources.ts';
import { browserScope, type ServeScope } from '../platform/index.ts';

const timeOrigin = performance.timeOrigin;

/** Events wait at most this long for company before they are posted (ms). */
const FLUSH_INTERVAL = 1;
/** Progress messages are rarer: a tight loop reporting progress must not flood the page. */
const PROGRESS_INTERVAL = 50;
/** An op this fast (ms) may run before the results ahead of it are posted. */
const SHORT_TASK = 0.25;

interface Running {
  id: number;
  abort(): void;
}

/** Where events go: the channel the page's control calls came on, once it has said hello (`init`). */
interface Outlet {
  postMessage(message: UpMessage, transfer?: Transferable[]): void;
}

/**
 * Serves `ops` in this worker. Call once, at the top level of the worker module. `scope`: where
 * it runs (a browser worker by default; Node's runner passes its worker thread's).
 */
export function serve(ops: OpRegistry, scope: ServeScope = browserScope()): void {
  let port: Outlet | null = null;
  let workerId = -1;
  let cancelFlag: Int32Array | null = null;
  const inbox: WireTask[] = [];
  const cancelledBeforeStart = new Set<number>();
  let running: Running | null = null;
  let draining = false;

  let outbox: WorkerEvent[] = [];
  let outTransfer: Transferable[] = [];
  /** Epoch ms of the last clock read here (a task's start or end): flush times need no read of their own. */
  let clock = 0;
  let lastFlush = 0;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const lastProgress = new Map<number, number>();
  /** Typical run time per op (ms): results wait for company only behind ops known to be short. */
  const opTimes = new Map<string, number>();

  const flush = (): void => {
    if (flushTimer !== null) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    if (outbox.length === 0 || !port) return;
    const msg: UpMessage = { t: 'events', events: outbox, memory: memoryInUse() };
    const transfer = outTransfer;
    outbox = [];
    // Most batches move nothing: the empty list is kept, not made again.
    if (transfer.length > 0) outTransfer = [];
    lastFlush = clock;
    try {
      port.postMessage(msg, transfer);
    } catch (e) {
      // An output that can't be cloned (a function, a class instance with private state):
      // fail those tasks one by one rather than lose the whole batch.
      for (const ev of msg.events) {
        try {
          port.postMessage(
            { t: 'events', events: [ev], memory: msg.memory } satisfies UpMessage,
            ev.t === 'done' ? scanTransferables(ev.output, 'output').transfer : [],
          );
        } catch (inner) {
          if (ev.t === 'done') {
            const error = toRemoteError(new TypeError(`result could not be sent to the page: ${(inner as Error).message}`));
            port.postMessage({ t: 'events', events: [{ t: 'error', id: ev.id, error, start: ev.start, end: ev.end }], memory: msg.memory } satisfies UpMessage);
          }
        }
      }
      void e;
    }
  };

  /** `settles`: the event ends a task, which happens inside drain(), and drain() flushes itself. */
  const emit = (ev: WorkerEvent, transfer?: Transferable[], settles = false): void => {
    outbox.push(ev);
    if (transfer) for (const t of transfer) outTransfer.push(t);
    if (!settles && flushTimer === null) flushTimer = setTimeout(flush, FLUSH_INTERVAL);
  };

  /**
   * Returns a promise only for an op that gave one: a synchronous op's task ends before this
   * returns. `start`: epoch ms it starts at (read by the caller).
   */
  const runOne = (task: WireTask, start: number): Promise<void> | undefined => {
    const def = ops[task.op];
    if (!def) {
      const error = toRemoteError(new UnknownOperationError(`This worker has no operation "${task.op}" (it serves: ${Object.keys(ops).join(', ')})`));
      emit({ t: 'error', id: task.id, error, start, end: (clock = now()) }, undefined, true);
      return;
    }
    // The AbortController is made only if the op asks for its signal: most tiny ops never do.
    let controller: AbortController | null = null;
    const state = { aborted: false };
    const abortSignal = (): void => {
      if (controller && !abortedOf.call(controller.signal)) controller.abort(new CancelledError());
    };
    running = {
      id: task.id,
      abort: () => {
        state.aborted = true;
        abortSignal();
      },
    };
    /** Whether the task is cancelled, reading the shared flag too (the message may be stuck behind a synchronous op). */
    const cancelled = (): boolean => {
      if (!state.aborted && cancelFlag !== null && Atomics.load(cancelFlag, 0) === task.id) state.aborted = true;
      return state.aborted;
    };
    const ctx: OpContext = {
      get signal() {
        if (!controller) {
          controller = new AbortController();
          readsFlag(controller.signal, () => {
            if (cancelled()) abortSignal();
          });
        }
        // Found cancelled as the op takes its signal: abort it after this turn, so that the
        // listener the op is about to add hears it (an already aborted signal fires no event).
        // Reading `aborted` or calling `throwIfAborted()` meanwhile aborts it at once.
        if (cancelled()) queueMicrotask(abortSignal);
        return controller.signal;
      },
      taskId: task.id,
      workerId,
      attempt: task.attempt,
      progress(fraction, message) {
        const t = performance.now();
        const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
        emit(message === undefined ? { t: 'progress', id: task.id, fraction: f } : { t: 'progress', id: task.id, fraction: f, message });
        // Post now if the op is stuck in a long synchronous stretch: a timer would never fire.
        if (t - (lastProgress.get(task.id) ?? 0) >= PROGRESS_INTERVAL) {
          lastProgress.set(task.id, t);
          flush();
        }
      },
      log(line, stream = 'out') {
        emit({ t: 'log', id: task.id, line: String(line), stream });
        if ((clock = now()) - lastFlush >= PROGRESS_INTERVAL) flush();
      },
      throwIfCancelled() {
        if (cancelled()) throw new CancelledError();
      },
    };
    const fail = (e: unknown): void => {
      if (state.aborted) emit({ t: 'cancelled', id: task.id, start, end: (clock = now()) }, undefined, true);
      else emit({ t: 'error', id: task.id, error: toRemoteError(e), start, end: (clock = now()) }, undefined, true);
    };
    const finish = (output: unknown): void => {
      try {
        // A primitive result (most tiny ops') has nothing to move: no walk.
        const transfer =
          def.options.transferOutput === false || output === null || typeof output !== 'object' ? undefined : scanTransferables(output, 'output').transfer;
        if (cancelled()) emit({ t: 'cancelled', id: task.id, start, end: (clock = now()) }, undefined, true);
        else emit({ t: 'done', id: task.id, output, start, end: (clock = now()) }, transfer, true);
      } catch (e) {
        fail(e);
      }
    };
    const ended = (): void => {
      running = null;
      lastProgress.delete(task.id);
      // The op's time from its own start and end stamps: no clock read of its own.
      const ms = clock - start;
      const prev = opTimes.get(task.op);
      opTimes.set(task.op, prev === undefined ? ms : 0.8 * prev + 0.2 * ms);
    };
    let output: unknown;
    try {
      output = def.run(task.input as never, ctx);
    } catch (e) {
      fail(e);
      ended();
      return undefined;
    }
    // Only an op's own promise is waited for: a synchronous op pays no microtask hops.
    if (output instanceof Promise) {
      // Without the shared flag the page cannot tell a synchronous op (deaf to a cancel) from
      // one awaiting (which hears it): say so, and the page ends a deaf one at once.
      if (cancelFlag === null) emit({ t: 'yielded', id: task.id });
      return output.then(finish, fail).then(ended);
    }
    finish(output);
    ended();
    return undefined;
  };

  /**
   * Runs what the inbox holds, in order, until it is empty or an op awaits (then again once that
   * op settles). Synchronous all the way for synchronous ops: a lone task is run and answered
   * within the message's own task, with no promise or microtask of ours in between.
   * `arrivedAt`: when the message that brought the tasks was dispatched (epoch ms; 0: unknown),
   * which is when the first of them starts: the event's own stamp, no clock read of ours.
   */
  const drain = (arrivedAt = 0): void => {
    if (draining) return;
    draining = true;
    let pending: Promise<void> | undefined;
    /** Whether `clock` is now: the message just came, or the task before just ended, and nothing was posted since. */
    let fresh = arrivedAt > 0;
    if (fresh) clock = arrivedAt;
    try {
      for (let task = inbox.shift(); task; task = inbox.shift()) {
        if (cancelledBeforeStart.delete(task.id)) {
          emit({ t: 'cancelled', id: task.id, start: null, end: (clock = now()) }, undefined, true);
          fresh = true;
          continue;
        }
        // Before a task that may be long, let the page see what finished so far. `clock` is when
        // the task before ended: close enough, and no clock read per task.
        if (outbox.length > 0 && (clock - lastFlush >= FLUSH_INTERVAL || !((opTimes.get(task.op) ?? Infinity) < SHORT_TASK))) {
          flush();
          fresh = false;
        }
        // In a batch a task starts when the one before it ended: one clock read per task, not two.
        pending = runOne(task, fresh ? clock : (clock = now()));
        if (pending) break;
        fresh = true;
      }
    } finally {
      // An op awaiting holds the worker: the next task starts only once it settles.
      if (!pending) draining = false;
    }
    if (pending) {
      void pending.then(() => {
        draining = false;
        drain();
      });
      return;
    }
    flush();
  };

  const onDown = (msg: DownMessage, arrivedAt: number): void => {
    if (msg.t === 'run') {
      for (const task of msg.tasks) inbox.push(task);
      drain(arrivedAt);
    } else {
      for (const id of msg.ids) {
        if (running?.id === id) running.abort();
        else if (inbox.some((t) => t.id === id)) cancelledBeforeStart.add(id);
      }
    }
  };

  const fatal = (reason: 'uncaught' | 'exit', detail: string): void => {
    flush();
    port?.postMessage({ t: 'fatal', reason, detail } satisfies UpMessage);
  };

  scope.watch(fatal, (line) => {
    console.warn(`voxpool worker ${workerId}: ${line}`);
    if (running) emit({ t: 'log', id: running.id, line, stream: 'err' });
  });

  /**
   * Data messages and Comlink's calls share one channel: the worker's own, the port a
   * SharedWorker (a pool worker in a process of its own) was connected with, or a Node thread's
   * parent port.
   */
  scope.connect((channel) => {
    // Added before Comlink's listener (expose, below), which then never sees a data message.
    channel.addEventListener('message', (e: Event) => {
      const data = (e as MessageEvent<unknown>).data;
      if (!isDataMessage(data)) return;
      e.stopImmediatePropagation();
      // The event's stamp (ms from timeOrigin, taken as it was dispatched) where it has one.
      if (port) onDown(data as DownMessage, e.timeStamp > 0 ? timeOrigin + e.timeStamp : 0);
    });
    const control: WorkerControl = {
      async init(init: WorkerInit) {
        workerId = init.workerId;
        cancelFlag = init.cancelFlag;
        setResources(init.resources);
        port = {
          postMessage: (message, transfer) => (transfer && transfer.length > 0 ? channel.postMessage(message, transfer) : channel.postMessage(message)),
        };
        // Held until this context dies; resolves once granted, so the page may start waiting on it.
        if (init.lifeLock && scope.holdLock) await scope.holdLock(init.lifeLock);
        return { ops: Object.keys(ops) };
      },
      memory: memoryInUse,
    };
    Comlink.expose(control, channel);
  });
}

const abortedOf = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;

/**
 * Makes `signal.aborted` and `signal.throwIfAborted()` bring the signal up to date first (`sync`
 * aborts it if the task is cancelled), so a synchronous op that keeps its signal and polls it
 * sees a cancel the page could only store in shared memory. Own properties shadow the
 * prototype's; the signal stays a real AbortSignal.
 */
function readsFlag(signal: AbortSignal, sync: () => void): void {
  Object.defineProperty(signal, 'aborted', {
    get: () => {
      sync();
      return abortedOf.call(signal) as boolean;
    },
  });
  Object.defineProperty(signal, 'throwIfAborted', {
    value: () => {
      sync();
      AbortSignal.prototype.throwIfAborted.call(signal);
    },
  });
}
