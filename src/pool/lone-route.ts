/**
 * Which idle worker a lone task (an awaited call, nothing else queued) goes to when more than one
 * is idle: the worker the previous lone task went to ('last'), or the next one in turn, idle
 * longest ('next'). Which answers sooner is the machine's doing, not the pool's, and it has gone
 * opposite ways on one guest: with idle vCPUs allowed to halt, 'next' (1.25x the raw floor
 * against 1.87x); with them held polling, 'last' (1.12x against 1.33x). So by default the pool
 * measures each way's overhead on the calls it makes anyway and takes the lower (by a margin,
 * so that noise does not flip it), sending one call in EXPLORE the other way to keep that
 * figure current.
 */

export type LoneWay = 'last' | 'next';

/** How the pool picks: measured (the default), or always one way. */
export type LoneRouting = 'measure' | LoneWay;

/** Weight of the newest sample in each way's moving average. */
const NEWEST = 1 / 8;
/** Samples each way takes before the averages are compared. */
const WARM_UP = 8;
/** Once warm, one lone task in this many tries the way not taken. */
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
/** Added to the clip, so an average that read 0 (a coarse clock) can still rise. */
const CLIP_FLOOR_MS = 0.01;

export interface LoneRouteStats {
  /** The way lone tasks go now. */
  way: LoneWay;
  /** Moving average of each way's overhead: reply's arrival less queued time less the op's own run (ms); null before a sample. */
  lastMs: number | null;
  nextMs: number | null;
  /** Samples taken each way. */
  lastSamples: number;
  nextSamples: number;
}

export class LoneRoute {
  private readonly avg = { last: NaN, next: NaN };
  private readonly samples = { last: 0, next: 0 };
  private calls = 0;
  /** 'next' until 'last' has shown itself faster: it was the pool's one way before it measured. */
  private way: LoneWay = 'next';

  constructor(private readonly routing: LoneRouting = 'measure') {}

  /** The way for the next lone task that has both choices. */
  choose(): LoneWay {
    if (this.routing !== 'measure') return this.routing;
    const n = this.calls++;
    if (this.samples.last < WARM_UP || this.samples.next < WARM_UP) return n % 2 === 0 ? 'next' : 'last';
    const way = this.settle();
    if (n % EXPLORE !== 0) return way;
    return way === 'last' ? 'next' : 'last';
  }

  /** A lone task sent `way` cost `overheadMs` beyond its own run. */
  record(way: LoneWay, overheadMs: number): void {
    if (this.routing !== 'measure' || !(overheadMs >= 0) || !Number.isFinite(overheadMs)) return;
    const prev = this.avg[way];
    this.samples[way]++;
    this.avg[way] = Number.isNaN(prev) ? overheadMs : prev + NEWEST * (Math.min(overheadMs, CLIP * prev + CLIP_FLOOR_MS) - prev);
  }

  /** The way taken, turned to the other one if that is now faster by the margin. */
  private settle(): LoneWay {
    const other = this.way === 'last' ? 'next' : 'last';
    if (this.avg[other] < this.avg[this.way] * (1 - SWITCH_MARGIN)) this.way = other;
    return this.way;
  }

  stats(): LoneRouteStats {
    const { last, next } = this.avg;
    return {
      way: this.routing === 'measure' ? this.settle() : this.routing,
      lastMs: Number.isNaN(last) ? null : last,
      nextMs: Number.isNaN(next) ? null : next,
      lastSamples: this.samples.last,
      nextSamples: this.samples.next,
    };
  }
}
