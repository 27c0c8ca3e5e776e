/**
 * The embeddable entry: one `<script type="module" src=".../voxpool-app.js">` and one
 * `<voxpool-app>` (or `<voxpool-monitor>` with your own pool) in any page. It defines the custom
 * elements and nothing else: no service worker, no global styles; assets are found relative
 * to this script (import.meta.url), not to the page.
 */
export { VoxpoolApp } from './app.ts';
export { VoxpoolMonitor } from './monitor.ts';
export { MonitorActionEvent } from '../core/monitor-source.ts';
export type { MonitorSource, MonitorTask, MonitorWorker, MonitorAction } from '../core/monitor-source.ts';
export { createPool } from '../index.ts';
