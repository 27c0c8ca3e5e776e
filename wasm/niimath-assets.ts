/**
 * Stages niimath's Emscripten build (`@niivue/niimath`: the `.js` glue and the `.wasm`) from
 * node_modules into the site under `niimath/`: served by the dev (and test) server, emitted into
 * the build, precached by the service worker like every built wasm. The package exports only its
 * own wrapper (which starts a worker of its own), so the files are taken by path.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/** Site path -> file. The wasm is compiled once per pool on the page (src/engines/niimath.ts). */
function stagedFiles(): Map<string, string> {
  const dist = packageDist();
  return new Map(['niimath.js', 'niimath.wasm'].map((name) => [`niimath/${name}`, join(dist, name)]));
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
  return {
    name: 'voxpool:niimath-assets',
    configureServer(server) {
      const files = stagedFiles();
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0]!;
        const i = path.lastIndexOf('/niimath/');
        const file = i >= 0 ? files.get(path.slice(i + 1)) : undefined;
        if (!file || !existsSync(file)) return next();
        // compileStreaming insists on application/wasm; the glue is import()ed as a module.
        res.setHeader('Content-Type', file.endsWith('.js') ? 'text/javascript' : 'application/wasm');
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const [url, file] of stagedFiles()) this.emitFile({ type: 'asset', fileName: url, source: readFileSync(file) });
    },
  };
}
