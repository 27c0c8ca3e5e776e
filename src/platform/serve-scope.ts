/**
 * The worker side's view of where it runs: the endpoint the pool's control calls arrive on, and
 * the runtime's own failure signals. In a browser worker both are the global scope
 * (`browserScope`); a Node worker thread gets them from `parentPort` and `process`
 * (src/node/worker-scope.ts).
 */
import type { Endpoint } from 'comlink';

export type FatalReason = 'uncaught' | 'exit';

export interface ServeScope {
  /**
   * Calls `listen` with the channel the pool's messages (Comlink's control calls and the data
   * messages beside them) come on: at once, or, in a SharedWorker, when the page connects.
   */
  connect(listen: (channel: Endpoint) => void): void;
  /**
   * Hooks the runtime's failure signals: `fatal` for what leaves the worker in an unknown state
   * (an unhandled rejection, an uncaught error, the worker closing itself), `note` for a line the
   * running task's log should have (a Content Security Policy refusal).
   */
  watch(fatal: (reason: FatalReason, detail: string) => void, note: (line: string) => void): void;
  /** Holds the Web Lock `name` until this context dies; resolves once granted. Absent: no Web Locks here. */
  holdLock?(name: string): Promise<void>;
}

type Scope = typeof globalThis & {
  close(): void;
  addEventListener(type: string, listener: (e: Event) => void, options?: AddEventListenerOptions): void;
  removeEventListener(type: string, listener: (e: Event) => void): void;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

/** A browser worker's scope: a dedicated module worker, or a SharedWorker (process-hosted). */
export function browserScope(): ServeScope {
  const scope = globalThis as Scope;
  return {
    connect(listen) {
      if (!('onconnect' in scope)) {
        listen(scope);
        return;
      }
      // A SharedWorker: its name is unique to one pool worker, so only the first connection counts.
      scope.addEventListener(
        'connect',
        (e: Event) => {
          const connected = (e as MessageEvent).ports[0];
          if (connected) listen(connected);
        },
        { once: true },
      );
    },
    watch(fatal, note) {
      scope.addEventListener('unhandledrejection', (e: Event) => {
        const reason = (e as PromiseRejectionEvent).reason as unknown;
        fatal('uncaught', reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
      });
      scope.addEventListener('error', (e: Event) => {
        const ev = e as ErrorEvent;
        fatal('uncaught', ev.message || String(ev.error));
      });
      // A fetch the page's Content Security Policy refuses fails with a bare "Failed to fetch": say
      // what was refused, on the console and in the log of the task that asked.
      scope.addEventListener('securitypolicyviolation', (e: Event) => {
        const v = e as SecurityPolicyViolationEvent;
        note(`Content Security Policy refused ${v.blockedURI.slice(0, 80) || 'an inline resource'} (${v.effectiveDirective})`);
      });
      // self.close() ends the worker without any event on the page: say so first.
      const close = scope.close.bind(scope);
      scope.close = () => {
        fatal('exit', 'the worker called self.close()');
        close();
      };
    },
    holdLock:
      typeof navigator !== 'undefined' && navigator.locks
        ? (name) =>
            new Promise<void>((granted) => {
              void navigator.locks.request(name, () => {
                granted();
                return new Promise<never>(() => {});
              });
            })
        : undefined,
  };
}
