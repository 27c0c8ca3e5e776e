/**
 * Page side of voxpool's own wasm kernels: where the binary is (the build stages it there, see
 * build.ts) and the resource its compiled module travels to every worker as (../compile.ts).
 */
import { compileEngine, wasmUrl, type WasmEngine } from '../compile.ts';

export const KERNELS: WasmEngine = { name: 'kernels', resource: 'kernels', wasmPath: 'kernels/voxpool-kernels.wasm' };

export function kernelsUrl(assetBase: string): string {
  return wasmUrl(KERNELS, assetBase);
}

export function compileKernels(assetBase: string): Promise<WebAssembly.Module> {
  return compileEngine(KERNELS, assetBase);
}
