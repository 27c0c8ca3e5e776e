/// <reference lib="webworker" />
import { serve } from '../../src/worker/index.ts';
import { builtinWithTestOps } from '../fixtures/test-ops.ts';
import { splitTestOps } from './split-ops.ts';

serve({ ...builtinWithTestOps, ...splitTestOps });
