/**
 * Grayscale dilation and erosion as plain TypeScript, the oracle for the wasm kernel: the max
 * (or min) of the input over the structuring element centred on each voxel, clipped to the
 * image. Opening is erosion then dilation, closing the reverse.
 */
import type { PixelArray, Vec3 } from '../../../src/data/volume.ts';
import { structuringRows, type ElementShape, type MorphologyOperation } from '../../../wasm/kernels/structuring.ts';

export function morphologyReference(operation: MorphologyOperation, data: PixelArray, dimensions: Vec3, radius: Vec3, shape: ElementShape): PixelArray {
  switch (operation) {
    case 'dilate':
      return extremum(data, dimensions, radius, shape, true);
    case 'erode':
      return extremum(data, dimensions, radius, shape, false);
    case 'open':
      return extremum(extremum(data, dimensions, radius, shape, false), dimensions, radius, shape, true);
    case 'close':
      return extremum(extremum(data, dimensions, radius, shape, true), dimensions, radius, shape, false);
  }
}

function extremum(data: PixelArray, dimensions: Vec3, radius: Vec3, shape: ElementShape, max: boolean): PixelArray {
  const [nx, ny, nz] = dimensions;
  const rows = structuringRows(radius, shape);
  const out = data.slice();
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        let m = max ? -Infinity : Infinity;
        for (const { dy, dz, w } of rows) {
          const jj = j + dy;
          const kk = k + dz;
          if (jj < 0 || jj >= ny || kk < 0 || kk >= nz) continue;
          for (let ii = Math.max(0, i - w); ii <= Math.min(nx - 1, i + w); ii++) {
            const v = data[ii + nx * (jj + ny * kk)]!;
            m = max ? Math.max(m, v) : Math.min(m, v);
          }
        }
        out[i + nx * (j + ny * k)] = m;
      }
    }
  }
  return out;
}
