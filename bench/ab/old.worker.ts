/// <reference lib="webworker" />
import { defineOp, serve } from './old/worker/index.ts';

serve({ 'test.noop': defineOp((): null => null) });
