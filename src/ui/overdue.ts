/**
 * When a running task has run far longer than its op usually does: what the monitor marks, so
 * a task that hangs (an op that never settles and has no timeout holds its worker for ever) is
 * seen rather than left to look busy.
 */

/** Overdue past this many times the op's usual run time... */
export const OVERDUE_FACTOR = 4;
/** ...and at least this much longer than usual (ms): a 5 ms op taking 40 ms is no alarm. */
export const OVERDUE_MARGIN = 2_000;
/** An op with no finished run to compare with is overdue after this long (ms). */
export const OVERDUE_UNKNOWN = 60_000;

/**
 * Whether `elapsed` ms of running is far longer than `typical` ms (undefined: the op has no
 * measured runs yet, then `unknownAfter` is the limit).
 */
export function isOverdue(elapsed: number, typical: number | undefined, unknownAfter = OVERDUE_UNKNOWN): boolean {
  if (typical === undefined || !Number.isFinite(typical)) return elapsed >= unknownAfter;
  return elapsed >= Math.max(OVERDUE_FACTOR * typical, typical + OVERDUE_MARGIN);
}
