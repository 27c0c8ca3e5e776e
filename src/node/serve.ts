/**
 * `voxpool serve`: the built page (the folder `npm run build` makes, `site/`) on loopback, and
 * beside it the same-origin API of src/study/remote-api.ts through which that page sends a study
 * to the Node runner or to Slurm (serve-runs.ts). node:http alone: a handful of routes, JSON in
 * and out and two streamed bodies need no framework. Every request first passes the origin
 * guard (serve-guard.ts); the page is sent with the strict CSP it is tested under and the
 * cross-origin isolation headers `npm start` sends.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WorkflowFileError } from '../graph/index.ts';
import { VoxpoolError } from '../core/errors.ts';
import type { ApiError } from '../study/remote-api.ts';
import { contentTypeOf } from './content-types.ts';
import { ServedRuns, type RunsOptions } from './serve-runs.ts';
import { ServeRequestError, allowedHosts, checkOrigin, insideFolder } from './serve-guard.ts';

export interface ServeOptions extends RunsOptions {
  /** 0: any free port. */
  port: number;
  host: string;
  /** The built page's folder. */
  page: string;
}

export interface RunningServer {
  /** http://127.0.0.1:<port> */
  url: string;
  runs: ServedRuns;
  close(): Promise<void>;
}

/** The page's own policy (test/e2e/csp.e2e.ts runs the page under it); `connect-src 'self'` reaches the API. */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'";

const PAGE_HEADERS = {
  'content-security-policy': PAGE_CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'x-content-type-options': 'nosniff',
};

/** The largest workflow file a POST may carry. */
const MAX_JSON = 32 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

function sendError(res: ServerResponse, e: unknown): void {
  const status = e instanceof ServeRequestError ? e.status : e instanceof WorkflowFileError ? 400 : 500;
  const err = e instanceof Error ? e : new Error(String(e));
  const body: ApiError = { error: err instanceof VoxpoolError || err.name !== 'Error' ? err.name : 'Error', message: err.message };
  if (res.headersSent) res.destroy(err);
  else sendJson(res, status, body);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON) throw new ServeRequestError(413, `the request is larger than ${MAX_JSON / 1024 / 1024} MiB`);
    parts.push(chunk);
  }
  let data: unknown;
  try {
    data = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch (e) {
    throw new ServeRequestError(400, `the request's body is not JSON: ${(e as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new ServeRequestError(400, "the request's body must be a JSON object");
  return data as Record<string, unknown>;
}

/** A path's tail after a prefix, decoded part by part (so `%2F` cannot make a `/` the guard did not see). */
function tail(path: string): string {
  return path
    .split('/')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        throw new ServeRequestError(400, `"${p}" is not a well-formed URL path part`);
      }
    })
    .join('/');
}

function allow(req: IncomingMessage, method: string): void {
  if (req.method !== method) throw new ServeRequestError(405, `${req.method} is not allowed here (use ${method})`);
}

async function api(runs: ServedRuns, req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
  if (route === 'capabilities') {
    allow(req, 'GET');
    return sendJson(res, 200, await runs.capabilities());
  }
  if (route === 'runs') {
    allow(req, 'POST');
    const body = await readJson(req);
    return sendJson(res, 201, await runs.create(body.workflow, body.executor));
  }
  const m = /^runs\/([^/]+)(?:\/(start|cancel|inputs|outputs)(?:\/(.+))?)?$/.exec(route);
  if (!m) throw new ServeRequestError(404, `no API route "${route}"`);
  const id = tail(m[1]!);
  const action = m[2];
  const rest = m[3];
  if (action === undefined) {
    allow(req, 'GET');
    return sendJson(res, 200, await runs.status(id));
  }
  if (action === 'start' || action === 'cancel') {
    if (rest !== undefined) throw new ServeRequestError(404, `no API route "${route}"`);
    allow(req, 'POST');
    return sendJson(res, 200, action === 'start' ? await runs.start(id) : await runs.cancel(id));
  }
  if (action === 'inputs') {
    allow(req, 'PUT');
    if (rest === undefined) throw new ServeRequestError(400, 'an upload names its file: PUT api/runs/<id>/inputs/<path>');
    await runs.upload(id, tail(rest), req);
    return sendJson(res, 200, { stored: tail(rest) });
  }
  allow(req, 'GET');
  if (rest === undefined) return sendJson(res, 200, await runs.outputs(id));
  const file = await runs.outputFile(id, tail(rest));
  const size = (await stat(file)).size;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  createReadStream(file).pipe(res);
}

async function page(root: string, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new ServeRequestError(405, `${req.method} is not allowed for the page's files`);
  const rel = tail(path.slice(1));
  let file = rel === '' ? join(root, 'index.html') : insideFolder(root, rel.endsWith('/') ? `${rel}index.html` : rel);
  let s = await stat(file).catch(() => null);
  if (s?.isDirectory()) {
    file = join(file, 'index.html');
    s = await stat(file).catch(() => null);
  }
  if (!s?.isFile()) throw new ServeRequestError(404, `${path}: not a file of the page`);
  res.writeHead(200, {
    ...PAGE_HEADERS,
    'content-type': contentTypeOf(file),
    'content-length': s.size,
    // The page's own service worker caches what it needs; the server always hands out the current files.
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

/** Checks the page's folder and starts the server; resolves once it listens. */
export async function startServe(options: ServeOptions): Promise<RunningServer> {
  const index = await stat(join(options.page, 'index.html')).catch(() => null);
  if (!index?.isFile())
    throw new ServeRequestError(
      500,
      `${options.page} has no built page (no index.html): build it with \`npm run build\` (it goes to site/), or name a built folder with --page`,
    );
  const runs = new ServedRuns(options);
  let hosts = new Set<string>();
  const server: Server = createServer((req, res) => {
    // The path as sent: URL parsing would fold "..", and a path that tries to leave is refused in words.
    const raw = (req.url ?? '/').split('?')[0]!;
    const path = raw.startsWith('/') ? raw : new URL(raw, 'http://voxpool.invalid').pathname;
    const isApi = path.startsWith('/api/');
    void (async () => {
      checkOrigin(req, hosts);
      if (isApi) await api(runs, req, res, path.slice('/api/'.length));
      else await page(options.page, req, res, path);
    })().catch((e: unknown) => {
      if (isApi || !(e instanceof ServeRequestError)) return sendError(res, e);
      res.writeHead(e.status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end(`${e.message}\n`);
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => {
      server.off('error', fail);
      done();
    });
  });
  const { port } = server.address() as AddressInfo;
  hosts = allowedHosts(options.host, port);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    runs,
    close: async () => {
      await runs.close();
      await new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      });
    },
  };
}
