/**
 * A worker thread's ServeScope: control messages on `parentPort` (through Comlink's own node
 * adapter), failures from `process`. There are no Web Locks in Node; the pool learns of a death
 * from the thread's `exit` event instead.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { ServeScope } from '../platform/index.ts';

/**
 * The parent port as DOM-style events: the worker's data listener stops a data message from
 * reaching Comlink's (stopImmediatePropagation), which Comlink's own node adapter, handing out
 * plain `{ data }` objects, cannot do.
 */
class ParentChannel extends EventTarget {
  constructor(private readonly port: MessagePort) {
    super();
    port.on('message', (data: unknown) => this.dispatchEvent(new MessageEvent('message', { data })));
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    this.port.postMessage(message, transfer as never);
  }
}

export function nodeWorkerScope(): ServeScope {
  if (!parentPort) throw new Error('nodeWorkerScope() is for a worker thread: this is the main thread');
  const port = parentPort;
  return {
    connect(listen) {
      listen(new ParentChannel(port));
    },
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
