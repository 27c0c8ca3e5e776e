/// <reference lib="webworker" />
import { defineOp, serve } from '../../src/worker/index.ts';

serve({ 'test.noop': defineOp((): null => null) });
