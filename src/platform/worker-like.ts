/**
 * What the pool needs of a worker, whatever runs it: a browser's `Worker` is one as it is, and
 * Node's runner wraps a `worker_threads` Worker into one (src/node/node-worker.ts). Messages,
 * errors and deserialization failures arrive as events; `exit` is Node's: a worker thread that
 * ends fires it, which tells a silent death that a browser can only learn through a Web Lock.
 */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'messageerror' | 'error' | 'exit', listener: (e: Event) => void): void;
  removeEventListener(type: 'message' | 'messageerror' | 'error' | 'exit', listener: (e: Event) => void): void;
  terminate(): void;
}

/** The fields of an `error` event the pool reads (a browser's ErrorEvent has them). */
export interface WorkerErrorFields {
  message?: string;
  error?: unknown;
  preventDefault(): void;
}
