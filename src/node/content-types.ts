/**
 * The Content-Type of a static file by its extension: what `voxpool serve` sends for the built
 * page, and what the test and bench servers that stand in for a static host send too.
 */
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  // Sent as the bytes they are (no Content-Encoding): the page checks the gzip magic itself.
  '.gz': 'application/gzip',
  '.zst': 'application/zstd',
};

/** `path`'s Content-Type, or application/octet-stream for an extension not listed. */
export function contentTypeOf(path: string): string {
  return TYPES[extname(path)] ?? 'application/octet-stream';
}
