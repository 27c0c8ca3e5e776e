import { defineConfig } from 'vite';
import { wasmAssets } from './wasm/vite-plugin.ts';

/**
 * Cross-origin isolation lets pipelines use SharedArrayBuffer when the host can send these
 * headers; the default code path must not depend on it (plain static hosts can't set headers).
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative base: the built folder works from any static host and any subpath.
  base: './',
  worker: { format: 'es' },
  plugins: [...wasmAssets()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  optimizeDeps: {
    include: ['comlink', 'lit', 'idb'],
    // itk-wasm locates its pipelines relative to its own modules: pre-bundling breaks that.
    exclude: ['itk-wasm', '@itk-wasm/image-io', '@itk-wasm/mesh-io', '@itk-wasm/downsample', '@itk-wasm/dicom', '@niivue/niimath'],
  },
  build: {
    target: 'es2022',
    sourcemap: true,
  },
});
