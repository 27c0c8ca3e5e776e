/**
 * Builds one of this folder's probe pages (vite, no config file) into `<name>-dist/` and serves
 * it cross-origin isolated on a free local port, for the probes' node scripts (segments, wakeups).
 * Returns the page's URL and a function that stops the server and removes the build.
 */
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export async function servePage(name) {
  const dist = join(here, `${name}-dist`);
  await build({
    root: here,
    configFile: false,
    base: './',
    logLevel: 'warn',
    worker: { format: 'es' },
    build: { target: 'es2022', outDir: dist, emptyOutDir: true, rollupOptions: { input: join(here, `${name}.html`) } },
  });
  const server = createServer((req, res) => {
    const file = join(dist, normalize(new URL(req.url, 'http://x').pathname).replace(/^\/+/, ''));
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, {
      'Content-Type': extname(file) === '.html' ? 'text/html' : 'text/javascript',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/${name}.html`,
    close() {
      server.close();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}
