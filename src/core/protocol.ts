/**
 * The wire protocol between the pool and its workers, apart from the logic on either side.
 *
 * Two kinds of message per worker, both on the Worker's own channel:
 * - control, through Comlink: start-up (`init`) and questions that are rare and may be slow
 *   (memory, warm-up);
 * - data, our own messages (arrays, which Comlink's never are): task batches down,
 *   coalesced events up. Tiny tasks would pay one Comlink round trip each (a fresh id, a
 *   promise, a listener); batching many tasks and many results per message is what lets the
 *   pool approach the raw postMessage floor. Each side's data listener is added before
 *   Comlink's and stops a data message there, so Comlink never looks at one.
 * The data used to travel on a MessageChannel of its own: in Chromium a port's message costs
 * more than the Worker's own (measured: about 15-20 µs more per round trip), which was most of
 * what a single awaited call paid over the raw floor.
 */
import type { RemoteErrorInfo } from './errors.ts';

/**
 * A task on the wire. `op`: the op's index in the list the worker said hello with, or its name
 * when that worker does not serve it (so the worker's refusal can name it).
 */
export type WireTask = readonly [id: number, op: number | string, input: unknown, attempt: number];

/** Page to worker, data. Order matters: a cancel after a run refers to it. */
export type DownMessage = readonly [kind: 'run', tasks: readonly WireTask[]] | readonly [kind: 'cancel', ids: readonly number[]];

/** Times are epoch milliseconds (performance.timeOrigin + now()), comparable across threads. */
export type WorkerEvent =
  | readonly [kind: 'done', id: number, output: unknown, start: number, end: number]
  | readonly [kind: 'error', id: number, error: RemoteErrorInfo, start: number, end: number]
  /** The operation honoured its signal and stopped (or was dropped before it started: no start). */
  | readonly [kind: 'cancelled', id: number, start: number | null, end: number]
  | readonly [kind: 'progress', id: number, fraction: number, message: string | undefined]
  /**
   * The op returned a pending promise: its worker's event loop is free, so a cancel message
   * reaches it. Sent only where no cancel flag is shared (the page is not cross-origin isolated).
   */
  | readonly [kind: 'yielded', id: number]
  | readonly [kind: 'log', id: number, line: string, stream: 'out' | 'err'];

/** Worker to page, data. */
export type UpMessage =
  | readonly [kind: 'events', events: readonly WorkerEvent[], memory: number]
  /** The worker is going down on its own: an uncaught error, or it closed itself. */
  | readonly [kind: 'fatal', reason: 'uncaught' | 'exit', detail: string];

export interface WorkerInit {
  workerId: number;
  /** Held by the worker for its whole life; the page learns of its death when it is released. */
  lifeLock: string | null;
  /** Values every worker gets at start (compiled WebAssembly.Modules, config): see PoolOptions.resources. */
  resources: Record<string, unknown>;
  /**
   * On a cross-origin isolated page, one Int32 on a SharedArrayBuffer: the id of the task the
   * page cancelled, stored with Atomics. A synchronous op never sees the cancel message (it holds
   * the worker's event loop); `ctx.throwIfCancelled` and `ctx.signal` read this instead.
   */
  cancelFlag: Int32Array | null;
  /** See PoolOptions.spinWait: null unless asked for and the page is cross-origin isolated. */
  spin: SpinWait | null;
}

/**
 * A worker that has answered and has nothing queued polls shared memory for a while instead of
 * sleeping, so that the next call finds its thread (and vCPU) awake.
 */
export interface SpinWait {
  /**
   * One Int32 the page adds 1 to after each message it posts this worker, Comlink's included; the
   * worker counts those it receives, and a spin ends as soon as this count runs ahead of that.
   */
  posted: Int32Array;
  /** One Int32 shared by the pool's workers: 0, or the spinning worker's id + 1. At most one spins. */
  spinner: Int32Array;
  /**
   * One Int32 the page adds 1 to after each message it posts any worker of the pool: a spin ends
   * when it changes, so a spinner does not hold a vCPU while another worker is woken for a task.
   */
  poolPosted: Int32Array;
  /** One Int32 the page sets: how long a spin lasts at most (µs); 0, none (see src/pool/spin-choice.ts). */
  length: Int32Array;
}

export interface WorkerHello {
  ops: string[];
}

/** The control API a voxpool worker exposes through Comlink. */
export interface WorkerControl {
  init(init: WorkerInit): Promise<WorkerHello>;
  /** Bytes of memory the worker knows it holds (wasm memories of its engines, buffers). */
  memory(): number;
}

/** Whether a message on a worker's channel is one of ours (data): Comlink's (control) are never arrays. */
export function isDataMessage(data: unknown): data is DownMessage | UpMessage {
  return Array.isArray(data);
}

/** Read once: it never changes in a context, and each read costs as much as a clock read (a syscall on some VMs). */
const timeOrigin = performance.timeOrigin;

export function now(): number {
  return timeOrigin + performance.now();
}

/**
 * When an event was dispatched, in epoch ms: its own stamp (ms from this context's time origin,
 * taken as it was dispatched; no clock read of ours), or now where it has none.
 */
export function eventTime(e: Event): number {
  const stamp = e.timeStamp;
  // An old engine's epoch stamp, or none: not on this clock.
  return stamp > 0 && stamp < 1e11 ? timeOrigin + stamp : now();
}
