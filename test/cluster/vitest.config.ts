/**
 * The Slurm executor's tests: Node mode, against a real single-node Slurm each file starts
 * (slurm-cluster.ts). Run with `vitest run --config test/cluster/vitest.config.ts`; needs root and
 * Debian's slurmctld, slurmd, slurm-client and munge (.ci/run installs them).
 */
import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

export default defineConfig({
  root: resolve(import.meta.dirname, '../..'),
  cacheDir: process.env.VOXPOOL_VITE_CACHE ? `${process.env.VOXPOOL_VITE_CACHE}-cluster` : 'node_modules/.vite-cluster',
  test: {
    name: 'cluster',
    include: ['test/cluster/**/*.cluster.ts'],
    environment: 'node',
    // Each file starts its own cluster; one at a time keeps the two cores for the jobs.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
