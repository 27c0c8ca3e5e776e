/**
 * Slab buffers kept between the splits of one pool. A slab's buffer goes to a worker, comes back
 * holding the slab's result, and is free once the result is stitched; the next split cuts its
 * slabs into these instead of fresh memory. Fresh memory is dear: its pages are zeroed and mapped
 * on first touch, about 3 ms per MB on the VMs voxpool is benchmarked on (far less on bare metal),
 * so cutting a 17 MB volume into new slabs costs as much as a fast filter of it. Repeated splits
 * (a parameter being tuned, a pipeline of filters on one volume) reuse warm pages instead.
 * The buffers are let go after a few idle seconds, so a page that stops splitting holds nothing.
 */

export interface SlabBufferOptions {
  /** Bytes kept at most (default 512 MiB). */
  maxBytes?: number;
  /** Milliseconds after the last use before every kept buffer is let go (default 30 s). */
  idleMs?: number;
}

export class SlabBuffers {
  private readonly free: ArrayBuffer[] = [];
  private held = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly maxBytes: number;
  private readonly idleMs: number;

  constructor(options: SlabBufferOptions = {}) {
    this.maxBytes = options.maxBytes ?? 512 * 2 ** 20;
    this.idleMs = options.idleMs ?? 30_000;
  }

  /** Bytes kept now. */
  get bytes(): number {
    return this.held;
  }

  /**
   * A kept buffer of at least `byteLength` bytes and less than twice that (so a small slab does
   * not pin a big buffer), taken out of the store; or null.
   */
  take(byteLength: number): ArrayBuffer | null {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i]!.byteLength;
      if (size >= byteLength && size < 2 * byteLength && (best < 0 || size < this.free[best]!.byteLength)) best = i;
    }
    if (best < 0) return null;
    const [buffer] = this.free.splice(best, 1);
    this.held -= buffer!.byteLength;
    this.touch();
    return buffer!;
  }

  /** Keeps `buffer` for a later take, the oldest kept ones making room. Nothing else may hold it. */
  give(buffer: ArrayBuffer): void {
    if ((buffer as ArrayBuffer & { detached?: boolean }).detached || buffer.byteLength === 0 || buffer.byteLength > this.maxBytes) return;
    while (this.held + buffer.byteLength > this.maxBytes) this.held -= this.free.shift()!.byteLength;
    this.free.push(buffer);
    this.held += buffer.byteLength;
    this.touch();
  }

  /** Lets every kept buffer go. */
  clear(): void {
    this.free.length = 0;
    this.held = 0;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private touch(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = this.held > 0 ? setTimeout(() => this.clear(), this.idleMs) : null;
    // In Node (unit tests, tools), an idle store must not keep the process alive.
    (this.timer as { unref?: () => void } | null)?.unref?.();
  }
}

const byPool = new WeakMap<object, SlabBuffers>();

/** The slab buffers of `pool`'s splits (one store per pool, made on first use). */
export function slabBuffersOf(pool: object): SlabBuffers {
  let store = byPool.get(pool);
  if (!store) byPool.set(pool, (store = new SlabBuffers()));
  return store;
}

/** What the page's event loop offers to yield to other tasks (Chromium's scheduler.yield, else a timer). */
const yieldToPage = (): Promise<void> => {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((r) => setTimeout(r, 0));
};

/**
 * Touches every memory page of a new array once (each page's first value written back as it is,
 * so values already stitched in stay), ~2 MB at a time with the page's other tasks in between,
 * until done or `stop()`. A split calls it once its slabs are all sent: the output's fresh pages
 * are then paid for while the workers compute, not after the last slab, when stitching would
 * touch them all at once.
 */
export async function touchPages(array: ArrayBufferView & ArrayLike<number> & { [i: number]: number }, stop: () => boolean): Promise<void> {
  const perPage = Math.max(1, 4096 / ((array as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1));
  const perChunk = perPage * 512;
  for (let from = 0; from < array.length; from += perChunk) {
    if (stop()) return;
    const to = Math.min(array.length, from + perChunk);
    for (let i = from; i < to; i += perPage) array[i] = array[i]!;
    await yieldToPage();
  }
}
