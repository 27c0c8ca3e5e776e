/// <reference lib="webworker" />
import './window-shim.ts';
import { ThreadWorker } from 'poolifier-web-worker';

export default new ThreadWorker(() => null);
