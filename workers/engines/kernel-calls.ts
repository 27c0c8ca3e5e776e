/**
 * The wasm kernels called on whole volumes: lay out the buffers, copy the input in, run, copy
 * the output out. Semantics are those of the TypeScript references in src/kernels/.
 */
import type { PixelArray, Vec3 } from '../../src/data/volume.ts';
import { clippedKernel } from '../../src/kernels/reference.ts';
import { structuringRows, type ElementShape } from '../../src/kernels/structuring.ts';
import type { MorphologyOperation } from '../../src/kernels/morphology-reference.ts';
import { suffixOf, type KernelInstance } from './kernels.ts';

export function medianKernel(k: KernelInstance, data: PixelArray, dims: Vec3, kernelSize: Vec3): PixelArray {
  const bytes = data.byteLength;
  const count = kernelSize[0] * kernelSize[1] * kernelSize[2];
  const [src, dst, scratch] = k.layout([bytes, bytes, count * (8 + 16 + 4) + 16]);
  k.write(src!, data);
  k.exports[`median_${suffixOf(data)}`](src!, dst!, dims[0], dims[1], dims[2], kernelSize[0], kernelSize[1], kernelSize[2], scratch!);
  return k.read(data, dst!, data.length);
}

/** Per position along an axis of length n, the clipped kernel at its slot t + radius. */
function weightTable(std: number, radius: number, n: number): Float64Array {
  const width = 2 * radius + 1;
  const table = new Float64Array(n * width);
  for (let a = 0; a < n; a++) {
    const from = Math.max(-radius, -a);
    table.set(clippedKernel(std, from, Math.min(radius, n - 1 - a)), a * width + from + radius);
  }
  return table;
}

export function gaussianVtkKernel(k: KernelInstance, data: PixelArray, dims: Vec3, std: number, radiusFactor: number): PixelArray {
  const radius = Math.trunc(std * radiusFactor);
  const bytes = data.byteLength;
  const tables = dims.map((n) => weightTable(std, radius, n));
  const [a, b, w0, w1, w2] = k.layout([bytes, bytes, ...tables.map((t) => t.byteLength)]);
  k.write(a!, data);
  const weights = [w0!, w1!, w2!];
  tables.forEach((t, axis) => k.write(weights[axis]!, t));
  const pass = k.exports[`gaussian_${suffixOf(data)}`];
  // VTK's order: along k, then j, then i; each pass stores into the voxel type.
  pass(a!, b!, dims[0], dims[1], dims[2], 2, radius, weights[2]!);
  pass(b!, a!, dims[0], dims[1], dims[2], 1, radius, weights[1]!);
  pass(a!, b!, dims[0], dims[1], dims[2], 0, radius, weights[0]!);
  return k.read(data, b!, data.length);
}

/** The identity of max (the type's lowest value) or min (its highest). */
function identityOf(data: PixelArray, max: boolean): number {
  if (data instanceof Float32Array || data instanceof Float64Array) return max ? -Infinity : Infinity;
  const bits = data.BYTES_PER_ELEMENT * 8;
  const signed = data instanceof Int8Array || data instanceof Int16Array || data instanceof Int32Array;
  if (signed) return max ? -(2 ** (bits - 1)) : 2 ** (bits - 1) - 1;
  return max ? 0 : 2 ** bits - 1;
}

export function morphologyKernel(k: KernelInstance, operation: MorphologyOperation, data: PixelArray, dims: Vec3, radius: Vec3, shape: ElementShape): PixelArray {
  const rows = structuringRows(radius, shape);
  const rowData = Int32Array.from(rows.flatMap((r) => [r.dy, r.dz, r.w]));
  const size = data.BYTES_PER_ELEMENT;
  const lanes = 16 / size;
  const pad = radius[0];
  const pitch = dims[0] + 2 * pad + lanes;
  const bytes = data.byteLength;
  const [src, dst, padded, acc, table] = k.layout([bytes, bytes, pitch * dims[1] * dims[2] * size, pitch * size + 16, rowData.byteLength]);
  k.write(src!, data);
  k.write(table!, rowData);
  const suffix = suffixOf(data);
  const step = (from: number, to: number, dilate: boolean): void => {
    const identity = identityOf(data, dilate);
    k.exports[`pad_${suffix}`](from, padded!, dims[0], dims[1], dims[2], pad, pitch, identity);
    k.exports[`morph_${suffix}`](padded!, to, dims[0], dims[1], dims[2], pad, pitch, table!, rows.length, dilate ? 1 : 0, identity, acc!);
  };
  if (operation === 'dilate' || operation === 'erode') {
    step(src!, dst!, operation === 'dilate');
  } else {
    const first = operation === 'close'; // close dilates first, open erodes first
    step(src!, dst!, first);
    step(dst!, dst!, !first);
  }
  return k.read(data, dst!, data.length);
}
