import type { Plugin } from 'vite';
import { itkAssets } from './itk-assets.ts';
import { ownKernels } from './own-kernels.ts';

/** Stages WebAssembly assets from node_modules into the served folder (filled in by the engines). */
export function wasmAssets(): Plugin[] {
  return [itkAssets(), ownKernels()];
}
