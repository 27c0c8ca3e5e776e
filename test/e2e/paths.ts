/** Where the e2e server puts things: the app at a subpath, an embedding page elsewhere. */
export const APP_PATH = '/hosted/under/voxpool/';
export const EMBED_PATH = '/another/site/page.html';

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
