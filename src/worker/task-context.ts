/**
 * What an op gets besides its input (OpContext), one per task. A class, not an object literal:
 * a literal with a getter is built through the runtime each time (measured ~0.7 µs in V8 against
 * ~0.03 µs for an instance), and every awaited call pays for one. The task's cancel state is kept
 * in private fields the op cannot reach; the serving loop reads and sets it through the statics.
 */
import { CancelledError } from '../core/errors.ts';
import type { OpContext } from '../core/op.ts';

/** What a task's context reports to the serving loop. */
export interface ContextOutlet {
  progress(taskId: number, fraction: number, message: string | undefined): void;
  log(taskId: number, line: string, stream: 'out' | 'err'): void;
}

const abortedOf = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;

export class TaskContext implements OpContext {
  #aborted = false;
  /** Made only if the op asks for its signal: most tiny ops never do. */
  #controller: AbortController | null = null;

  constructor(
    private readonly outlet: ContextOutlet,
    readonly taskId: number,
    readonly workerId: number,
    readonly attempt: number,
    /** See WorkerInit.cancelFlag: where a cancel reaches a synchronous op. */
    private readonly cancelFlag: Int32Array | null,
  ) {}

  /** Whether the task is cancelled, reading the shared flag too (the message may be stuck behind a synchronous op). */
  static cancelled(ctx: TaskContext): boolean {
    if (!ctx.#aborted && ctx.cancelFlag !== null && Atomics.load(ctx.cancelFlag, 0) === ctx.taskId) ctx.#aborted = true;
    return ctx.#aborted;
  }

  /** Whether the task is known cancelled here, without reading the shared flag: an op's failure counts as a cancel only if the op saw it. */
  static aborted(ctx: TaskContext): boolean {
    return ctx.#aborted;
  }

  /** The page cancelled the task: its signal aborts, its checks throw. */
  static abort(ctx: TaskContext): void {
    ctx.#aborted = true;
    ctx.#abortSignal();
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      readsFlag(this.#controller.signal, () => {
        if (TaskContext.cancelled(this)) this.#abortSignal();
      });
    }
    // Found cancelled as the op takes its signal: abort it after this turn, so that the
    // listener the op is about to add hears it (an already aborted signal fires no event).
    // Reading `aborted` or calling `throwIfAborted()` meanwhile aborts it at once.
    if (TaskContext.cancelled(this)) queueMicrotask(() => this.#abortSignal());
    return this.#controller.signal;
  }

  progress(fraction: number, message?: string): void {
    this.outlet.progress(this.taskId, Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)), message);
  }

  log(line: string, stream: 'out' | 'err' = 'out'): void {
    this.outlet.log(this.taskId, String(line), stream);
  }

  throwIfCancelled(): void {
    if (TaskContext.cancelled(this)) throw new CancelledError();
  }

  #abortSignal(): void {
    const c = this.#controller;
    if (c && !abortedOf.call(c.signal)) c.abort(new CancelledError());
  }
}

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
