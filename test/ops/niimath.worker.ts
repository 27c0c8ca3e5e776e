/// <reference lib="webworker" />
/** The built-in ops plus what the niimath tests look at inside the worker. */
import { defineOp, serve } from '../../src/worker/index.ts';
import { builtinWithTestOps } from '../fixtures/test-ops.ts';

export const niimathTestOps = {
  ...builtinWithTestOps,
  /** Every URL this worker fetched (its own resource timeline). */
  'test.fetched': defineOp((_: null): string[] => performance.getEntriesByType('resource').map((e) => e.name)),
} as const;
serve(niimathTestOps);
