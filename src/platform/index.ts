/** What differs between a browser and Node, as interfaces with the browser's implementation (Node's: src/node/). */
export type { WorkerLike, WorkerErrorFields } from './worker-like.ts';
export type { ServeScope, FatalReason } from './serve-scope.ts';
export { browserScope } from './serve-scope.ts';
