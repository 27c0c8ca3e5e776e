/**
 * Builds the benchmark pages (every bench/*.html, or those BENCH_PAGES names, comma-separated) as
 * a production build into bench/dist.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import app from '../vite.config.ts';
import { wasmAssets } from '../wasm/vite-plugin.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const only = process.env.BENCH_PAGES?.split(',').filter(Boolean);
const pages = Object.fromEntries(
  readdirSync(root)
    .filter((f) => f.endsWith('.html') && (!only || only.includes(f.replace(/\.html$/, ''))))
    .map((f) => [f.replace(/\.html$/, ''), `${root}${f}`]),
);

export default defineConfig({
  root,
  base: './',
  worker: app.worker,
  // Engine assets (itk-wasm pipelines, niimath, our own kernels) staged into the build as on the site.
  plugins: wasmAssets(),
  resolve: {
    // poolifier-web-worker's exports map puts the Bun build first; the browser build is what a page needs.
    alias: { 'poolifier-web-worker': fileURLToPath(new URL('../node_modules/poolifier-web-worker/browser/mod.js', import.meta.url)) },
  },
  build: { outDir: `${root}dist`, emptyOutDir: true, target: 'es2022', rollupOptions: { input: pages } },
  logLevel: 'warn',
});
