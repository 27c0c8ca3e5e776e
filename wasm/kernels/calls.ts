/**
 * The wasm kernels called on whole volumes: lay out the buffers, copy the input in, run, copy
 * the output out, into the input's own array when the worker owns it (see KernelInstance.read):
 * callers hand over `data` and get the filtered voxels back, maybe in the same array.
 * Semantics are those of the TypeScript references in test/kernels/reference/.
 * Kernels run slice by slice; `onSlices(done, total)` is called after each slice (the ops check
 * for cancellation and report progress there; a throw stops the run).
 */
import type { PixelArray, Vec3 } from '../../src/data/volume.ts';
import { clippedKernel } from './gaussian-weights.ts';
import { structuringRows, type ElementShape, type MorphologyOperation } from './structuring.ts';
import { suffixOf, type KernelInstance } from './worker.ts';
import { isShared } from '../../src/core/transfer.ts';

export type SliceCallback = (done: number, total: number) => void;

/** Output slices [k0, k1) of a volume nz deep: a slab's own slices, or all of them. */
export type SliceRange = readonly [number, number];

/** Runs `run(k, k + 1)` for each slice k of `range`, `passes` times in all for the progress count. */
function bySlice(range: SliceRange, run: (k0: number, k1: number) => void, onSlices: SliceCallback | undefined, pass = 0, passes = 1): void {
  const [from, to] = range;
  for (let k = from; k < to; k++) {
    run(k, k + 1);
    onSlices?.(pass * (to - from) + k - from + 1, passes * (to - from));
  }
}

/** The output slices `range` as a fresh (or the input's own) array of `data`'s type. */
function readSlices(k: KernelInstance, data: PixelArray, at: number, dims: Vec3, range: SliceRange): PixelArray {
  const slice = dims[0] * dims[1];
  return k.read(data, at + range[0] * slice * data.BYTES_PER_ELEMENT, (range[1] - range[0]) * slice);
}

/**
 * Each kernel reads the whole of `data` (dims) and computes the output slices `range` only (all
 * by default): a slab of a split computes its own slices and reads its halo, without spending
 * time on halo outputs that would be thrown away.
 */
export function medianKernel(
  k: KernelInstance,
  data: PixelArray,
  dims: Vec3,
  kernelSize: Vec3,
  onSlices?: SliceCallback,
  range: SliceRange = [0, dims[2]],
): PixelArray {
  const bytes = data.byteLength;
  const count = kernelSize[0] * kernelSize[1] * kernelSize[2];
  // The 3 x 3 x 3 path also keeps 36 row buffers of x = -1..nx in whole vectors plus one, and 96 bytes (assembly/median.ts).
  const lanes = 16 / data.BYTES_PER_ELEMENT;
  const rowBuffers = 36 * (Math.floor((dims[0] + 1) / lanes) + 2) * 16 + 96 + 16;
  const [src, dst, scratch] = k.layout([bytes, bytes, count * (8 + 32 + 4) + 16 + (kernelSize.every((s) => s === 3) ? rowBuffers : 0)]);
  k.write(src!, data);
  const median = k.exports[`median_${suffixOf(data)}`];
  bySlice(range, (k0, k1) => median(src!, dst!, dims[0], dims[1], dims[2], kernelSize[0], kernelSize[1], kernelSize[2], scratch!, k0, k1), onSlices);
  return readSlices(k, data, dst!, dims, range);
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

/**
 * What the Gaussian's passes are given besides the voxels: the radius, the weight tables (x, y
 * and z) and the bytes of each of the two strips: 16 lines of doubles as long as the longest
 * axis, the first also the i pass's two edge strips (2r positions each), the second its row
 * widened to doubles followed by the sums of r edge outputs.
 */
export function gaussianPlan(dims: Vec3, std: number, radiusFactor: number): { radius: number; tables: Float64Array[]; strips: [number, number] } {
  const radius = Math.trunc(std * radiusFactor);
  const [nx, ny, nz] = dims;
  const tables = [weightTable(std, radius, nx), weightTable(std, radius, ny), weightTable(std, radius, nz)];
  const strip = 128 * Math.max(nx, ny, nz);
  return { radius, tables, strips: [Math.max(strip, 512 * radius), Math.max(strip, 8 * Math.ceil(nx / 16) * 16 + 128 * radius)] };
}

export function gaussianVtkKernel(
  k: KernelInstance,
  data: PixelArray,
  dims: Vec3,
  std: number,
  radiusFactor: number,
  onSlices?: SliceCallback,
  range: SliceRange = [0, dims[2]],
): PixelArray {
  const { radius, tables, strips } = gaussianPlan(dims, std, radiusFactor);
  const [nx, ny, nz] = dims;
  const [k0, k1] = range;
  // A radius of 0 weighs each voxel by exactly 1 (the kernel renormalised over one tap): for
  // integers 0 + 1 x v truncates back to v, so the three passes would only copy (the demo's
  // rf 0, a twentieth of its time). Floats run them: 0 + -0 is +0.
  if (radius === 0 && !(data instanceof Float32Array || data instanceof Float64Array)) {
    onSlices?.(1, 1);
    if (k0 === 0 && k1 === nz && !isShared(data.buffer)) return data;
    return data.slice(k0 * nx * ny, k1 * nx * ny);
  }
  const bytes = data.byteLength;
  const [src, dst, w0, w1, w2, a, b] = k.layout([bytes, bytes, ...tables.map((t) => t.byteLength), ...strips]);
  k.write(src!, data);
  const weights = [w0!, w1!, w2!];
  tables.forEach((t, axis) => k.write(weights[axis]!, t));
  const suffix = suffixOf(data);
  const passK = k.exports[`gaussk_${suffix}`];
  const passJI = k.exports[`gaussji_${suffix}`];
  // VTK's order: along k (row by row: each reads its column of slices once), then j and i slice
  // by slice, in place in the output while the slice is in cache. Only the k pass reads other
  // slices, so all passes run over the output slices alone.
  const total = ny + (k1 - k0);
  for (let j = 0; j < ny; j++) {
    passK(src!, dst!, nx, ny, nz, radius, weights[2]!, a!, b!, j, j + 1, k0, k1);
    onSlices?.(j + 1, total);
  }
  for (let z = k0; z < k1; z++) {
    passJI(dst!, nx, ny, radius, weights[1]!, weights[0]!, a!, b!, z);
    onSlices?.(ny + z - k0 + 1, total);
  }
  return readSlices(k, data, dst!, dims, range);
}

/** Above this, a large element runs without the ring of row extrema (each element row then costs its width). */
const ELEMENT_RING_BYTES = 256 * 2 ** 20;

/** The identity of max (the type's lowest value) or min (its highest). */
function identityOf(data: PixelArray, max: boolean): number {
  if (data instanceof Float32Array || data instanceof Float64Array) return max ? -Infinity : Infinity;
  const bits = data.BYTES_PER_ELEMENT * 8;
  const signed = data instanceof Int8Array || data instanceof Int16Array || data instanceof Int32Array;
  if (signed) return max ? -(2 ** (bits - 1)) : 2 ** (bits - 1) - 1;
  return max ? 0 : 2 ** bits - 1;
}

export function morphologyKernel(
  k: KernelInstance,
  operation: MorphologyOperation,
  data: PixelArray,
  dims: Vec3,
  radius: Vec3,
  shape: ElementShape,
  onSlices?: SliceCallback,
  range: SliceRange = [0, dims[2]],
): PixelArray {
  const rows = structuringRows(radius, shape);
  const rowData = Int32Array.from(rows.flatMap((r) => [r.dy, r.dz, r.w]));
  const size = data.BYTES_PER_ELEMENT;
  const lanes = 16 / size;
  const pad = radius[0];
  const pitch = dims[0] + 2 * pad + lanes;
  const bytes = data.byteLength;
  // Other elements than the box reuse each row's 1-D extrema of every half width (assembly/morphology.ts
  // runExtrema): a ring of 2 rz + 1 slices of rx + 1 planes, unless that would take more than
  // ELEMENT_RING_BYTES; it needs no padded copy of the volume. The box's padded buffer holds its
  // i-j reductions (boxIJ pads each row itself), the per-voxel fallback's the padded volume.
  const ring = 2 * radius[2] + 1;
  const ringBytes = ring * (radius[0] + 1) * pitch * dims[1] * size;
  const byRuns = shape !== 'box' && ringBytes <= ELEMENT_RING_BYTES;
  const [src, dst, padded, acc, table, slab, planes, pointers] = k.layout([
    bytes,
    bytes,
    byRuns ? 0 : pitch * dims[1] * dims[2] * size,
    pitch * size + 16,
    rowData.byteLength,
    shape === 'box' ? pitch * dims[1] * size : 0,
    byRuns ? ringBytes + 16 : 0,
    byRuns ? 4 * rows.length : 0,
  ]);
  k.write(src!, data);
  k.write(table!, rowData);
  const suffix = suffixOf(data);
  const passes = operation === 'dilate' || operation === 'erode' ? 1 : 2;
  // The slices within reach of `out` along k, clipped to the volume.
  const around = (out: SliceRange): SliceRange => [Math.max(0, out[0] - radius[2]), Math.min(dims[2], out[1] + radius[2])];
  const step = (from: number, to: number, dilate: boolean, order: number, out: SliceRange): void => {
    const identity = identityOf(data, dilate);
    if (shape === 'box') {
      // Separable (see boxIJ): each slice within reach reduced along i and j once (all before any
      // output is written, so `to` may be `from`), then along k per output slice.
      const ij = k.exports[`boxij_${suffix}`];
      const kz = k.exports[`boxk_${suffix}`];
      bySlice(around(out), (kk) => ij(from, padded!, dims[0], dims[1], pad, pitch, radius[0], radius[1], dilate ? 1 : 0, identity, slab!, acc!, kk), undefined);
      bySlice(out, (z) => kz(padded!, to, dims[0], dims[1], dims[2], pitch, radius[2], dilate ? 1 : 0, acc!, z), onSlices, order, passes);
      return;
    }
    if (byRuns) {
      const runs = k.exports[`runext_${suffix}`];
      const element = k.exports[`elem_${suffix}`];
      // Each slice's runs once, as the first output slice that reaches it comes up (ring slot kk % ring).
      let next = Math.max(0, out[0] - radius[2]);
      bySlice(
        out,
        (z) => {
          for (const last = Math.min(dims[2] - 1, z + radius[2]); next <= last; next++) {
            runs(from, planes!, dims[0], dims[1], pitch, radius[0], dilate ? 1 : 0, identity, next % ring, next);
          }
          element(planes!, to, dims[0], dims[1], dims[2], pad, pitch, radius[0], table!, rows.length, dilate ? 1 : 0, identity, pointers!, acc!, ring, z);
        },
        onSlices,
        order,
        passes,
      );
      return;
    }
    const padRows = k.exports[`pad_${suffix}`];
    const morph = k.exports[`morph_${suffix}`];
    bySlice(around(out), (k0, k1) => padRows(from, padded!, dims[0], dims[1], dims[2], pad, pitch, identity, k0, k1), undefined);
    bySlice(
      out,
      (k0, k1) => morph(padded!, to, dims[0], dims[1], dims[2], pad, pitch, table!, rows.length, dilate ? 1 : 0, identity, acc!, k0, k1),
      onSlices,
      order,
      passes,
    );
  };
  if (passes === 1) {
    step(src!, dst!, operation === 'dilate', 0, range);
  } else {
    // The second pass reads the first's output within its reach of `range`.
    const first = operation === 'close'; // close dilates first, open erodes first
    step(src!, dst!, first, 0, around(range));
    step(dst!, dst!, !first, 1, range);
  }
  return readSlices(k, data, dst!, dims, range);
}
