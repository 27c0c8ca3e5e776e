/** Builds the benchmark pages (every bench/*.html) as a production build into bench/dist. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import app from '../vite.config.ts';
import { wasmAssets } from '../wasm/vite-plugin.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const pages = Object.fromEntries(
  readdirSync(root)
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.replace(/\.html$/, ''), `${root}${f}`]),
);

export default defineConfig({
  root,
  base: './',
  worker: app.worker,
  // The engines' staged assets (itk-wasm pipelines, the own kernels' wasm) in the bench build too.
  plugins: wasmAssets(),
  resolve: {
    // poolifier-web-worker's exports map puts the Bun build first; the browser build is what a page needs.
    alias: { 'poolifier-web-worker': fileURLToPath(new URL('../node_modules/poolifier-web-worker/browser/mod.js', import.meta.url)) },
  },
  build: { outDir: `${root}dist`, emptyOutDir: true, target: 'es2022', rollupOptions: { input: pages } },
  logLevel: 'warn',
});
