/// <reference lib="webworker" />
/** The benchmarks' worker: the built-in ops plus the pool's test ops (no-op, echo, work). */
import { serve } from '../../src/worker/index.ts';
import { builtinWithTestOps } from '../../test/fixtures/test-ops.ts';

serve(builtinWithTestOps);
