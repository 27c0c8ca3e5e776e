/**
 * How an operation is declared. The registry object a worker serves is also the type the page's
 * pool is parameterised with, so `pool.run(name, input)` is checked against these definitions.
 */

/** What an operation gets besides its input. */
export interface OpContext {
  /** Aborted when the task is cancelled or times out: check it in long loops, pass it on. */
  readonly signal: AbortSignal;
  readonly taskId: number;
  readonly workerId: number;
  /** 1 on the first try, more when the task is retried after a crash. */
  readonly attempt: number;
  /** Reports progress in [0, 1] with an optional message (throttled on the way out). */
  progress(fraction: number, message?: string): void;
  /** Appends a line to the task's log, like a job's stdout/stderr. */
  log(line: string, stream?: 'out' | 'err'): void;
  /** Throws a CancelledError if the task was cancelled; a cheap check for tight loops. */
  throwIfCancelled(): void;
}

export interface OpOptions {
  /** Move the result's ArrayBuffers to the page (default). Turn off for ops returning cached buffers. */
  transferOutput?: boolean;
}

export interface OpDef<I, O> {
  readonly run: (input: I, ctx: OpContext) => O | Promise<O>;
  readonly options: Readonly<OpOptions>;
}

/** Declares an operation. Give it explicit type arguments or a typed `input` parameter. */
export function defineOp<I, O>(run: (input: I, ctx: OpContext) => O | Promise<O>, options: OpOptions = {}): OpDef<I, O> {
  return { run, options };
}

/** A set of operations by name. `never` input accepts every definition (parameters are contravariant). */
export type OpRegistry = { readonly [name: string]: OpDef<never, unknown> };

export type OpName<R extends OpRegistry> = Extract<keyof R, string>;
export type InputOf<D> = D extends OpDef<infer I, unknown> ? I : never;
export type OutputOf<D> = D extends OpDef<never, infer O> ? O : never;
