/**
 * What bench/suites/kernels-cpu.mjs bundles, once from this tree and once from the base commit's:
 * the kernels' JavaScript driver and the phantom, to run in Node against a given wasm binary.
 * Paths are relative to the tree root the suite copies this file into (bench/native/).
 */
export { gaussianVtkKernel, medianKernel, morphologyKernel } from '../../wasm/kernels/calls.ts';
export { KernelInstance } from '../../wasm/kernels/worker.ts';
export { makeHeadPhantom } from '../../src/data/phantom.ts';
