/** Where the e2e server puts things: the app at a subpath, an embedding page elsewhere. */
export const APP_PATH = '/hosted/under/voxpool/';
export const EMBED_PATH = '/another/site/page.html';
export const MONITOR_PATH = '/another/site/monitor-only.html';

/** Someone else's page: its own styles and content, our widget by one script and one element. */
export function embedPage(scriptPath: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A page that embeds voxpool</title>
<style>body { font-family: serif; color: rgb(10, 20, 30); } p.probe { margin: 7px; }</style>
</head><body>
<h1>Somebody else's page</h1>
<p class="probe">This paragraph must keep the page's own styles.</p>
<script>window.__globalsBefore = Object.getOwnPropertyNames(window);</script>
<script type="module" src="${scriptPath}"></script>
<voxpool-app></voxpool-app>
</body></html>`;
}

/** Someone else's page using just the monitor, watching a pool of its own made with the same script. */
export function monitorPage(scriptPath: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Just the monitor</title></head><body>
<h1>My own tasks</h1>
<voxpool-monitor heading="My pool"></voxpool-monitor>
<script type="module">
  import { createPool } from '${scriptPath}';
  const pool = createPool({ size: 2 });
  document.querySelector('voxpool-monitor').pool = pool;
  window.runSix = () => Promise.all(Array.from({ length: 6 }, (_, i) => pool.run('test.sleep', { ms: 150, steps: 3 }, { label: 'step ' + (i + 1) })));
</script>
</body></html>`;
}
