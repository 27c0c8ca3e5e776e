/**
 * The page as `npm run build` makes it, with one difference: its worker also serves the pool's
 * test ops (test/fixtures/test-ops.ts), which the built-in registry no longer ships. The e2e
 * tests use them as any host page could use an op of its own: a cancellable 400 ms task.
 */
import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vite';
import base from '../../vite.config.ts';

export default mergeConfig(base, {
  resolve: {
    // Only the worker entry imports the registry as './builtin.ts'.
    alias: [{ find: /^\.\/builtin\.ts$/, replacement: fileURLToPath(new URL('./builtin-with-test-ops.ts', import.meta.url)) }],
  },
});
