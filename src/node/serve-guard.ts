/**
 * What `voxpool serve` refuses before anything else: requests from another site (a page on the
 * web reaching a server on the user's loopback, or a DNS name rebound to 127.0.0.1), and paths
 * that would leave a run's folders. Each refusal is a class of its own with the HTTP status it
 * answers with and words that say what was wrong.
 */
import type { IncomingMessage } from 'node:http';
import { join, relative, resolve, sep, isAbsolute } from 'node:path';
import { relativePathProblem } from '../graph/index.ts';
import { VoxpoolError } from '../core/errors.ts';

/** A refused request: `status` is what the server answers. */
export class ServeRequestError extends VoxpoolError {
  override name = 'ServeRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A request from another origin, or for a host name the server does not answer to (403). */
export class CrossOriginError extends ServeRequestError {
  override name = 'CrossOriginError';
  constructor(message: string) {
    super(403, message);
  }
}

/** A path (of an upload or a download) that is absolute, has `..`, or is otherwise not a plain relative path (400). */
export class UnsafePathError extends ServeRequestError {
  override name = 'UnsafePathError';
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(400, `${problem}: voxpool serve only reads and writes inside a run's folder`);
  }
}

/**
 * The host names a request may name in `Host`: loopback under any of its names, and the address
 * the server was bound to. A DNS-rebinding page names its own domain there, and is refused.
 */
export function allowedHosts(bound: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  names.add(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound);
  return new Set([...names].map((h) => `${h}:${port}`));
}

/**
 * Refuses a request from another site: a `Host` the server does not answer to, an `Origin` that
 * is not the server's own, or a browser's `Sec-Fetch-Site` saying cross-site or same-site.
 * Requests with neither header (curl, a script) pass: they are not a browser page's.
 */
export function checkOrigin(req: IncomingMessage, hosts: ReadonlySet<string>): void {
  const host = req.headers.host ?? '';
  if (!hosts.has(host)) throw new CrossOriginError(`host "${host}" is not this server's (it answers to ${[...hosts].join(', ')})`);
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`)
    throw new CrossOriginError(`a request from ${origin} was refused: voxpool serve answers only pages of its own origin (http://${host})`);
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    throw new CrossOriginError(`a ${site} request was refused: voxpool serve answers only pages of its own origin (http://${host})`);
}

/** `rel` (a `/`-separated relative path) under `root`, or UnsafePathError saying why not. */
export function insideFolder(root: string, rel: string): string {
  const problem = relativePathProblem(rel);
  if (problem) throw new UnsafePathError(rel, problem);
  const base = resolve(root);
  const full = resolve(join(base, ...rel.split('/')));
  const back = relative(base, full);
  // What relativePathProblem lets through (a drive letter, a NUL) must still land inside.
  if (back === '' || back.startsWith(`..${sep}`) || back === '..' || isAbsolute(back) || rel.includes('\0'))
    throw new UnsafePathError(rel, `"${rel}" does not name a file inside the folder`);
  return full;
}
