/**
 * Which idle worker a lone task (an awaited call, nothing else queued) goes to when more than one
 * is idle: the worker the previous lone task went to ('last'), or the next one in turn, idle
 * longest ('next'). Which answers sooner is the machine's doing, not the pool's, and it has gone
 * opposite ways on one guest: with idle vCPUs allowed to halt, 'next' (1.25x the raw floor
 * against 1.87x); with them held polling, 'last' (1.12x against 1.33x). So by default the pool
 * measures each way's overhead on the calls it makes anyway and takes the lower, sending one
 * call in EXPLORE the other way to keep that figure current.
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

  constructor(private readonly routing: LoneRouting = 'measure') {}

  /** The way for the next lone task that has both choices. */
  choose(): LoneWay {
    if (this.routing !== 'measure') return this.routing;
    const n = this.calls++;
    if (this.samples.last < WARM_UP || this.samples.next < WARM_UP) return n % 2 === 0 ? 'next' : 'last';
    const best = this.best();
    if (n % EXPLORE !== 0) return best;
    return best === 'last' ? 'next' : 'last';
  }

  /** A lone task sent `way` cost `overheadMs` beyond its own run. */
  record(way: LoneWay, overheadMs: number): void {
    if (this.routing !== 'measure' || !(overheadMs >= 0) || !Number.isFinite(overheadMs)) return;
    const prev = this.avg[way];
    this.samples[way]++;
    this.avg[way] = Number.isNaN(prev) ? overheadMs : prev + NEWEST * (Math.min(overheadMs, CLIP * prev + CLIP_FLOOR_MS) - prev);
  }

  stats(): LoneRouteStats {
    const { last, next } = this.avg;
    return {
      way: this.routing === 'measure' ? this.best() : this.routing,
      lastMs: Number.isNaN(last) ? null : last,
      nextMs: Number.isNaN(next) ? null : next,
      lastSamples: this.samples.last,
      nextSamples: this.samples.next,
    };
  }

  /** 'next' until 'last' has shown itself faster: it was the pool's one way before it measured. */
  private best(): LoneWay {
    return this.avg.last < this.avg.next ? 'last' : 'next';
  }
}
