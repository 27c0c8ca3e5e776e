/**
 * Whether a worker that has answered a lone task stays awake for the next one (PoolOptions.spinWait),
 * as measured on the calls themselves. A spin saves the host trip that wakes a halted vCPU, where
 * idle vCPUs halt (measured: 0.6-0.85x the raw floor against 1.0-1.3x without); where they do not
 * (held polling) it has cost time instead (1.2-1.4x against 1.0-1.1x), and it always costs CPU. So
 * the pool tries both on lone tasks that go back to the worker the one before went to, and keeps
 * to the one that answered sooner.
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
 * Out of step with the lone route's choice, which alternates every call and explores at call 0 of
 * 16: the two are made on the same calls, and must not sample each other's ways in lockstep.
 */
const SCHEDULE: ChoiceSchedule = { stride: 2, exploreAt: 8 };

export class SpinChoice {
  private readonly choice: MeasuredChoice<SpinWay>;
  /** What the worker of the last lone task was told to do after it. */
  private armed: SpinWay | null = null;

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
   * does after it; returns what that worker did after the one before (what this task's answer
   * measures), or null when it went elsewhere.
   */
  next(again: boolean): SpinWay | null {
    const measured = again ? this.armed : null;
    this.armed = this.choice.choose();
    Atomics.store(this.length, 0, this.armed === 'spin' ? this.us : 0);
    return measured;
  }

  /** A lone task whose worker had done `way` before it cost `overheadMs` beyond its own run. */
  record(way: SpinWay, overheadMs: number): void {
    this.choice.record(way, overheadMs);
  }

  stats(): SpinStats {
    const { way, ms, samples } = this.choice.stats();
    return { us: this.us, way, spinMs: ms.spin, sleepMs: ms.sleep, spinSamples: samples.spin, sleepSamples: samples.sleep };
  }
}
