/// <reference lib="webworker" />
import { serve } from '../../src/worker/index.ts';
import { builtinOps } from '../../workers/builtin.ts';
import { splitTestOps } from './split-ops.ts';

serve({ ...builtinOps, ...splitTestOps });
