/**
 * Where to cut a volume along k. Each slab owns a run of slices (its core) and reads `halo`
 * more on each side, clipped at the true image edges (which stay edges).
 */

export interface Slab {
  index: number;
  /** Slices this slab's output provides: [coreStart, coreEnd). */
  coreStart: number;
  coreEnd: number;
  /** Slices it is given as input, core plus halo: [inputStart, inputEnd). */
  inputStart: number;
  inputEnd: number;
}

export interface SlabPlanOptions {
  /** Workers that will run the slabs. */
  workers: number;
  /** An exact slab count (clamped to 1..depth); otherwise chosen from `workers` and `maxOverhead`. */
  slabs?: number;
  /**
   * Relative sizes of the slabs' cores, in order (the pool's balance plan: one share per worker,
   * by how long each is still taken). Overrides `slabs` and `workers`.
   */
  shares?: readonly number[];
  /**
   * Extra slices read because of halos, as a fraction of the volume, allowed when adding slabs
   * beyond one per worker for balance. Default 0.05.
   */
  maxOverhead?: number;
}

/** Near-equal cores (the first `depth % count` one slice longer), each with its clipped halo. */
export function cutSlabs(depth: number, halo: number, count: number): Slab[] {
  const n = Math.max(1, Math.min(depth, Math.floor(count)));
  const base = Math.floor(depth / n);
  const extra = depth % n;
  const slabs: Slab[] = [];
  let start = 0;
  for (let index = 0; index < n; index++) {
    const end = start + base + (index < extra ? 1 : 0);
    slabs.push({ index, coreStart: start, coreEnd: end, inputStart: Math.max(0, start - halo), inputEnd: Math.min(depth, end + halo) });
    start = end;
  }
  return slabs;
}

/**
 * Cores in proportion to `shares` (each at least one slice, so a volume thinner than the shares
 * are many gets fewer slabs), each with its clipped halo.
 */
export function cutSlabsByShares(depth: number, halo: number, shares: readonly number[]): Slab[] {
  const usable = shares.filter((s) => s > 0).slice(0, depth);
  if (usable.length <= 1) return cutSlabs(depth, halo, 1);
  const total = usable.reduce((a, b) => a + b, 0);
  const slabs: Slab[] = [];
  let start = 0;
  let before = 0;
  usable.forEach((share, index) => {
    before += share;
    // Rounded where the running total falls, so the cores add up to the depth exactly; at least
    // one slice each, and one left for every slab after this one.
    const left = usable.length - 1 - index;
    const end = index === usable.length - 1 ? depth : Math.min(depth - left, Math.max(start + 1, Math.round((depth * before) / total)));
    slabs.push({ index, coreStart: start, coreEnd: end, inputStart: Math.max(0, start - halo), inputEnd: Math.min(depth, end + halo) });
    start = end;
  });
  return slabs;
}

/** Slices read by all slabs over slices in the volume, less 1. */
export function haloOverhead(slabs: readonly Slab[], depth: number): number {
  return slabs.reduce((sum, s) => sum + s.inputEnd - s.inputStart, 0) / depth - 1;
}

/**
 * One slab per worker at least (every worker busy), up to four per worker while the halos cost
 * at most `maxOverhead`: more slabs let a worker that is faster (or less loaded by other tasks)
 * take more of the volume, fewer slabs read fewer halo slices. A volume thinner than the pool
 * gets one slice per slab.
 */
export function planSlabs(depth: number, halo: number, options: SlabPlanOptions): Slab[] {
  if (options.shares) return cutSlabsByShares(depth, halo, options.shares);
  if (options.slabs !== undefined) return cutSlabs(depth, halo, options.slabs);
  const workers = Math.max(1, options.workers);
  const maxOverhead = options.maxOverhead ?? 0.05;
  for (const perWorker of [4, 3, 2]) {
    const slabs = cutSlabs(depth, halo, workers * perWorker);
    if (slabs.length === workers * perWorker && haloOverhead(slabs, depth) <= maxOverhead) return slabs;
  }
  return cutSlabs(depth, halo, workers);
}
