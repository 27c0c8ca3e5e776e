import type { Plugin } from 'vite';
import { itkAssets, zstdWithoutDataFetch } from './itk/assets.ts';
import { niimathAssets } from './niimath/assets.ts';
import { ownKernels } from './kernels/build.ts';

/** Stages WebAssembly assets from node_modules into the served folder, and builds our own kernels. */
export function wasmAssets(): Plugin[] {
  return [itkAssets(), niimathAssets(), ownKernels(), zstdWithoutDataFetch()];
}

/** What the workers' own bundles need (Vite applies the page's plugins to the page's bundle only). */
export function workerPlugins(): Plugin[] {
  return [zstdWithoutDataFetch()];
}
