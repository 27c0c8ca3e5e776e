/**
 * A plain static file server for the end-to-end tests: the built folder mounted at a subpath,
 * plus extra in-memory pages (an embedding page on another path). No special headers, like
 * the simplest static host.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { contentTypeOf } from '../../src/node/content-types.ts';

export interface StaticServer {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  /** Requests served, by path (to check nothing unexpected was asked for). */
  served: string[];
  close(): Promise<void>;
}

/** `headers`: sent with every response (e.g. a Content-Security-Policy); none by default. */
export async function serveStatic(
  root: string,
  mount: string,
  pages: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<StaticServer> {
  const served: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      served.push(path);
      const page = pages[path];
      if (page !== undefined) {
        res.writeHead(200, { ...headers, 'content-type': contentTypeOf('index.html'), 'cache-control': 'no-store' });
        res.end(page);
        return;
      }
      if (!path.startsWith(mount)) {
        res.writeHead(404).end('not found');
        return;
      }
      let file = normalize(join(root, path.slice(mount.length)));
      if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) {
        res.writeHead(403).end();
        return;
      }
      try {
        if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
        const body = await readFile(file);
        res.writeHead(200, { ...headers, 'content-type': contentTypeOf(file), 'content-length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404).end('not found');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
