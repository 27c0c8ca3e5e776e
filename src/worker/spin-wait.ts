/**
 * Keeps a worker's thread awake for a short while after it has answered, polling shared memory
 * for the page's next message (PoolOptions.spinWait). On a VM whose idle vCPUs halt, waking a
 * sleeping thread costs a trip through the host on every call; a thread that is still running
 * when the message comes takes it at once. At most one worker of a pool spins at a time, so a
 * spin never takes the last vCPU from the page's own thread.
 */
import type { SpinWait } from '../core/protocol.ts';

/** Clock reads are the costly part of the loop (a syscall on some VMs): one every this many polls. */
const POLLS_PER_CLOCK_READ = 64;

/**
 * Spins until the page has posted more than the `received` messages handled here, or posted to
 * another worker, or `spin.length` µs have passed; returns at once if another worker spins. The page counts a message just after posting
 * it, so `posted` may lag behind by the one just handled, never run ahead unless one is queued.
 */
export function spinForNext(spin: SpinWait, workerId: number, received: number): void {
  const us = Atomics.load(spin.length, 0);
  const me = workerId + 1;
  if (us <= 0 || Atomics.compareExchange(spin.spinner, 0, 0, me) !== 0) return;
  try {
    const deadline = performance.now() + us / 1000;
    const others = Atomics.load(spin.poolPosted, 0);
    for (let i = 1; Atomics.load(spin.posted, 0) <= received && Atomics.load(spin.poolPosted, 0) === others; i++) {
      if (i % POLLS_PER_CLOCK_READ === 0 && performance.now() >= deadline) return;
    }
  } finally {
    Atomics.store(spin.spinner, 0, 0);
  }
}
