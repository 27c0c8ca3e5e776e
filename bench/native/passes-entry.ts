/**
 * What bench/suites/gauss-passes.mjs bundles for the browser, once from this tree and once from
 * the base commit's: the Gaussian's plan and the kernels' instance wrapper, to time the wasm
 * passes one by one against a given binary. Paths are relative to the tree root the suite copies
 * this file into (bench/native/).
 */
export { gaussianPlan } from '../../wasm/kernels/calls.ts';
export { KernelInstance } from '../../wasm/kernels/worker.ts';
