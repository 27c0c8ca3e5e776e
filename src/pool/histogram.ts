/**
 * A log-bucketed histogram of durations: constant memory however many tasks run, percentiles
 * within about 3% (16 buckets per power of two). hdr-histogram-js does this too, but ships CJS
 * and a base64 wasm build; this is the whole of what the pool needs.
 */
const SUB_BUCKETS = 16;
const MIN_VALUE = 1e-3; // 1 µs, in ms
const OCTAVES = 40; // up to about 12 days

export interface HistogramSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

export class Histogram {
  private readonly counts = new Float64Array(SUB_BUCKETS * OCTAVES);
  private n = 0;
  private sum = 0;
  private lo = Infinity;
  private hi = -Infinity;

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.n++;
    this.sum += ms;
    if (ms < this.lo) this.lo = ms;
    if (ms > this.hi) this.hi = ms;
    this.counts[this.bucket(ms)]! += 1;
  }

  get count(): number {
    return this.n;
  }

  percentile(p: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.hi, Math.max(this.lo, this.upperBound(i)));
    }
    return this.hi;
  }

  summary(): HistogramSummary {
    if (this.n === 0) return { count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 };
    return {
      count: this.n,
      min: this.lo,
      max: this.hi,
      mean: this.sum / this.n,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
    };
  }

  reset(): void {
    this.counts.fill(0);
    this.n = 0;
    this.sum = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
  }

  private bucket(ms: number): number {
    const x = Math.max(ms, MIN_VALUE) / MIN_VALUE;
    const i = Math.floor(Math.log2(x) * SUB_BUCKETS);
    return Math.min(this.counts.length - 1, i);
  }

  private upperBound(i: number): number {
    return MIN_VALUE * 2 ** ((i + 1) / SUB_BUCKETS);
  }
}
