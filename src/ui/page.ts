/**
 * The demo page's entry: the app element, plus the service worker that keeps the page working
 * offline after the first visit. (An embedding page gets widget.ts alone: a widget must not
 * install a service worker over someone else's site.)
 */
import './widget.ts';

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  // Relative to the page, so it works from any subpath; its scope is the page's folder.
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI), { scope: './' }).catch((error: unknown) => {
    console.warn('voxpool: no offline support (service worker not registered):', error);
  });
}
