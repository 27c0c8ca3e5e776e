/// <reference lib="webworker" />
/**
 * voxpool's worker with its message path stamped: when a message arrives (a listener added before
 * serve's) and when the worker posts (its postMessage wrapped). The op returns the stamps.
 */
import { defineOp, serve } from '../../src/worker/index.ts';

const scope = globalThis as unknown as { postMessage(m: unknown, t?: Transferable[]): void };
const clock = (): number => performance.timeOrigin + performance.now();
let arrived = 0;
let posted = 0;
addEventListener('message', () => (arrived = clock()));
const post = scope.postMessage.bind(globalThis);
scope.postMessage = (m: unknown, t?: Transferable[]) => {
  posted = clock();
  post(m, t ?? []);
};
/** [this message's arrival, the op's run, the previous reply's post]. */
serve({ 'test.noop': defineOp((): [number, number, number] => [arrived, clock(), posted]) });
