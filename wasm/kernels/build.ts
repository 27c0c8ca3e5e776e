/**
 * Builds voxpool's own kernels (wasm/kernels/assembly/, AssemblyScript) with the asc compiler from
 * npm, at dev-server start and at build start (Vitest runs the same Vite config), and puts the
 * binary in the site at `kernels/voxpool-kernels.wasm`: served by the dev server, emitted into the
 * build (so the service worker precaches it). No .wasm is kept in git.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import type { Plugin } from 'vite';
import { staging } from '../staging.ts';
import { KERNELS } from './page.ts';

const sourceDir = join(dirname(fileURLToPath(import.meta.url)), 'assembly');

/** asc options: speed over size, wasm SIMD (off by default in asc 0.28), no GC or allocator. */
export const ASC_FLAGS = ['-O3', '--enable', 'simd', '--runtime', 'stub', '--noAssert'];

export class KernelBuildError extends Error {
  override name = 'KernelBuildError';
}

export async function compileKernels(): Promise<Uint8Array> {
  let binary: Uint8Array | null = null;
  const log: string[] = [];
  const sink = { write: (chunk: string | Uint8Array) => void log.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)) };
  const { error } = await asc.main([join(sourceDir, 'index.ts'), '--outFile', 'voxpool-kernels.wasm', ...ASC_FLAGS], {
    stdout: sink,
    stderr: sink,
    writeFile(name, contents) {
      if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
    },
  });
  if (error || !binary) throw new KernelBuildError(`AssemblyScript build of ${sourceDir} failed: ${error?.message ?? 'no binary'}\n${log.join('')}`);
  return binary;
}

export function ownKernels(): Plugin {
  let build: Promise<Uint8Array> | null = null;
  const current = (): Promise<Uint8Array> => (build ??= compileKernels());
  const { configureServer, generateBundle } = staging({ assets: () => [{ url: KERNELS.wasmPath, from: current, contentType: 'application/wasm' }] });
  return {
    name: 'voxpool:own-kernels',
    async buildStart() {
      for (const f of readdirSync(sourceDir)) if (f.endsWith('.ts')) this.addWatchFile(join(sourceDir, f));
      await current(); // a kernel that does not compile fails the build (and the dev server) at once
    },
    configureServer(server) {
      server.watcher.add(sourceDir);
      server.watcher.on('change', (file) => {
        if (file.startsWith(sourceDir)) build = null;
      });
      configureServer(server);
    },
    generateBundle,
  };
}
