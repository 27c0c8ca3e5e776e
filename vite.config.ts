import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { wasmAssets, workerPlugins } from './wasm/vite-plugin.ts';

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
  worker: { format: 'es', plugins: workerPlugins },
  plugins: [
    ...wasmAssets(),
    // Offline after the first visit: Workbox precaches every built asset, wasm included.
    // The page registers sw.js itself (src/ui/page.ts); the embeddable widget never does.
    VitePWA({
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,mjs,css,html,wasm,zst,json,webmanifest,svg,png,ico,nii,gz,nrrd}'],
        // itk-wasm's own pipeline worker is emitted because its code names it, but never started:
        // every op runs its pipelines in our worker (webWorker: false).
        globIgnores: ['**/*.map', '**/itk-wasm-pipeline.worker-*.js'],
        // itk-wasm pipelines are several MB each.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        navigateFallback: null,
      },
    }),
  ],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  optimizeDeps: {
    include: [
      'comlink',
      'lit',
      'idb',
      // meshoptimizer's simplifier (mesh.decimate) is imported in the worker only.
      'meshoptimizer/simplifier',
      // The file readers' gzip inflater (worker only) and DICOM header parser (worker and page).
      'fflate',
      'dicom-parser',
      // The scene's vtk.js deep imports, found late (the scene is lazily loaded).
      ...[
        'Rendering/OpenGL/Profiles/Geometry',
        'Rendering/OpenGL/Profiles/Volume',
        'Rendering/Core/RenderWindow',
        'Rendering/Core/Renderer',
        'Rendering/OpenGL/RenderWindow',
        'Rendering/Core/RenderWindowInteractor',
        'Interaction/Style/InteractorStyleTrackballCamera',
        'Interaction/Style/InteractorStyleImage',
        'Rendering/Core/Actor',
        'Rendering/Core/Mapper',
        'Rendering/Core/ImageMapper',
        'Rendering/Core/ImageSlice',
        'Rendering/Core/Volume',
        'Rendering/Core/VolumeMapper',
        'Rendering/Core/ColorTransferFunction',
        'Common/DataModel/PiecewiseFunction',
        'Common/Core/DataArray',
        'Common/DataModel/ImageData',
        'Common/DataModel/PolyData',
        'Filters/Sources/SphereSource',
        'Filters/General/WindowedSincPolyDataFilter',
      ].map((m) => `@kitware/vtk.js/${m}`),
    ],
    // itk-wasm locates its pipelines relative to its own modules: pre-bundling breaks that.
    // @thewtex/zstddec (itk-wasm's decoder) too: wasm/itk-assets.ts rewrites how it loads, which a
    // pre-bundled copy would skip.
    exclude: [
      'itk-wasm',
      '@itk-wasm/image-io',
      '@itk-wasm/mesh-io',
      '@itk-wasm/downsample',
      '@itk-wasm/dicom',
      '@itk-wasm/elastix',
      '@niivue/niimath',
      '@thewtex/zstddec',
    ],
  },
  build: {
    // The page goes to site/: dist/ is the package (npm run build:lib, build/package.mjs).
    outDir: 'site',
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      // The page, and the embeddable widget at a stable name: <script type="module" src=".../voxpool-app.js">.
      input: { index: 'index.html', 'voxpool-app': 'src/ui/widget.ts' },
      // Keep the widget's exports (createPool, the element classes): Vite drops entry exports by default.
      preserveEntrySignatures: 'exports-only',
      output: { entryFileNames: (chunk) => (chunk.name === 'voxpool-app' ? 'voxpool-app.js' : 'assets/[name]-[hash].js') },
    },
  },
});
