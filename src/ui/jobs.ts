/**
 * The page's tasks, each remembered with how to start it again: a bare pool can't retry a failed
 * task (its input was moved into the worker), so the page keeps what is needed to resubmit it.
 */
import type { TaskHandle } from '../pool/pool.ts';
import { CancelledError } from '../core/errors.ts';

export interface Job<O> {
  /** Submits the task (again, for a retry) with its own copy of the input. */
  start(): TaskHandle<O>;
  /** Called with each successful result. */
  done(output: O): void;
  /** Called when a run ends without a result (a retry may still succeed later). */
  ended?(outcome: 'failed' | 'cancelled', error: Error): void;
}

export type Outcome = 'done' | 'failed' | 'cancelled';

export class JobRunner {
  private readonly jobs = new Map<number, Job<unknown>>();

  /** `onError` hears every failure but cancellations (those are asked for). */
  constructor(private readonly onError: (error: Error, label: string) => void) {}

  /** Starts a job; settles with how it ended (never rejects). */
  launch<O>(job: Job<O>): Promise<Outcome> {
    let handle: TaskHandle<O>;
    try {
      handle = job.start();
    } catch (e) {
      this.onError(asError(e), 'submit');
      return Promise.resolve('failed');
    }
    this.jobs.set(handle.id, job as Job<unknown>);
    return handle.result.then(
      (output): Outcome => {
        this.jobs.delete(handle.id);
        try {
          job.done(output);
        } catch (e) {
          this.onError(asError(e), handle.record.label);
          return 'failed';
        }
        return 'done';
      },
      (error: unknown): Outcome => {
        if (error instanceof CancelledError && !(error.name === 'TimeoutError')) {
          this.jobs.delete(handle.id);
          job.ended?.('cancelled', error);
          return 'cancelled';
        }
        this.onError(asError(error), handle.record.label);
        job.ended?.('failed', asError(error));
        return 'failed';
      },
    );
  }

  canRetry(id: number): boolean {
    return this.jobs.has(id);
  }

  /** Starts the failed tasks again; resolves with how each retry ended. */
  retry(ids: readonly number[]): Promise<Outcome[]> {
    const runs: Promise<Outcome>[] = [];
    for (const id of ids) {
      const job = this.jobs.get(id);
      if (!job) continue;
      this.jobs.delete(id);
      runs.push(this.launch(job));
    }
    return Promise.all(runs);
  }
}

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
