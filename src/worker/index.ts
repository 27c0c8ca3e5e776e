/** What a worker module imports to serve operations: `serve({ ...builtinOps, 'my.op': defineOp(...) })`. */
export { serve } from './serve.ts';
export { defineOp } from '../core/op.ts';
export type { OpContext, OpDef, OpOptions, OpRegistry, OpName, InputOf, OutputOf } from '../core/op.ts';
export { registerMemorySource } from './memory.ts';
export { resource } from './resources.ts';
export { loadOnce } from './load-once.ts';
export { CancelledError, FileDamagedError, FileUnsupportedError, InputError } from '../core/errors.ts';
