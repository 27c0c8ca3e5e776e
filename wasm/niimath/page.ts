/**
 * niimath's page half: where its staged glue and wasm are (assets.ts stages them there) and the
 * resource its compiled module travels to every worker as (../compile.ts), so each worker only
 * instantiates it (a few ms) instead of fetching and compiling it again.
 */
import { compileEngine, wasmUrl, type WasmEngine } from '../compile.ts';

export const NIIMATH: WasmEngine & { readonly gluePath: string } = {
  name: 'niimath',
  resource: 'niimath',
  wasmPath: 'niimath/niimath.wasm',
  gluePath: 'niimath/niimath.js',
};

/** The resource that, when a pool gives it, is the glue's URL (Node's runner: the file in node_modules). */
export const NIIMATH_GLUE = 'niimathGlue';

/** Where the staged glue and wasm live under a site root. */
export function niimathUrls(assetBase: string): { glue: string; wasm: string } {
  return { glue: new URL(NIIMATH.gluePath, assetBase).href, wasm: wasmUrl(NIIMATH, assetBase) };
}

export function compileNiimath(assetBase: string): Promise<WebAssembly.Module> {
  return compileEngine(NIIMATH, assetBase);
}
