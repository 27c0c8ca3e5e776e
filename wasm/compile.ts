/**
 * Compile once, instantiate many, for every wasm engine: the page fetches and compiles an
 * engine's binary once per pool and posts the WebAssembly.Module to every worker as a pool
 * resource (createPool does it for the built-in engines); a worker only instantiates it. A worker
 * given no module (a pool made without those resources) compiles one itself, the same way.
 * Imports nothing, so the page, the workers and the Vite plugins can all read it.
 */

/** An engine's binary could not be fetched or compiled: the site's assets, not the caller's input. */
export class EngineLoadError extends Error {
  override name = 'EngineLoadError';
  constructor(
    readonly engine: string,
    readonly url: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${engine}: ${url}: ${problem}`, options);
  }
}

/** A wasm engine the pool compiles once: the resource its module travels as, and where its binary is. */
export interface WasmEngine {
  readonly name: string;
  /** Name of the pool resource carrying the compiled module. */
  readonly resource: string;
  /** The binary's path under the site's asset root (where the Vite plugin stages it). */
  readonly wasmPath: string;
}

export function wasmUrl(engine: WasmEngine, assetBase: string): string {
  return new URL(engine.wasmPath, assetBase).href;
}

/** Fetches and compiles an engine; streaming when the server labels it application/wasm. */
export async function compileEngine(engine: WasmEngine, assetBase: string): Promise<WebAssembly.Module> {
  const url = wasmUrl(engine, assetBase);
  const response = await fetch(url).catch((e: unknown) => {
    throw new EngineLoadError(engine.name, url, `fetch failed (${String(e)})`, { cause: e });
  });
  if (!response.ok) throw new EngineLoadError(engine.name, url, `HTTP ${response.status}`);
  if (response.headers.get('Content-Type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Pool resources that compile each engine once on the page, against the asset root `base` gives. */
export function engineResources(engines: readonly WasmEngine[], base: () => Promise<string>): Record<string, () => Promise<WebAssembly.Module>> {
  return Object.fromEntries(engines.map((e) => [e.resource, async () => compileEngine(e, await base())]));
}
