/// <reference lib="webworker" />
import { serve } from '../../src/worker/index.ts';
import { builtinWithTestOps } from '../fixtures/test-ops.ts';
import { graphOps } from './graph-ops.ts';

serve({ ...builtinWithTestOps, ...graphOps });
