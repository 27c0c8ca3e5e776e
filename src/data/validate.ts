/**
 * Checks of Volume and Mesh records, done before anything costly (a wasm pipeline, a transfer):
 * each problem is an InputError naming the input, so the caller can tell the user's mistake
 * from a bug.
 */
import { InputError } from '../core/errors.ts';
import type { Mesh } from './mesh.ts';
import { PIXEL_ARRAYS, type PixelArray, type Volume } from './volume.ts';

/**
 * Largest extent along one axis, and largest voxel count, taken seriously. A header claiming
 * more is corrupt or hostile; a real volume this size would not fit in one worker's 4 GiB anyway.
 */
export const MAX_DIMENSION = 65_536;
export const MAX_VOXELS = 2 ** 31;
/** How far the direction's axes may stray from unit length and right angles (float32 headers). */
const ORTHONORMAL_TOLERANCE = 1e-3;

export function isPixelArray(data: unknown): data is PixelArray {
  return Object.values(PIXEL_ARRAYS).some((Ctor) => data instanceof Ctor);
}

/** Throws an InputError naming `label` unless the dimensions are three sane whole numbers. */
export function checkDimensions(dims: unknown, label: string): asserts dims is [number, number, number] {
  if (!Array.isArray(dims) || dims.length !== 3 || !dims.every((d) => Number.isInteger(d))) {
    throw new InputError(label, `dimensions must be three whole numbers (got ${JSON.stringify(dims)})`);
  }
  if (dims.some((d: number) => d <= 0)) throw new InputError(label, `has a zero or negative dimension (${dims.join(' x ')})`);
  if (dims.some((d: number) => d > MAX_DIMENSION) || dims[0] * dims[1] * dims[2] > MAX_VOXELS) {
    throw new InputError(label, `has absurd dimensions (${dims.join(' x ')}): at most ${MAX_DIMENSION} per axis and ${MAX_VOXELS} voxels`);
  }
}

/** Index of the first NaN in the array, or -1 (integer arrays have none). */
export function firstNaN(data: PixelArray): number {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return -1;
  for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) return i;
  return -1;
}

/** Throws an InputError naming `label` at the first NaN voxel, giving its i, j, k. */
export function refuseNaN(volume: Volume, label: string): void {
  const at = firstNaN(volume.data);
  if (at < 0) return;
  const voxel = Math.floor(at / volume.components);
  const [nx, ny] = volume.dimensions;
  const ijk = [voxel % nx, Math.floor(voxel / nx) % ny, Math.floor(voxel / (nx * ny))];
  throw new InputError(label, `has NaN voxels (the first at i, j, k = ${ijk.join(', ')})`);
}

/**
 * Checks a Volume: a supported pixel array, sane dimensions, as many values as dimensions x
 * components, finite positive spacing, finite origin and a direction close to orthonormal.
 * `label` names the input in the error (a file name, or `input.volume`).
 */
export function checkVolume(volume: Volume, label = 'input.volume'): void {
  if (!volume || typeof volume !== 'object') throw new InputError(label, 'is not a volume');
  const name = volume.name && volume.name !== label ? `${label} (${volume.name})` : label;
  if (!isPixelArray(volume.data)) {
    const data: unknown = volume.data;
    const kind = ArrayBuffer.isView(data) ? data.constructor.name : typeof data;
    throw new InputError(name, `has an unsupported pixel type (${kind}): int8 to int32, uint8 to uint32, float32 or float64`);
  }
  checkDimensions(volume.dimensions, name);
  if (!(Number.isInteger(volume.components) && volume.components >= 1 && volume.components <= 64)) {
    throw new InputError(name, `components must be a whole number from 1 to 64 (got ${String(volume.components)})`);
  }
  const [nx, ny, nz] = volume.dimensions;
  const expected = nx * ny * nz * volume.components;
  if (volume.data.length !== expected) {
    throw new InputError(name, `has ${volume.data.length} values but ${nx} x ${ny} x ${nz} x ${volume.components} needs ${expected}`);
  }
  if (!Array.isArray(volume.spacing) || volume.spacing.length !== 3 || !volume.spacing.every((s) => Number.isFinite(s) && s > 0)) {
    throw new InputError(name, `spacing must be three finite numbers > 0 (got ${JSON.stringify(volume.spacing)})`);
  }
  if (!Array.isArray(volume.origin) || volume.origin.length !== 3 || !volume.origin.every(Number.isFinite)) {
    throw new InputError(name, `origin must be three finite numbers (got ${JSON.stringify(volume.origin)})`);
  }
  checkDirection(volume.direction, name);
}

export function checkDirection(direction: ArrayLike<number>, label: string): void {
  const d = direction;
  if (!d || d.length !== 9 || !Array.from(d).every(Number.isFinite)) throw new InputError(label, 'direction must be nine finite numbers');
  for (let a = 0; a < 3; a++) {
    for (let b = a; b < 3; b++) {
      const dot = d[3 * a]! * d[3 * b]! + d[3 * a + 1]! * d[3 * b + 1]! + d[3 * a + 2]! * d[3 * b + 2]!;
      if (Math.abs(dot - (a === b ? 1 : 0)) > ORTHONORMAL_TOLERANCE) {
        throw new InputError(label, `direction is not orthonormal (axes ${a} and ${b}: dot product ${dot.toFixed(4)})`);
      }
    }
  }
}

/**
 * Checks a Mesh: float32 xyz points, all finite, and cell arrays whose cells stay inside the
 * array and name existing points.
 */
export function checkMesh(mesh: Mesh, label = 'input.mesh'): void {
  if (!mesh || typeof mesh !== 'object') throw new InputError(label, 'is not a mesh');
  const name = mesh.name && mesh.name !== label ? `${label} (${mesh.name})` : label;
  if (!(mesh.points instanceof Float32Array) || mesh.points.length % 3 !== 0) throw new InputError(name, 'points must be a Float32Array of xyz triples');
  if (mesh.points.length === 0) throw new InputError(name, 'has no points');
  for (let i = 0; i < mesh.points.length; i++) {
    if (!Number.isFinite(mesh.points[i]!)) throw new InputError(name, `point ${Math.floor(i / 3)} has a non-finite coordinate`);
  }
  checkCells(mesh.polys, mesh.points.length / 3, `${name} polys`);
  if (mesh.lines !== undefined) checkCells(mesh.lines, mesh.points.length / 3, `${name} lines`);
}

function checkCells(cells: Uint32Array, numberOfPoints: number, label: string): void {
  if (!(cells instanceof Uint32Array)) throw new InputError(label, 'must be a Uint32Array VTK cell array');
  for (let i = 0; i < cells.length;) {
    const n = cells[i]!;
    if (i + 1 + n > cells.length) throw new InputError(label, `the cell at ${i} runs past the end of the array`);
    for (let k = i + 1; k <= i + n; k++) {
      if (cells[k]! >= numberOfPoints) throw new InputError(label, `the cell at ${i} names point ${cells[k]}, but there are ${numberOfPoints}`);
    }
    i += n + 1;
  }
}
