/** One volume filter split across every worker of a pool (slabs along k with halos, stitched). */
export { splitVolume, type SplitOptions, type SplitInfo, type VolumeOpName } from './split.ts';
export { SlabFailedError } from './errors.ts';
export { splitReach, knownSplitOps, type OpReach } from './reach.ts';
export { planSlabs, cutSlabs, haloOverhead, type Slab, type SlabPlanOptions } from './slabs.ts';
export { SlabBuffers, slabBuffersOf, type SlabBufferOptions } from './slab-buffers.ts';
export { volumeSplitter, splitWork, MIN_SPLIT_WORK } from './auto-split.ts';
