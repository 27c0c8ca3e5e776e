/**
 * The engines' files in Node, in place of the site's staged assets: our kernels' wasm beside the
 * emitted package (dist/kernels/, what build/package.mjs writes), niimath's glue and wasm where
 * npm put @niivue/niimath. Each binary is compiled once here and its WebAssembly.Module posted
 * to every worker thread, as the page does (wasm/compile.ts); Node's `fetch` has no `file:`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EngineLoadError } from '../../wasm/compile.ts';
import { KERNELS } from '../../wasm/kernels/page.ts';
import { NIIMATH, NIIMATH_GLUE } from '../../wasm/niimath/page.ts';

/** dist/ when this runs emitted (dist/src/node/engines.js). */
const packageRoot = new URL('../../', import.meta.url);

async function compileFile(engine: string, url: URL): Promise<WebAssembly.Module> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = (await readFile(url)) as Uint8Array<ArrayBuffer>;
  } catch (e) {
    throw new EngineLoadError(engine, fileURLToPath(url), `cannot read it (${(e as Error).message}): build the package first (npm run build:lib)`, {
      cause: e,
    });
  }
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    throw new EngineLoadError(engine, fileURLToPath(url), `not a WebAssembly module this Node can compile (${(e as Error).message})`, { cause: e });
  }
}

/** niimath's dist/ folder in node_modules (its exports map offers only the wrapper, which sits there). */
function niimathDir(): URL {
  return new URL('./', import.meta.resolve('@niivue/niimath'));
}

/** The pool resources of the built-in engines in Node. */
export function nodeEngineResources(): Record<string, () => unknown> {
  return {
    assetBase: () => packageRoot.href,
    [KERNELS.resource]: () => compileFile(KERNELS.name, new URL(KERNELS.wasmPath, packageRoot)),
    [NIIMATH.resource]: () => compileFile(NIIMATH.name, new URL('niimath.wasm', niimathDir())),
    [NIIMATH_GLUE]: () => new URL('niimath.js', niimathDir()).href,
  };
}
