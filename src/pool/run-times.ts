/**
 * What a pool has learned of how long its tasks take, from the runs that finished: per op, a
 * moving average of run times (the monitor's "typical", the batching's cue), and for tasks whose
 * work the splitter can weigh, the time per unit of that work and the time of each (op, work)
 * seen. The same task recurs (a cohort's volumes of one size, a demo run again), and a task's
 * own past is a better forecast than any rate: a Gaussian's time is not quite proportional to
 * its taps (edge clipping, caches).
 */

/** Weight of the newest run in the moving averages. */
const NEWEST = 0.2;
/**
 * A run longer than SPIKE_FACTOR times the op's typical time plus SPIKE_FLOOR_MS counts as that
 * much in it: a no-op whose worker was descheduled for 50 ms on a loaded machine would otherwise
 * stop being short for the next ten runs, and lose its batching and its direct post. An op that
 * really became slow is taken as such within three runs.
 */
const SPIKE_FACTOR = 10;
const SPIKE_FLOOR_MS = 1;
/** (op, work) pairs remembered per op; the oldest is forgotten first. */
const EXACT_KEPT = 64;

export class RunTimes {
  private readonly typical = new Map<string, number>();
  private readonly perUnit = new Map<string, number>();
  private readonly exact = new Map<string, Map<number, number>>();

  /**
   * A run of `op` took `ms`; `work` is its weight from the splitter (null when it has none).
   * `whole`: it ran to its end. A run that failed or was cancelled may have stopped at any point,
   * so it says only that the op takes at least that long: it may raise the typical time, never
   * lower it, nor set a first one (a long filter refused its input in 0.1 ms a few times would
   * otherwise pass for short, and be batched behind running tasks while other workers idle).
   */
  record(op: string, work: number | null, ms: number, whole = true): void {
    const typical = this.typical.get(op);
    const counted = typical === undefined ? ms : Math.min(ms, SPIKE_FACTOR * typical + SPIKE_FLOOR_MS);
    if (!whole) {
      if (typical !== undefined && ms > typical) this.typical.set(op, blend(typical, counted));
      return;
    }
    this.typical.set(op, blend(typical, counted));
    if (work === null || !(work > 0)) return;
    this.perUnit.set(op, blend(this.perUnit.get(op), ms / work));
    let seen = this.exact.get(op);
    if (!seen) this.exact.set(op, (seen = new Map()));
    const before = seen.get(work);
    seen.delete(work); // re-inserted last: the map's order is the order of last use
    seen.set(work, before === undefined ? ms : (before + ms) / 2);
    if (seen.size > EXACT_KEPT) seen.delete(seen.keys().next().value!);
  }

  /** The moving average of `op`'s run times (ms); undefined before one has finished. */
  typicalOf(op: string): number | undefined {
    return this.typical.get(op);
  }

  /**
   * How long a task of `op` with this work should take (ms): its own earlier time if the same
   * (op, work) ran before, else the op's rate times the work, else the op's typical time;
   * undefined when no run of the op has finished.
   */
  forecast(op: string, work: number | null): number | undefined {
    if (work !== null) {
      const same = this.exact.get(op)?.get(work);
      if (same !== undefined) return same;
      const rate = this.perUnit.get(op);
      if (rate !== undefined) return rate * work;
    }
    return this.typical.get(op);
  }
}

function blend(prev: number | undefined, next: number): number {
  return prev === undefined ? next : prev * (1 - NEWEST) + next * NEWEST;
}
