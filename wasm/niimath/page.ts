/**
 * niimath's page half: the wasm (staged under `niimath/` next to the site root, see
 * wasm/niimath-assets.ts) is fetched and compiled once per pool, and the compiled
 * WebAssembly.Module is posted to every worker as the `niimath` resource, so each worker only
 * instantiates it (a few ms) instead of fetching and compiling it again.
 */

/** The resource name workers look the compiled module up by. */
export const NIIMATH_RESOURCE = 'niimath';

/** Where the staged glue and wasm live under a site root. */
export function niimathUrls(assetBase: string): { glue: string; wasm: string } {
  return { glue: new URL('niimath/niimath.js', assetBase).href, wasm: new URL('niimath/niimath.wasm', assetBase).href };
}

/**
 * Fetches and compiles niimath.wasm. Streaming compilation needs `application/wasm`; a host
 * that labels it otherwise still works through the slower buffered path.
 */
export async function compileNiimath(assetBase: string): Promise<WebAssembly.Module> {
  const url = niimathUrls(assetBase).wasm;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`niimath.wasm: HTTP ${response.status} from ${url}`);
  if (response.headers.get('Content-Type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}
