/**
 * Where a pool worker runs, behind one small interface, so `WorkerHandle` (and the pool above it)
 * speaks to a dedicated worker in the page's process and to one in a process of its own alike.
 */
import type { Endpoint } from 'comlink';
import type { WorkerErrorFields, WorkerLike } from '../platform/index.ts';

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
  /**
   * Calls `load` when the module fails to load or throws, `message` when a message cannot be
   * read, `exit` when the host says the worker ended (Node's threads do; browsers do not).
   */
  watch(load: (detail: string) => void, message: () => void, exit: (detail: string) => void): void;
  /** Ends the worker now, whatever it is doing. */
  terminate(): void;
}

/**
 * A module worker in the page's renderer process (cheap, shares memory, dies with the tab), or
 * whatever WorkerLike a factory gives (Node's runner: a worker thread).
 */
export function dedicatedHost(source: (() => WorkerLike) | URL | string, name: string): WorkerHost {
  const worker: WorkerLike = typeof source === 'function' ? source() : new Worker(source, { type: 'module', name });
  return {
    endpoint: worker,
    sharesMemory: true,
    silentDeath: 'the worker stopped without a word (closed itself, ran out of memory or crashed)',
    watch(load, message, exit) {
      worker.addEventListener('error', (event: Event) => {
        const e = event as Event & WorkerErrorFields;
        e.preventDefault();
        load(e.message || (e.error instanceof Error ? e.error.message : 'the worker module could not be loaded'));
      });
      worker.addEventListener('messageerror', message);
      // Node's worker threads say when they end; a browser's workers never fire this (the Web Lock covers them).
      worker.addEventListener('exit', (e: Event) => {
        const code = (e as Event & { code?: number }).code;
        exit(`the worker thread exited${code === undefined ? '' : ` with code ${code}`}`);
      });
    },
    terminate: () => worker.terminate(),
  };
}
