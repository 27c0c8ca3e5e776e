/**
 * Whether a worker that has answered a lone task stays awake for the next one (PoolOptions.spinWait),
 * as measured on the calls themselves. A spin saves the host trip that wakes a halted vCPU, where
 * idle vCPUs halt (measured: 0.6-0.85x the raw floor against 1.0-1.3x without); where they do not
 * (held polling) it has cost time instead (1.2-1.4x against 1.0-1.1x), and it always costs CPU. So
 * the pool tries both on lone tasks that go back to the worker the one before went to, and keeps
 * to the one that answered sooner.
 *
 * A spin after a task touches two answers: the next task's, which finds its worker awake, and
 * the task's own, because the page's thread, woken by that answer, may be queued behind the
 * spinner on its vCPU (perf sched, idle vCPUs held polling: ~110 µs behind it on one call in
 * ten, which made an answer's way up 30-40 µs against 11-20 after a sleep; the kernel places a
 * wakee near its waker when the other vCPU looks busy). Measuring a task by the way taken after
 * the one before saw only the first: both ways' samples paid the spin after themselves, and
 * the choice kept a spin that lost (held polling, 5 passes: 1.58x the raw floor, against 0.81x
 * for never spinning). So a way holds for two lone tasks in a row, and only the second is
 * measured: after a spin or a sleep on both sides of it.
 */
import { MeasuredChoice, type ChoiceSchedule } from './measured-choice.ts';

export type SpinWay = 'spin' | 'sleep';

/** Measured (the default), or always spin. */
export type SpinPolicy = 'measure' | 'always';

export interface SpinStats {
  /** How long a spin lasts at most (µs). */
  us: number;
  /** What a worker does after a lone task now. */
  way: SpinWay;
  /** Moving average of a lone task's overhead after its worker spun or slept (ms); null before a sample. */
  spinMs: number | null;
  sleepMs: number | null;
  spinSamples: number;
  sleepSamples: number;
}

/**
 * In pairs of calls: warm-up alternates every pair, and explores at calls 8 and 9 of every 32,
 * out of step with the lone route's choice (which alternates every call and explores at call 0 of
 * 16): the two are made on the same calls, and must not sample each other's ways in lockstep. A
 * spin holds a vCPU others may want: it is taken only when clearly faster.
 */
const SCHEDULE: ChoiceSchedule<SpinWay> = { stride: 1, exploreAt: 4, dearer: 'spin' };

export class SpinChoice {
  private readonly choice: MeasuredChoice<SpinWay>;
  /** What the worker of the last lone task was told to do after it. */
  private armed: SpinWay | null = null;
  /** Whether the last lone task was the first of a pair (its way holds for the next one). */
  private firstOfPair = false;

  /** `length`: the shared Int32 the workers read a spin's length from (µs; 0: sleep). */
  constructor(
    readonly us: number,
    private readonly length: Int32Array,
    policy: SpinPolicy = 'measure',
  ) {
    this.choice = new MeasuredChoice<SpinWay>(['spin', 'sleep'], 'spin', policy === 'always' ? 'spin' : null, SCHEDULE);
    Atomics.store(length, 0, us);
  }

  /**
   * A lone task goes out now, `again` to the worker the one before went to. Sets what its worker
   * does after it; returns the way this task's answer measures: the second of a pair, sent where
   * the first went, with the same way before and after it; otherwise null.
   */
  next(again: boolean): SpinWay | null {
    const second = this.firstOfPair;
    this.firstOfPair = !second;
    // The second of a pair keeps the way its first set, which is then on both sides of it.
    if (second) return again ? this.armed : null;
    this.armed = this.choice.choose();
    Atomics.store(this.length, 0, this.armed === 'spin' ? this.us : 0);
    return null;
  }

  /** A lone task that next() said measures `way` cost `overheadMs` beyond its own run. */
  record(way: SpinWay, overheadMs: number): void {
    this.choice.record(way, overheadMs);
  }

  stats(): SpinStats {
    const { way, ms, samples } = this.choice.stats();
    return { us: this.us, way, spinMs: ms.spin, sleepMs: ms.sleep, spinSamples: samples.spin, sleepSamples: samples.sleep };
  }
}
