/**
 * The median filter of VTK 9.1's vtkImageMedian3D, as a plain TypeScript oracle for the wasm
 * kernel. Checked against VTK itself (test/data/vtk-median3d.py made the fixture the browser
 * test compares with):
 * - the neighbourhood of voxel i spans i - floor(k/2) .. i - floor(k/2) + k - 1 on each axis,
 *   clipped to the image (no padding, no mirroring);
 * - an odd count gives the middle value of the sorted neighbourhood;
 * - an even count (at the image edge with odd kernels: corners hold 8 of 27) gives
 *   lo + (hi - lo) / 2 of the two middle values in the voxel type's own C arithmetic:
 *   the floor of the mean for 8- and 16-bit integers and uint32, a wrapping int32 difference,
 *   float32 arithmetic for float32.
 */
import type { PixelArray, Vec3 } from '../../../src/data/volume.ts';

export function medianReference(data: PixelArray, dimensions: Vec3, kernelSize: Vec3): PixelArray {
  const [nx, ny, nz] = dimensions;
  const [kx, ky, kz] = kernelSize;
  const out = data.slice();
  const values: number[] = [];
  const middle = evenMiddle(data);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        values.length = 0;
        for (let kk = Math.max(0, k - (kz >> 1)); kk <= Math.min(nz - 1, k - (kz >> 1) + kz - 1); kk++) {
          for (let jj = Math.max(0, j - (ky >> 1)); jj <= Math.min(ny - 1, j - (ky >> 1) + ky - 1); jj++) {
            for (let ii = Math.max(0, i - (kx >> 1)); ii <= Math.min(nx - 1, i - (kx >> 1) + kx - 1); ii++) {
              values.push(data[ii + nx * (jj + ny * kk)]!);
            }
          }
        }
        values.sort((a, b) => a - b);
        const n = values.length;
        out[i + nx * (j + ny * k)] = n % 2 === 1 ? values[n >> 1]! : middle(values[(n >> 1) - 1]!, values[n >> 1]!);
      }
    }
  }
  return out;
}

/** lo + (hi - lo) / 2 (lo <= hi) as C computes it in the array's type. */
function evenMiddle(data: PixelArray): (lo: number, hi: number) => number {
  if (data instanceof Float64Array) return (lo, hi) => lo + (hi - lo) / 2;
  if (data instanceof Float32Array) return (lo, hi) => Math.fround(lo + Math.fround(Math.fround(hi - lo) / 2));
  // int32: the difference wraps to 32 bits, division truncates toward zero, the sum wraps.
  if (data instanceof Int32Array) return (lo, hi) => (lo + Math.trunc(((hi - lo) | 0) / 2)) | 0;
  return (lo, hi) => lo + Math.floor((hi - lo) / 2);
}
