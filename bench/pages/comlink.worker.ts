/// <reference lib="webworker" />
/** The bare Comlink peer: one exposed no-op, nothing else. */
import * as Comlink from 'comlink';

Comlink.expose({ noop: (): null => null });
