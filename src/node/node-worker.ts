/**
 * A `worker_threads` Worker as the pool's WorkerLike: its EventEmitter events re-dispatched as
 * DOM-style events (`message` with `data`, `error` with `message` and `error`, `messageerror`,
 * and `exit` with the exit code), so the pool's WorkerHandle and Comlink speak to it as to a
 * browser's Worker.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { WorkerLike } from '../platform/index.ts';

class WorkerErrorEvent extends Event {
  constructor(
    readonly error: unknown,
    readonly message: string,
  ) {
    super('error', { cancelable: true });
  }
}

class WorkerExitEvent extends Event {
  constructor(readonly code: number) {
    super('exit');
  }
}

export class NodeWorker extends EventTarget implements WorkerLike {
  private readonly thread: Worker;

  constructor(url: URL, options: WorkerOptions = {}) {
    super();
    this.thread = new Worker(url, options);
    this.thread.on('message', (data: unknown) => this.dispatchEvent(new MessageEvent('message', { data })));
    this.thread.on('messageerror', () => this.dispatchEvent(new Event('messageerror')));
    this.thread.on('error', (error: unknown) =>
      this.dispatchEvent(new WorkerErrorEvent(error, error instanceof Error ? `${error.name}: ${error.message}` : String(error))),
    );
    this.thread.on('exit', (code: number) => this.dispatchEvent(new WorkerExitEvent(code)));
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    this.thread.postMessage(message, transfer as never);
  }

  terminate(): void {
    void this.thread.terminate();
  }

  /** The thread's id (for logs). */
  get threadId(): number {
    return this.thread.threadId;
  }
}
