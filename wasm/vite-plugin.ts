import type { Plugin } from 'vite';
import { itkAssets } from './itk-assets.ts';
import { niimathAssets } from './niimath-assets.ts';

/** Stages WebAssembly assets from node_modules into the served folder (filled in by the engines). */
export function wasmAssets(): Plugin[] {
  return [itkAssets(), niimathAssets()];
}
