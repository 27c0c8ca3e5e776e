/**
 * A pool worker in a renderer process of its own, so that when its JS heap runs out only it dies
 * and the page lives (docs/architecture.md, "A worker's JS heap running out").
 *
 * Chromium gives a SharedWorker a process of its own only where the page is cross-origin
 * isolated; elsewhere it shares the page's, and so would its crash. A SharedWorker has no
 * `terminate()`, and closing its port does not end it: it lives as long as the document that
 * made it. So each one is made from a blank iframe of its own, and removing that frame ends the
 * worker, busy or not. Each gets a unique `name`, so no two pool workers (nor another tab) share one.
 */
import { HostUnavailableError } from '../core/errors.ts';
import type { WorkerHost } from './worker-host.ts';

/** Makes the SharedWorker with the constructor it is given (the frame's) and the name. */
export type SharedWorkerFactory = (SharedWorker: typeof globalThis.SharedWorker, name: string) => SharedWorker;

/** `PoolOptions.worker` for workers hosted each in a process of its own: see `processHost`. */
export interface ProcessHostSource {
  readonly host: 'process';
  readonly sharedWorker: SharedWorkerFactory | URL | string;
}

/**
 * Hosts each worker of the pool in a renderer process of its own. Give the worker module's URL,
 * or a factory written so a bundler sees the worker: `processHost((SharedWorker, name) => new
 * SharedWorker(new URL('./my.worker.ts', import.meta.url), { type: 'module', name }))`. The page
 * must be cross-origin isolated, else the pool refuses to start a worker (HostUnavailableError).
 */
export function processHost(sharedWorker: SharedWorkerFactory | URL | string): ProcessHostSource {
  return { host: 'process', sharedWorker };
}

export function isProcessHost(source: unknown): source is ProcessHostSource {
  return typeof source === 'object' && source !== null && (source as { host?: unknown }).host === 'process';
}

/** Why a worker cannot get a process of its own here, or null when it can. */
export function processHostUnavailable(): string | null {
  if (typeof document === 'undefined' || typeof SharedWorker !== 'function') return 'it needs a page (a document with SharedWorker), not a worker';
  if (globalThis.crossOriginIsolated !== true)
    return "the page is not cross-origin isolated (Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), and without that Chromium runs a SharedWorker in the page's own process";
  return null;
}

/** Throws HostUnavailableError when `source` asks for a process of its own that this page cannot give. */
export function checkHost(source: unknown): void {
  if (!isProcessHost(source)) return;
  const why = processHostUnavailable() ?? (typeof navigator !== 'undefined' && navigator.locks ? null : 'it needs Web Locks to see the process end');
  if (why) throw new HostUnavailableError(`A worker cannot have a process of its own here: ${why}`);
}

export function processHostOf(source: ProcessHostSource, name: string): WorkerHost {
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.setAttribute('aria-hidden', 'true');
  document.documentElement.append(frame);
  const ctor = (frame.contentWindow as (Window & typeof globalThis) | null)?.SharedWorker;
  if (!ctor) {
    frame.remove();
    throw new Error('a blank iframe gave no SharedWorker constructor');
  }
  const make = source.sharedWorker;
  const worker = typeof make === 'function' ? make(ctor, name) : new ctor(make, { type: 'module', name });
  const port = worker.port;
  return {
    endpoint: port,
    sharesMemory: false,
    silentDeath: "the worker's process ended without a word: it ran out of memory (its JS heap) or crashed",
    watch(load, message) {
      // A SharedWorker's `error` event fires only when its script fails to load or evaluate.
      worker.addEventListener('error', (e: Event) => {
        e.preventDefault();
        // The event comes from the frame's realm: `instanceof ErrorEvent` would be false.
        const text = (e as Partial<ErrorEvent>).message;
        load(text ? text : 'the worker module could not be loaded');
      });
      port.addEventListener('messageerror', message);
    },
    terminate() {
      port.close();
      frame.remove();
    },
  };
}
