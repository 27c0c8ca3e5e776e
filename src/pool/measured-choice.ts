/**
 * A choice between two ways of doing one thing, made by measuring both on the calls themselves:
 * after a warm-up that tries both, one way is taken and a few calls still go the other way. Each
 * of those is compared with the taken way's moving average at that moment, and the other way is
 * taken once a moving average of those ratios says it is faster by a margin. Comparing two
 * absolute averages instead let a shared host's drift decide: the way not taken keeps the
 * figure of its last few calls, maybe from a quiet minute, while the taken way's average follows
 * the load, so a busy spell turned the choice to the stale one and back (measured: 1,200-3,900 of
 * 6,000 lone calls went to a spin that cost a fifth more than the sleep chosen at the end).
 * For choices whose best answer is the machine's doing, not ours (see lone-route.ts and
 * spin-choice.ts).
 */

/** Weight of the newest sample in each way's moving average. */
const NEWEST = 1 / 8;
/** Samples each way takes before the averages are compared. */
const WARM_UP = 8;
/** Once warm, one call in this many tries the way not taken. */
const EXPLORE = 16;
/**
 * A sample above this multiple of its way's average counts as this multiple: a GC pause or a
 * load spike on a shared host says nothing about the way, and one must not flip the choice.
 */
const CLIP = 3;
/**
 * The way not taken must be this much faster (a fraction) to be taken: without it, two ways
 * within the noise of each other traded places every few calls (measured: a quarter to two
 * fifths of the calls went the other way where the explore sends one in 16).
 */
const SWITCH_MARGIN = 0.05;
/**
 * The margin a dearer way (ChoiceSchedule.dearer: one that costs beyond its own calls, as a spin
 * takes a vCPU from everyone else) must beat to be taken. With idle vCPUs held polling, where a
 * spin loses (1.50x the raw floor against 1.02x never spinning, 5 passes), the 5% margin still
 * let a noisy host hand it 1,766-1,903 of about 4,000 samples in two passes of five; where it
 * pays (idle vCPUs halting: 0.71x against 1.08x), it wins by a third.
 */
const DEARER_MARGIN = 0.15;
/** Added to the clip, so an average that read 0 (a coarse clock) can still rise. */
const CLIP_FLOOR_MS = 0.01;
/** Below this (ms), a cost counts as this in a ratio: a coarse clock reads 0. */
const RATIO_FLOOR_MS = 0.001;

export interface ChoiceSchedule<W extends string = string> {
  /** Warm-up alternates the ways every this many calls (two choices made on the same calls must not move in step). */
  stride: number;
  /** Which call of each EXPLORE the way not taken gets. */
  exploreAt: number;
  /** A way that costs beyond its own calls: taken only when faster by DEARER_MARGIN. */
  dearer?: W;
}

export interface ChoiceStats<W extends string> {
  way: W;
  /** Moving average of each way's cost (ms); null before a sample. */
  ms: Record<W, number | null>;
  samples: Record<W, number>;
}

export class MeasuredChoice<W extends string> {
  private readonly avg: Record<string, number>;
  private readonly samples: Record<string, number>;
  /**
   * Moving average of ln(a sample of the way not taken / the taken way's average then): below
   * ln(1 - the margin), the other way is faster now. NaN before such a sample.
   */
  private logRatio = NaN;
  private calls = 0;
  private way: W;

  /** `first`: the way taken until the other has shown itself faster. `fixed`: always this way, measuring nothing. */
  constructor(
    private readonly ways: readonly [W, W],
    first: W,
    private readonly fixed: W | null = null,
    private readonly schedule: ChoiceSchedule<W> = { stride: 1, exploreAt: 0 },
  ) {
    this.way = first;
    this.avg = { [ways[0]]: NaN, [ways[1]]: NaN };
    this.samples = { [ways[0]]: 0, [ways[1]]: 0 };
  }

  /** The way for the next call that has both choices. */
  choose(): W {
    if (this.fixed !== null) return this.fixed;
    const n = this.calls++;
    const [a, b] = this.ways;
    if (this.samples[a]! < WARM_UP || this.samples[b]! < WARM_UP) {
      const first = Math.floor(n / this.schedule.stride) % 2 === 0;
      return first === (this.way === a) ? a : b;
    }
    const way = this.settle();
    return n % EXPLORE === this.schedule.exploreAt ? this.other(way) : way;
  }

  /** A call sent `way` cost `ms`. */
  record(way: W, ms: number): void {
    if (this.fixed !== null || !(ms >= 0) || !Number.isFinite(ms)) return;
    const prev = this.avg[way]!;
    this.samples[way]!++;
    this.avg[way] = Number.isNaN(prev) ? ms : prev + NEWEST * (Math.min(ms, CLIP * prev + CLIP_FLOOR_MS) - prev);
    const taken = this.avg[this.way]!;
    if (way !== this.way && !Number.isNaN(taken)) {
      // Clipped both ways, as the averages are: one stall on either side says nothing.
      const r = Math.max(-Math.log(CLIP), Math.min(Math.log(CLIP), Math.log(Math.max(ms, RATIO_FLOOR_MS) / Math.max(taken, RATIO_FLOOR_MS))));
      this.logRatio = Number.isNaN(this.logRatio) ? r : this.logRatio + NEWEST * (r - this.logRatio);
    }
  }

  stats(): ChoiceStats<W> {
    const [a, b] = this.ways;
    const ms = (w: W): number | null => (Number.isNaN(this.avg[w]) ? null : this.avg[w]!);
    return {
      way: this.fixed ?? this.settle(),
      ms: { [a]: ms(a), [b]: ms(b) } as Record<W, number | null>,
      samples: { [a]: this.samples[a]!, [b]: this.samples[b]! } as Record<W, number>,
    };
  }

  private other(way: W): W {
    return way === this.ways[0] ? this.ways[1] : this.ways[0];
  }

  /** The way taken, turned to the other one if that is now faster by the margin. */
  private settle(): W {
    const to = this.other(this.way);
    if (this.logRatio < Math.log(1 - (to === this.schedule.dearer ? DEARER_MARGIN : SWITCH_MARGIN))) {
      this.way = to;
      // The same comparison, seen from the way now taken.
      this.logRatio = -this.logRatio;
    }
    return this.way;
  }
}
