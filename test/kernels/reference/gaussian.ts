/**
 * Straightforward TypeScript references the WebAssembly kernels are tested against, voxel for
 * voxel. Written for clarity, not speed.
 */
import type { PixelArray, Vec3 } from '../../../src/data/volume.ts';
import { clippedKernel } from '../../../wasm/kernels/gaussian-weights.ts';

/**
 * vtkImageGaussianSmooth (Dimensionality 3) as VTK 9 computes it: separable passes along k, then
 * j, then i; kernel radius (int)(std * radiusFactor); weights exp(-x²/2σ²) in double, normalised
 * over the kernel as clipped by the image edge (so edges are renormalised, not padded); each pass
 * sums low index to high in double and stores into the input's type with a C cast (truncation
 * toward zero for integers), intermediates included.
 */
export function gaussianVtkReference(data: PixelArray, dimensions: Vec3, std: number, radiusFactor: number): PixelArray {
  const radius = Math.trunc(std * radiusFactor);
  let current: PixelArray = data.slice();
  for (const axis of [2, 1, 0] as const) {
    current = smoothAxis(current, dimensions, axis, std, radius);
  }
  return current;
}

function smoothAxis(input: PixelArray, dimensions: Vec3, axis: 0 | 1 | 2, std: number, radius: number): PixelArray {
  const output = input.slice();
  const [nx, ny, nz] = dimensions;
  const strides: Vec3 = [1, nx, nx * ny];
  const n = dimensions[axis];
  const stride = strides[axis];
  const kernels = Array.from({ length: n }, (_, a) => clippedKernel(std, Math.max(-radius, -a), Math.min(radius, n - 1 - a)));
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const a = axis === 0 ? i : axis === 1 ? j : k;
        const from = Math.max(-radius, -a);
        const kernel = kernels[a]!;
        const index = i + nx * (j + ny * k);
        let sum = 0;
        for (let t = 0; t < kernel.length; t++) sum += kernel[t]! * input[index + (from + t) * stride]!;
        output[index] = sum; // typed-array store: truncation toward zero for integer types, like C's cast
      }
    }
  }
  return output;
}
