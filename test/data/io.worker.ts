/// <reference lib="webworker" />
/** The built-in ops plus one that lists what this worker fetched (its own resource timeline). */
import { defineOp, serve } from '../../src/worker/index.ts';
import { builtinWithTestOps } from '../fixtures/test-ops.ts';

export const ioTestOps = {
  ...builtinWithTestOps,
  'data.fetched': defineOp((_: null): string[] => performance.getEntriesByType('resource').map((e) => e.name)),
} as const;
serve(ioTestOps);
