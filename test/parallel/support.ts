import { createPool, type Pool } from '../../src/index.ts';
import { PIXEL_ARRAYS, type PixelType, type Vec3, type Volume } from '../../src/data/volume.ts';
import type { builtinWithTestOps } from '../fixtures/test-ops.ts';
import type { splitTestOps } from './split-ops.ts';

export type SplitTestOps = typeof builtinWithTestOps & typeof splitTestOps;

/** A pool whose workers serve the built-in ops and the split tests' own (split.worker.ts). */
export function splitTestPool(size: number): Pool<SplitTestOps> {
  return createPool({ size, worker: () => new Worker(new URL('./split.worker.ts', import.meta.url), { type: 'module' }) }) as unknown as Pool<SplitTestOps>;
}

/** A seeded noisy volume with some structure (a bright block), so filters have edges to keep. */
export function noisyVolume(dimensions: Vec3, type: PixelType, seed: number): Volume {
  const [nx, ny, nz] = dimensions;
  const data = new PIXEL_ARRAYS[type](nx * ny * nz);
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const top = type === 'uint8' ? 200 : type === 'float32' ? 1000.5 : 3000;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const inBlock = i > nx / 4 && i < (3 * nx) / 4 && j > ny / 3 && k > nz / 3 && k < (2 * nz) / 3;
        const v = (inBlock ? top * 0.6 : top * 0.1) + random() * top * 0.3;
        data[i + nx * (j + ny * k)] = type === 'float32' ? v : Math.round(v);
      }
    }
  }
  return {
    name: `noise ${seed}`,
    data,
    dimensions: [nx, ny, nz],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    components: 1,
  };
}
