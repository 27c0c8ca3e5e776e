/// <reference lib="webworker" />
import { serve } from '../../src/worker/index.ts';
import { builtinOps } from '../../workers/builtin.ts';
import { graphOps } from './graph-ops.ts';

serve({ ...builtinOps, ...graphOps });
