/**
 * The worker side of the pool: runs the tasks the page sends, one at a time, in order, and
 * sends back results, progress and log lines coalesced into as few messages as keep latency low.
 */
import * as Comlink from 'comlink';
import { UnknownOperationError, toRemoteError } from '../core/errors.ts';
import {
  isDataMessage,
  now,
  type DownMessage,
  type UpMessage,
  type WireTask,
  type WorkerControl,
  type WorkerEvent,
  type WorkerInit,
  type SpinWait,
} from '../core/protocol.ts';
import { scanTransferables } from '../core/transfer.ts';
import type { OpRegistry } from '../core/op.ts';
import { TaskContext, type ContextOutlet } from './task-context.ts';
import { memoryInUse } from './memory.ts';
import { setResources } from './resources.ts';
import { spinForNext } from './spin-wait.ts';
import { browserScope, type ServeScope } from '../platform/index.ts';

const timeOrigin = performance.timeOrigin;

/** Events wait at most this long for company before they are posted (ms). */
const FLUSH_INTERVAL = 1;
/** Progress messages are rarer: a tight loop reporting progress must not flood the page. */
const PROGRESS_INTERVAL = 50;
/** An op this fast (ms) may run before the results ahead of it are posted. */
const SHORT_TASK = 0.25;

/** Where events go: the channel the page's control calls came on, once it has said hello (`init`). */
interface Outlet {
  postMessage(message: UpMessage, transfer?: Transferable[]): void;
}

/**
 * Serves `ops` in this worker. Call once, at the top level of the worker module. `scope`: where
 * it runs (a browser worker by default; Node's runner passes its worker thread's).
 */
export function serve(ops: OpRegistry, scope: ServeScope = browserScope()): void {
  /** The hello's list: the page sends each task's op as its index here. */
  const opNames = Object.keys(ops);
  const opDefs = opNames.map((name) => ops[name]!);
  let port: Outlet | null = null;
  let workerId = -1;
  let cancelFlag: Int32Array | null = null;
  let spin: SpinWait | null = null;
  /** Messages received on the channel: the page's `spin.posted` runs ahead of it while one waits in the queue. */
  let received = 0;
  const inbox: WireTask[] = [];
  const cancelledBeforeStart = new Set<number>();
  let running: TaskContext | null = null;
  /** The op of `running`, by its index. */
  let runningOp = -1;
  let draining = false;

  let outbox: WorkerEvent[] = [];
  let outTransfer: Transferable[] = [];
  /** Epoch ms of the last clock read here (a task's start or end): flush times need no read of their own. */
  let clock = 0;
  let lastFlush = 0;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const lastProgress = new Map<number, number>();
  /** Typical run time per op (ms), by its index: results wait for company only behind ops known to be short. */
  const opTimes: (number | undefined)[] = [];

  const flush = (): void => {
    if (flushTimer !== null) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    if (outbox.length === 0 || !port) return;
    const events = outbox;
    const memory = memoryInUse();
    const transfer = outTransfer;
    outbox = [];
    // Most batches move nothing: the empty list is kept, not made again.
    if (transfer.length > 0) outTransfer = [];
    lastFlush = clock;
    try {
      port.postMessage(['events', events, memory], transfer);
    } catch {
      // An output that can't be cloned (a function, a class instance with private state):
      // fail those tasks one by one rather than lose the whole batch.
      for (const ev of events) {
        try {
          port.postMessage(['events', [ev], memory], ev[0] === 'done' ? scanTransferables(ev[2], 'output').transfer : []);
        } catch (inner) {
          if (ev[0] === 'done') {
            const error = toRemoteError(new TypeError(`result could not be sent to the page: ${(inner as Error).message}`));
            port.postMessage(['events', [['error', ev[1], error, ev[3], ev[4]]], memory]);
          }
        }
      }
    }
  };

  /** `settles`: the event ends a task, which happens inside drain(), and drain() flushes itself. */
  const emit = (ev: WorkerEvent, transfer?: Transferable[], settles = false): void => {
    outbox.push(ev);
    if (transfer) for (const t of transfer) outTransfer.push(t);
    if (!settles && flushTimer === null) flushTimer = setTimeout(flush, FLUSH_INTERVAL);
  };

  const outlet: ContextOutlet = {
    progress(id, fraction, message) {
      const t = performance.now();
      // Progress is a level, not a log: one not yet posted is replaced by the task's newer one
      // (a kernel reports each slice; a small volume's whole run is shorter than a flush).
      const prev = outbox[outbox.length - 1];
      if (prev !== undefined && prev[0] === 'progress' && prev[1] === id && (message !== undefined || prev[3] === undefined)) {
        outbox[outbox.length - 1] = ['progress', id, fraction, message];
      } else emit(['progress', id, fraction, message]);
      // Post now if the op is stuck in a long synchronous stretch: a timer would never fire. The
      // first report of an op known to end within PROGRESS_INTERVAL waits for its result instead
      // (posting it alone took 55 µs of a 0.65 ms Gaussian of a small volume); a longer or
      // unknown op's goes at once, so the page can say what it is doing.
      const since = lastProgress.get(id);
      if (since === undefined) {
        lastProgress.set(id, t);
        if (!((opTimes[runningOp] ?? Infinity) < PROGRESS_INTERVAL)) flush();
      } else if (t - since >= PROGRESS_INTERVAL) {
        lastProgress.set(id, t);
        flush();
      }
    },
    log(id, line, stream) {
      emit(['log', id, line, stream]);
      if ((clock = now()) - lastFlush >= PROGRESS_INTERVAL) flush();
    },
  };

  /**
   * Returns a promise only for an op that gave one: a synchronous op's task ends before this
   * returns. `start`: epoch ms it starts at (read by the caller).
   */
  const runOne = (wire: WireTask, start: number): Promise<void> | undefined => {
    const id = wire[0];
    const op = wire[1];
    const def = typeof op === 'number' ? opDefs[op] : undefined;
    if (def === undefined || typeof op !== 'number') {
      const error = toRemoteError(new UnknownOperationError(`This worker has no operation "${op}" (it serves: ${opNames.join(', ')})`));
      emit(['error', id, error, start, (clock = now())], undefined, true);
      return;
    }
    const ctx = new TaskContext(outlet, id, workerId, wire[3], cancelFlag);
    running = ctx;
    runningOp = op;
    let output: unknown;
    try {
      output = def.run(wire[2] as never, ctx);
    } catch (e) {
      fail(ctx, e, start);
      ended(ctx, op, start);
      return undefined;
    }
    // Only an op's own promise is waited for: a synchronous op pays no microtask hops.
    if (output instanceof Promise) {
      // Without the shared flag the page cannot tell a synchronous op (deaf to a cancel) from
      // one awaiting (which hears it): say so, and the page ends a deaf one at once.
      if (cancelFlag === null) emit(['yielded', id]);
      return output.then(
        (out: unknown) => {
          finish(ctx, def, out, start);
          ended(ctx, op, start);
        },
        (e: unknown) => {
          fail(ctx, e, start);
          ended(ctx, op, start);
        },
      );
    }
    finish(ctx, def, output, start);
    ended(ctx, op, start);
    return undefined;
  };

  const fail = (ctx: TaskContext, e: unknown, start: number): void => {
    if (TaskContext.aborted(ctx)) emit(['cancelled', ctx.taskId, start, (clock = now())], undefined, true);
    else emit(['error', ctx.taskId, toRemoteError(e), start, (clock = now())], undefined, true);
  };

  const finish = (ctx: TaskContext, def: OpRegistry[string], output: unknown, start: number): void => {
    try {
      // A primitive result (most tiny ops') has nothing to move: no walk.
      const transfer =
        def.options.transferOutput === false || output === null || typeof output !== 'object' ? undefined : scanTransferables(output, 'output').transfer;
      if (TaskContext.cancelled(ctx)) emit(['cancelled', ctx.taskId, start, (clock = now())], undefined, true);
      else emit(['done', ctx.taskId, output, start, (clock = now())], transfer, true);
    } catch (e) {
      fail(ctx, e, start);
    }
  };

  const ended = (ctx: TaskContext, op: number, start: number): void => {
    running = null;
    lastProgress.delete(ctx.taskId);
    // The op's time from its own start and end stamps: no clock read of its own.
    const ms = clock - start;
    const prev = opTimes[op];
    opTimes[op] = prev === undefined ? ms : 0.8 * prev + 0.2 * ms;
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
        if (cancelledBeforeStart.delete(task[0])) {
          emit(['cancelled', task[0], null, (clock = now())], undefined, true);
          fresh = true;
          continue;
        }
        // Before a task that may be long, let the page see what finished so far. `clock` is when
        // the task before ended: close enough, and no clock read per task.
        if (
          outbox.length > 0 &&
          (clock - lastFlush >= FLUSH_INTERVAL || !(((typeof task[1] === 'number' ? opTimes[task[1]] : undefined) ?? Infinity) < SHORT_TASK))
        ) {
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
    // Nothing left to run: stay awake a little for the next call (when the pool asked for it).
    if (spin !== null && inbox.length === 0) spinForNext(spin, workerId, received);
  };

  const onDown = (msg: DownMessage, arrivedAt: number): void => {
    if (msg[0] === 'run') {
      for (const task of msg[1]) inbox.push(task);
      drain(arrivedAt);
    } else {
      for (const id of msg[1]) {
        if (running?.taskId === id) TaskContext.abort(running);
        else if (inbox.some((t) => t[0] === id)) cancelledBeforeStart.add(id);
      }
    }
  };

  const fatal = (reason: 'uncaught' | 'exit', detail: string): void => {
    flush();
    port?.postMessage(['fatal', reason, detail]);
  };

  scope.watch(fatal, (line) => {
    console.warn(`voxpool worker ${workerId}: ${line}`);
    if (running) emit(['log', running.taskId, line, 'err']);
  });

  /**
   * Data messages and Comlink's calls share one channel: the worker's own, the port a
   * SharedWorker (a pool worker in a process of its own) was connected with, or a Node thread's
   * parent port.
   */
  scope.connect((channel) => {
    // Added before Comlink's listener (expose, below), which then never sees a data message.
    channel.addEventListener('message', (e: Event) => {
      // Every message, Comlink's too: the page counts each it posts (see SpinWait).
      received++;
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
        spin = init.spin;
        setResources(init.resources);
        port = {
          postMessage: (message, transfer) => (transfer && transfer.length > 0 ? channel.postMessage(message, transfer) : channel.postMessage(message)),
        };
        // Held until this context dies; resolves once granted, so the page may start waiting on it.
        if (init.lifeLock && scope.holdLock) await scope.holdLock(init.lifeLock);
        return { ops: opNames };
      },
      memory: memoryInUse,
    };
    Comlink.expose(control, channel);
  });
}
