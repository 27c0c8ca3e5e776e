/**
 * Which idle worker a lone task (an awaited call, nothing else queued) goes to when more than one
 * is idle: the worker the previous lone task went to ('last'), or the next one in turn, idle
 * longest ('next'). Which answers sooner is the machine's doing, not the pool's, and it has gone
 * opposite ways on one guest: with idle vCPUs allowed to halt, 'next' (1.25x the raw floor
 * against 1.87x); with them held polling, 'last' (1.12x against 1.33x). So by default the pool
 * measures each way's overhead on the calls it makes anyway and takes the lower (by a margin,
 * so that noise does not flip it), sending one call in EXPLORE the other way to keep that
 * figure current (the measuring itself: measured-choice.ts).
 */
import { MeasuredChoice } from './measured-choice.ts';

export type LoneWay = 'last' | 'next';

/** How the pool picks: measured (the default), or always one way. */
export type LoneRouting = 'measure' | LoneWay;

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
  // 'next' until 'last' has shown itself faster: it was the pool's one way before it measured.
  private readonly choice: MeasuredChoice<LoneWay>;

  constructor(routing: LoneRouting = 'measure') {
    this.choice = new MeasuredChoice<LoneWay>(['next', 'last'], 'next', routing === 'measure' ? null : routing);
  }

  /** The way for the next lone task that has both choices. */
  choose(): LoneWay {
    return this.choice.choose();
  }

  /** A lone task sent `way` cost `overheadMs` beyond its own run. */
  record(way: LoneWay, overheadMs: number): void {
    this.choice.record(way, overheadMs);
  }

  stats(): LoneRouteStats {
    const { way, ms, samples } = this.choice.stats();
    return { way, lastMs: ms.last, nextMs: ms.next, lastSamples: samples.last, nextSamples: samples.next };
  }
}
