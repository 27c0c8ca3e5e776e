/** What the e2e build's worker serves in place of workers/builtin.ts (see build.config.ts). */
import { builtinWithTestOps } from '../fixtures/test-ops.ts';

export const builtinOps = builtinWithTestOps;
