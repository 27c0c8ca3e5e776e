/**
 * `voxpool/vite`: the Vite plugin a consumer's app adds so every engine asset voxpool's workers
 * load (itk-wasm pipelines, niimath's glue and wasm, our own kernels' wasm) is served by its dev
 * server and emitted into its build, under the site root where `assetBase` points.
 *
 *   import { voxpool } from 'voxpool/vite';
 *   export default defineConfig({ plugins: [voxpool()], worker: { format: 'es' } });
 *
 * Unlike the repository's own wasmAssets(), it never compiles the kernels: the package ships
 * them built (dist/kernels/voxpool-kernels.wasm), so a consumer needs no AssemblyScript.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { itkAssets } from '../wasm/itk/assets.ts';
import { niimathAssets } from '../wasm/niimath/assets.ts';
import { staging } from '../wasm/staging.ts';
import { KERNELS } from '../wasm/kernels/page.ts';

export class MissingKernelsError extends Error {
  override name = 'MissingKernelsError';
}

/** The built kernels inside the installed package: dist/src/vite.js -> dist/kernels/. */
const shippedKernels = fileURLToPath(new URL('../kernels/voxpool-kernels.wasm', import.meta.url));

function shippedKernelsAssets(): Plugin {
  const { configureServer, generateBundle } = staging({
    assets: () => [{ url: KERNELS.wasmPath, from: shippedKernels, contentType: 'application/wasm' }],
  });
  return {
    name: 'voxpool:kernels',
    buildStart() {
      if (!existsSync(shippedKernels)) {
        throw new MissingKernelsError(
          `voxpool's built kernels are missing (${shippedKernels}): reinstall the package, or in the voxpool repository run npm run build:lib`,
        );
      }
    },
    configureServer,
    generateBundle,
  };
}

/**
 * Engine-asset staging, plus the two settings voxpool's packaged code needs in a consumer's
 * build: ES-module workers (the pool's workers are modules), and voxpool and itk-wasm kept out of
 * dependency pre-bundling (each finds its files relative to its own modules, which pre-bundling
 * moves).
 */
export function voxpool(): Plugin[] {
  const settings: Plugin = {
    name: 'voxpool:config',
    config: () => ({
      worker: { format: 'es' },
      optimizeDeps: {
        // voxpool is served as it is (below), so its CommonJS dependency must be pre-bundled on its
        // own or the dev server hands the browser a UMD file as a module.
        include: ['voxpool > dicom-parser'],
        exclude: [
          'voxpool',
          'itk-wasm',
          '@itk-wasm/image-io',
          '@itk-wasm/mesh-io',
          '@itk-wasm/downsample',
          '@itk-wasm/dicom',
          '@itk-wasm/elastix',
          '@niivue/niimath',
        ],
      },
    }),
  };
  return [settings, itkAssets(), niimathAssets(), shippedKernelsAssets()];
}

export default voxpool;
