/**
 * Page side of voxpool's own wasm kernels (wasm/kernels/): fetch and compile the module once,
 * then hand the compiled WebAssembly.Module to every worker (createPool passes it as the
 * `kernels` resource), so no worker fetches or compiles it again.
 */

/** Where the build puts the binary, under the site root (see wasm/own-kernels.ts). */
export const KERNELS_PATH = 'kernels/voxpool-kernels.wasm';

/** Name of the pool resource carrying the compiled module. */
export const KERNELS_RESOURCE = 'kernels';

export class KernelsLoadError extends Error {
  override name = 'KernelsLoadError';
}

export function kernelsUrl(assetBase: string): string {
  return new URL(KERNELS_PATH, assetBase).href;
}

/** Fetches and compiles the kernels; streaming when the server labels it application/wasm. */
export async function compileKernels(assetBase: string): Promise<WebAssembly.Module> {
  const url = kernelsUrl(assetBase);
  const response = await fetch(url);
  if (!response.ok) throw new KernelsLoadError(`${url}: HTTP ${response.status}`);
  if (response.headers.get('Content-Type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}
