/**
 * A voxel volume as a plain record: its buffer moves between threads without a copy, and it
 * converts exactly to and from itk-wasm Images and vtk.js vtkImageData (see the codecs).
 */

export type PixelArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

export type PixelType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

export type Vec3 = [number, number, number];

export interface Volume {
  /** For people: the file it came from, or what made it ("head phantom, smoothed r=5"). */
  name: string;
  /** Voxels, x fastest, then y, then z; components interleaved per voxel. */
  data: PixelArray;
  /** Voxels along i, j, k. */
  dimensions: Vec3;
  /** Millimetres between voxel centres along i, j, k. */
  spacing: Vec3;
  /** World (LPS, mm) position of the centre of voxel (0, 0, 0). */
  origin: Vec3;
  /**
   * Orientation as 9 numbers, vtk.js layout: [0..2] is the world direction of the i axis,
   * [3..5] of j, [6..8] of k. (itk-wasm stores the transpose: the codecs convert.)
   */
  direction: number[];
  /** Components per voxel (1 for a scalar image). */
  components: number;
  /**
   * The NIfTI qform and sform codes of the file it was read from (what space each transform
   * names: 1 scanner, 2 aligned, 3 Talairach, 4 MNI, 0 unset), kept so a NIfTI written from it
   * says the same. Absent for data that did not come from NIfTI.
   */
  niftiCodes?: { qform: number; sform: number };
  /**
   * How the NIfTI file it was read from stored its voxels when they were scaled integers
   * (value = stored * slope + inter), so they can be written back as stored. Absent otherwise.
   */
  niftiScaling?: { datatype: PixelType; slope: number; inter: number };
}

export const IDENTITY_DIRECTION: readonly number[] = Object.freeze([1, 0, 0, 0, 1, 0, 0, 0, 1]);

export function pixelTypeOf(data: PixelArray): PixelType {
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

export const PIXEL_ARRAYS = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

export function voxelCount(v: Pick<Volume, 'dimensions'>): number {
  return v.dimensions[0] * v.dimensions[1] * v.dimensions[2];
}

/**
 * Slices [k0, k1) of `volume` as a Volume of their own holding `data`, placed where they sit in
 * space (the origin moves k0 steps along the direction's k axis).
 */
export function sliceRange(volume: Volume, k0: number, k1: number, data: PixelArray): Volume {
  const d = volume.direction;
  const step = volume.spacing[2] * k0;
  return {
    ...volume,
    data,
    dimensions: [volume.dimensions[0], volume.dimensions[1], k1 - k0],
    spacing: [...volume.spacing],
    origin: [volume.origin[0] + step * d[6]!, volume.origin[1] + step * d[7]!, volume.origin[2] + step * d[8]!],
    direction: [...volume.direction],
  };
}
