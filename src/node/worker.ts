/** The Node runner's worker thread: the built-in ops, served over parentPort. */
import { register } from 'node:module';

// Before any op module loads: vtk.js's extensionless deep imports need the hook (vtk-resolve.ts).
register(new URL('./vtk-resolve.ts', import.meta.url));
const [{ serve }, { builtinOps }, { nodeWorkerScope }, { installItkPackages }, { nodeItkPackages }] = await Promise.all([
  import('../worker/index.ts'),
  import('../../workers/builtin.ts'),
  import('./worker-scope.ts'),
  import('../../wasm/itk/worker.ts'),
  import('../../wasm/itk/node.ts'),
]);
// itk-wasm's Node functions in place of its browser API (which needs staged assets and fetch).
installItkPackages(nodeItkPackages);
serve(builtinOps, nodeWorkerScope());
