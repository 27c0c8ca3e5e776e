/// <reference lib="webworker" />
/** The default worker: every built-in operation. */
import { serve } from '../src/worker/index.ts';
import { builtinOps } from './builtin.ts';

serve(builtinOps);
