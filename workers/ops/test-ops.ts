/**
 * Operations that exercise the pool itself: no-ops for throughput, CPU-bound work for speedup,
 * and ways to fail, hang and crash for the robustness tests. Shipped, not test-only: a pool's
 * health can be checked with them in any deployment.
 */
import { defineOp } from '../../src/worker/index.ts';

/** Taken before serve() wraps close(), so 'vanish' can die without the runtime noticing. */
const nativeClose = typeof (globalThis as { close?: () => void }).close === 'function' ? (globalThis as unknown as { close(): void }).close.bind(globalThis) : null;

export const noop = defineOp((_input: void | null | undefined): null => null);

export const echo = defineOp((input: unknown): unknown => input);

/** Burns CPU for about `ms` milliseconds, honouring cancellation; returns iterations done. */
export const spin = defineOp((input: { ms: number; checkSignal?: boolean }, ctx): number => {
  const end = performance.now() + input.ms;
  let n = 0;
  while (performance.now() < end) {
    n++;
    if (input.checkSignal !== false && (n & 0x3ff) === 0) ctx.throwIfCancelled();
  }
  return n;
});

/** A fixed amount of arithmetic (no clock): the unit of the CPU-bound speedup benchmark. */
export const work = defineOp((input: { iterations: number }): number => {
  let x = 0;
  for (let i = 0; i < input.iterations; i++) x = (x + Math.sqrt(i) * 1.000001) % 1e9;
  return x;
});

/** Waits `ms` without burning CPU (an async op), reporting progress and log lines on the way. */
export const sleep = defineOp(async (input: { ms: number; steps?: number }, ctx): Promise<number> => {
  const steps = input.steps ?? 1;
  for (let i = 1; i <= steps; i++) {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, input.ms / steps);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(ctx.signal.reason as Error);
      }, { once: true });
    });
    ctx.progress(i / steps, `step ${i} of ${steps}`);
    ctx.log(`step ${i} of ${steps}`);
  }
  return input.ms;
});

/** Throws an ordinary error from inside the operation. */
export const fail = defineOp((input: { message: string }): never => {
  throw new Error(input.message);
});

/** Kills the worker in one of the ways a real one dies. */
export const crash = defineOp((input: { how: 'throw-async' | 'reject-async' | 'close' | 'vanish' | 'trap' | 'oom' }): Promise<never> => {
  switch (input.how) {
    case 'throw-async':
      setTimeout(() => {
        throw new Error('boom (uncaught, in a timer)');
      });
      break;
    case 'reject-async':
      void Promise.reject(new Error('boom (unhandled rejection)'));
      break;
    case 'close':
      (globalThis as unknown as { close(): void }).close();
      break;
    case 'vanish':
      // The worker's own close, past the runtime's wrapper: a death that says nothing, like a kill.
      nativeClose?.();
      break;
    case 'trap':
      // A wasm trap that escapes the op: thrown from a timer so nothing catches it.
      setTimeout(() => {
        const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11]);
        const mod = new WebAssembly.Module(bytes);
        const inst = new WebAssembly.Instance(mod);
        (inst.exports.f as () => void)();
      });
      break;
    case 'oom': {
      const hold: ArrayBuffer[] = [];
      for (;;) hold.push(new ArrayBuffer(256 * 1024 * 1024));
    }
  }
  // Never settles on its own: the worker is about to go.
  return new Promise<never>(() => {});
});
