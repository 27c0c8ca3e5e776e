/**
 * The volume view's and gallery's styles, adopted into whichever root (a shadow root, or the
 * document) the view is put in: a constructable stylesheet, which a `style-src 'self'` policy
 * allows, and which arrives with the lazily loaded scene rather than with the page.
 */
const CSS = `
.volume-view { margin: 0; display: flex; flex-direction: column; gap: 6px; min-width: 0; }
.volume-view figcaption { font-size: 13px; font-weight: 600; color: #1f262d; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.vv-toolbar { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; font-size: 12px; color: #3a434d; }
.vv-toolbar input[type='number'] { width: 6.5em; }
.vv-toolbar input[type='range'] { width: 7em; vertical-align: middle; }
.vv-grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 4px; }
.vv-cell { position: relative; min-width: 0; }
.vv-cell .viewport { position: relative; aspect-ratio: 1; border-radius: 4px; overflow: hidden; background: #14171c; }
.vv-cell .viewport canvas, .viewport canvas { display: block; width: 100%; height: 100%; touch-action: none; }
.viewport:focus-visible { outline: 3px solid #ffb000; outline-offset: 2px; }
.orient, .vv-plane { position: absolute; font: 600 12px/1 system-ui, sans-serif; color: #f5d76e; text-shadow: 0 0 3px #000; pointer-events: none; }
.orient[data-edge='left'] { left: 4px; top: 50%; transform: translateY(-50%); }
.orient[data-edge='right'] { right: 4px; top: 50%; transform: translateY(-50%); }
.orient[data-edge='top'] { top: 4px; left: 50%; transform: translateX(-50%); }
.orient[data-edge='bottom'] { bottom: 4px; left: 50%; transform: translateX(-50%); }
.vv-plane { left: 4px; bottom: 4px; color: #cfd6dd; font-weight: 500; text-transform: capitalize; }
.viewer { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 360px), 1fr)); gap: 12px; }
.viewer[data-open='0'], .viewer:empty { display: none; }
.viewer[data-open='1'] .volume-view { max-width: 880px; }
.grid[data-group='results'] { grid-template-columns: repeat(auto-fill, minmax(min(100%, 140px), 1fr)); }
.gallery-head { display: flex; align-items: baseline; justify-content: space-between; gap: 8px; flex-wrap: wrap; }
.gallery-live { margin: 0; font-size: 12px; color: #55606c; min-height: 1.2em; }
.gallery-batch { display: contents; }
.gallery-item { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.item-actions { display: flex; flex-wrap: wrap; gap: 4px; }
.item-actions button, .vv-close { font-size: 12px; padding: 2px 8px; }
.vv-readout { font: 12px/1.4 ui-monospace, monospace; color: #1f262d; overflow-wrap: anywhere; }
`;

let sheet: CSSStyleSheet | null = null;
const adopted = new WeakSet<Document | ShadowRoot>();

export function adoptVolumeViewStyles(host: Node): void {
  const root = host.getRootNode();
  if (!(root instanceof ShadowRoot || root instanceof Document) || adopted.has(root)) return;
  sheet ??= new CSSStyleSheet();
  if (!sheet.cssRules.length) sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  adopted.add(root);
}
