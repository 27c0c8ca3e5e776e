/**
 * Where a pool worker runs, behind one small interface, so `WorkerHandle` (and the pool above it)
 * speaks to a dedicated worker in the page's process and to one in a process of its own alike.
 */
import type { Endpoint } from 'comlink';

export interface WorkerHost {
  /** What Comlink's control calls travel over. */
  readonly endpoint: Endpoint;
  /**
   * Whether a `SharedArrayBuffer` or a `WebAssembly.Module` reaches the worker: only within the
   * page's agent cluster (a dedicated worker), not in a process of its own.
   */
  readonly sharesMemory: boolean;
  /** What a death that fires no event (the Web Lock released) is said to be. */
  readonly silentDeath: string;
  /** Calls `load` when the module fails to load or throws, `message` when a message cannot be read. */
  watch(load: (detail: string) => void, message: () => void): void;
  /** Ends the worker now, whatever it is doing. */
  terminate(): void;
}

/** A module worker in the page's renderer process: cheap, shares memory, dies with the tab. */
export function dedicatedHost(source: (() => Worker) | URL | string, name: string): WorkerHost {
  const worker = typeof source === 'function' ? source() : new Worker(source, { type: 'module', name });
  return {
    endpoint: worker,
    sharesMemory: true,
    silentDeath: 'the worker stopped without a word (closed itself, ran out of memory or crashed)',
    watch(load, message) {
      worker.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        load(e.message || (e.error instanceof Error ? e.error.message : 'the worker module could not be loaded'));
      });
      worker.addEventListener('messageerror', message);
    },
    terminate: () => worker.terminate(),
  };
}
