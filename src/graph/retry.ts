/**
 * When a failed task runs again by itself. A worker crash is most often not the task's fault
 * (another tab took the memory, the worker was killed), so it is retried by default; an error the
 * op threw usually repeats, so it is not, unless asked.
 */
import type { TaskEnding } from './states.ts';

export interface RetryPolicy {
  /** Runs again after a worker crash. Default 1. */
  crash?: number;
  /** Runs again after the op threw. Default 0. */
  error?: number;
  /** Runs again after a timeout. Default 0. */
  timeout?: number;
  /** Milliseconds to wait before a retry. Default 0. */
  delay?: number;
}

export type RetryKind = 'crash' | 'error' | 'timeout';

export interface RetryCounts {
  crash: number;
  error: number;
  timeout: number;
}

const DEFAULTS: Required<RetryPolicy> = { crash: 1, error: 0, timeout: 0, delay: 0 };

/** The kind of retry an ending calls for, if any. Input errors are never retried: they repeat. */
export function retryKind(ending: TaskEnding): RetryKind | null {
  if (ending.kind === 'crashed') return 'crash';
  if (ending.kind === 'timeout') return 'timeout';
  if (ending.kind === 'error' && ending.name !== 'InputError' && ending.name !== 'UnknownOperationError') return 'error';
  return null;
}

/** Whether a task with this policy, having been retried `done` times already, may run again. */
export function mayRetry(policy: RetryPolicy | undefined, ending: TaskEnding, done: RetryCounts): RetryKind | null {
  const kind = retryKind(ending);
  if (!kind) return null;
  const limit = policy?.[kind] ?? DEFAULTS[kind];
  return done[kind] < limit ? kind : null;
}

export function retryDelay(policy: RetryPolicy | undefined): number {
  return policy?.delay ?? DEFAULTS.delay;
}
