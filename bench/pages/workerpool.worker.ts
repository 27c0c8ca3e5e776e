/// <reference lib="webworker" />
import workerpool from 'workerpool';

workerpool.worker({ noop: () => null });
