/**
 * The Gaussian's weights as VTK's vtkImageGaussianSmooth makes them: the wasm kernel is given
 * these tables, and the TypeScript reference it is tested against uses the same ones.
 */

/** Weights exp(-x²/2σ²) for x in [from, to], normalised over that clipped range (VTK's edge rule). */
export function clippedKernel(std: number, from: number, to: number): Float64Array {
  const kernel = new Float64Array(to - from + 1);
  if (std === 0) {
    kernel[0] = 1;
    return kernel;
  }
  let sum = 0;
  for (let x = from; x <= to; x++) sum += kernel[x - from] = Math.exp(-(x * x) / (std * std * 2));
  for (let x = from; x <= to; x++) kernel[x - from]! /= sum;
  return kernel;
}
