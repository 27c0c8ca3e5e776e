/**
 * Every way a task can end badly is its own class, so a caller can tell a cancellation from a
 * failure from a crash with `instanceof` (or `error.name` across realms).
 */

export class VoxpoolError extends Error {
  override name = 'VoxpoolError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The task was cancelled: by its AbortSignal, `pool.cancel`, `cancelAll` or a workflow stop. */
export class CancelledError extends VoxpoolError {
  override name = 'CancelledError';
  constructor(
    message = 'Task was cancelled',
    readonly reason?: unknown,
  ) {
    super(message, { cause: reason });
  }
}

/** The task ran past its `timeout`; it went down the same path as a cancel. */
export class TimeoutError extends CancelledError {
  override name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`Task timed out after ${timeoutMs} ms`);
  }
}

/** What a worker sends back about an error thrown inside an operation. */
export interface RemoteErrorInfo {
  name: string;
  message: string;
  stack?: string;
  /** The name of the input a validation error is about (a file name, a field). */
  input?: string;
}

/** The operation itself threw (or rejected). `remote` is what was thrown, as the worker saw it. */
export class TaskFailedError extends VoxpoolError {
  override name = 'TaskFailedError';
  constructor(
    readonly op: string,
    readonly remote: RemoteErrorInfo,
  ) {
    super(`${op} failed: ${remote.name}: ${remote.message}`);
    if (remote.stack) this.stack = `${this.name}: ${this.message}\n--- in worker ---\n${remote.stack}`;
  }
}

/**
 * Bad input: a corrupt file, wrong sizes, NaN, an unsupported type, a volume too big.
 * Thrown on either side; `input` names what was wrong (a file name, `input.points`, ...).
 */
export class InputError extends VoxpoolError {
  override name = 'InputError';
  constructor(
    readonly input: string,
    readonly problem: string,
  ) {
    super(`${input}: ${problem}`);
  }
}

/** A file whose bytes are damaged: truncated, a broken header, sizes that don't add up. */
export class FileDamagedError extends InputError {
  override name = 'FileDamagedError';
}

/** A valid file of a kind or variant not read here (a datatype, a layout, a format). */
export class FileUnsupportedError extends InputError {
  override name = 'FileUnsupportedError';
}

const INPUT_ERRORS: Record<string, new (input: string, problem: string) => InputError> = {
  InputError,
  FileDamagedError,
  FileUnsupportedError,
};

export type CrashReason =
  | 'uncaught' // an error escaped the operation (a throw in a timer, an unhandled rejection)
  | 'load' // the worker module failed to load or to start
  | 'exit' // the worker closed itself or its context was destroyed (OOM, self.close())
  | 'message' // a message could not be deserialized
  | 'terminated'; // the pool terminated it (cancel grace period ran out is reported as cancel)

/** The worker running the task died. The pool has replaced it. */
export class WorkerCrashedError extends VoxpoolError {
  override name = 'WorkerCrashedError';
  constructor(
    readonly workerId: number,
    readonly reason: CrashReason,
    readonly detail: string,
    readonly attempts: number,
    /** The op of the task it was running, when known. */
    readonly op?: string,
  ) {
    super(
      `Worker ${workerId} crashed (${reason}: ${detail}) while running ${op === undefined ? 'the task' : `a ${op} task`}` +
        (attempts > 1 ? `; gave up after ${attempts} attempts` : ''),
    );
  }
}

/** The pool was asked to host its workers where this page cannot (a process of its own, not isolated). */
export class HostUnavailableError extends VoxpoolError {
  override name = 'HostUnavailableError';
}

/** Workers of this pool cannot start at all (bad URL, syntax error, missing engine). */
export class WorkerStartError extends VoxpoolError {
  override name = 'WorkerStartError';
}

/** The queue's `maxQueue` bound was reached. */
export class QueueFullError extends VoxpoolError {
  override name = 'QueueFullError';
  constructor(readonly maxQueue: number) {
    super(`Task queue is full (maxQueue = ${maxQueue})`);
  }
}

/** The pool was terminated before the task could finish. */
export class PoolTerminatedError extends VoxpoolError {
  override name = 'PoolTerminatedError';
  constructor() {
    super('Pool was terminated');
  }
}

/** The worker does not know this operation (the pool's worker module and types disagree). */
export class UnknownOperationError extends VoxpoolError {
  override name = 'UnknownOperationError';
}

/** Serializes any thrown value into something that survives postMessage. */
export function toRemoteError(e: unknown): RemoteErrorInfo {
  if (e instanceof Error) {
    const info: RemoteErrorInfo = { name: e.name, message: e.message };
    if (e.stack) info.stack = e.stack;
    if (e instanceof InputError) info.input = e.input;
    return info;
  }
  return { name: 'Error', message: typeof e === 'string' ? e : safeString(e) };
}

function safeString(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Rebuilds a worker-side error on the page: input errors stay InputErrors (a caller treats
 * them as the user's problem, not a bug), cancellation stays cancellation, all else is a failure.
 */
export function fromRemoteError(op: string, info: RemoteErrorInfo): Error {
  const InputCtor = Object.hasOwn(INPUT_ERRORS, info.name) ? INPUT_ERRORS[info.name] : undefined;
  if (InputCtor && info.input !== undefined) {
    const prefix = `${info.input}: `;
    const problem = info.message.startsWith(prefix) ? info.message.slice(prefix.length) : info.message;
    return new InputCtor(info.input, problem);
  }
  if (info.name === 'UnknownOperationError') return new UnknownOperationError(info.message);
  return new TaskFailedError(op, info);
}
