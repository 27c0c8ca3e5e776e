/**
 * The package build (`npm run build:lib`, run by `prepack`): dist/ holds the JavaScript and the
 * declarations tsc emits for the public entry points (tsconfig.build.json), and the own kernels'
 * wasm built from wasm/kernels/ with AssemblyScript, so an installed voxpool needs neither
 * TypeScript nor AssemblyScript.
 *
 * tsc rewrites `./x.ts` imports to `./x.js` in the JavaScript it emits, but not two kinds of
 * specifier, which this script rewrites after it: the worker's `new URL('../x.ts',
 * import.meta.url)` (a string, not an import; the consumer's bundler follows it to the worker
 * module) and the relative imports inside the emitted `.d.ts` files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

const relativeTs = /(['"])(\.{1,2}\/[^'"\n]*?)\.ts\1/g;
const workerUrl = /new URL\((['"])(\.{1,2}\/[^'"\n]*?)\.ts\1, import\.meta\.url\)/g;
for (const file of filesUnder(dist)) {
  const text = readFileSync(file, 'utf8');
  const next = file.endsWith('.d.ts')
    ? text.replace(relativeTs, (_, q, path) => `${q}${path}.js${q}`)
    : file.endsWith('.js')
      ? text.replace(workerUrl, (_, q, path) => `new URL(${q}${path}.js${q}, import.meta.url)`)
      : text;
  if (next !== text) writeFileSync(file, next);
  // Anything still naming a .ts module would fail in a consumer's bundler or tsc: stop here.
  const left = next.match(file.endsWith('.d.ts') ? relativeTs : /(['"])\.{1,2}\/[^'"\n]*?\.ts\1/g);
  if (left) throw new Error(`${relative(root, file)} still names TypeScript sources: ${left.join(', ')}`);
}

// The same compiler and flags the dev server and the page build use (wasm/kernels/build.ts).
const { module: kernels } = await runnerImport(join(root, 'wasm/kernels/build.ts'), { configFile: false, logLevel: 'error' });
const { module: paths } = await runnerImport(join(root, 'wasm/kernels/page.ts'), { configFile: false, logLevel: 'error' });
const wasm = join(dist, paths.KERNELS.wasmPath);
mkdirSync(dirname(wasm), { recursive: true });
writeFileSync(wasm, await kernels.compileKernels());
console.log(`dist/ built: ${relative(root, wasm)} ${readFileSync(wasm).byteLength} bytes`);
