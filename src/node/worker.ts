/** The Node runner's worker thread: the built-in ops, served over parentPort. */
import { serve } from '../worker/index.ts';
import { builtinOps } from '../../workers/builtin.ts';
import { nodeWorkerScope } from './worker-scope.ts';

serve(builtinOps, nodeWorkerScope());
