/**
 * Stages niimath's Emscripten build (`@niivue/niimath`: the `.js` glue and the `.wasm`) from
 * node_modules into the site under `niimath/`: served by the dev (and test) server, emitted into
 * the build, precached by the service worker like every built wasm. The package exports only its
 * own wrapper (which starts a worker of its own), so the files are taken by path.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { staging, type StagedAsset } from '../staging.ts';
import { NIIMATH } from './page.ts';

/**
 * The glue (import()ed as a module) and the wasm, which is compiled once per pool on the page
 * (page.ts) by compileStreaming, which insists on application/wasm.
 */
function stagedFiles(): StagedAsset[] {
  const dist = packageDist();
  return [
    { url: NIIMATH.gluePath, from: join(dist, 'niimath.js'), contentType: 'text/javascript' },
    { url: NIIMATH.wasmPath, from: join(dist, 'niimath.wasm'), contentType: 'application/wasm' },
  ];
}

/**
 * The package's exports map has only an `import` condition and no `./package.json`, so
 * require.resolve can't find it: look for it the way Node would, up the node_modules folders.
 */
function packageDist(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const dist = join(dir, 'node_modules', '@niivue', 'niimath', 'dist');
    if (existsSync(join(dist, 'niimath.wasm'))) return dist;
    if (dirname(dir) === dir) throw new Error('@niivue/niimath is not installed (no node_modules/@niivue/niimath/dist/niimath.wasm)');
  }
}

export function niimathAssets(): Plugin {
  return { name: 'voxpool:niimath-assets', ...staging({ assets: stagedFiles }) };
}
