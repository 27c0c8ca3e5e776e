/** The Node runner's worker thread: the built-in ops, served over parentPort. */
import { register } from 'node:module';

// Before any op module loads: vtk.js's extensionless deep imports need the hook (vtk-resolve.ts).
register(new URL('./vtk-resolve.ts', import.meta.url));
const [{ serve }, { builtinOps }, { nodeWorkerScope }] = await Promise.all([
  import('../worker/index.ts'),
  import('../../workers/builtin.ts'),
  import('./worker-scope.ts'),
]);
serve(builtinOps, nodeWorkerScope());
