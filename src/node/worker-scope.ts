/**
 * A worker thread's ServeScope: control messages on `parentPort` (through Comlink's own node
 * adapter), failures from `process`. There are no Web Locks in Node; the pool learns of a death
 * from the thread's `exit` event instead.
 */
import { parentPort } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { ServeScope } from '../platform/index.ts';

export function nodeWorkerScope(): ServeScope {
  if (!parentPort) throw new Error('nodeWorkerScope() is for a worker thread: this is the main thread');
  return {
    endpoint: nodeEndpoint(parentPort),
    watch(fatal) {
      process.on('unhandledRejection', (reason: unknown) => {
        fatal('uncaught', reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
      });
      process.on('uncaughtException', (e: Error) => {
        fatal('uncaught', `${e.name}: ${e.message}`);
      });
    },
  };
}
