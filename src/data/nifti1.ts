/**
 * A minimal NIfTI-1 (.nii, single file, little-endian, uncompressed) writer and reader for
 * handing voxels to command-line engines such as niimath. Only what such an engine needs goes
 * in: voxels, dimensions and voxel size, with a scaled-axes sform (no origin, no rotation).
 * The caller keeps the volume's origin and direction: a round trip through NIfTI's RAS
 * conventions would only put rounding (float32 srow) and sign flips (LPS vs RAS) at risk.
 * Full file IO (orientation, gzip, NIfTI-2, scaling) is volume.read (src/data/nifti-read.ts) and volume.write (nifti-write.ts).
 */
import { PIXEL_ARRAYS, pixelTypeOf, type PixelArray, type PixelType, type Vec3 } from './volume.ts';

const HEADER_BYTES = 348;
/** Header + the 4-byte extension flag: where the voxels start in a single-file .nii. */
const VOX_OFFSET = 352;

/** NIfTI-1 datatype codes of the pixel types a Volume may hold. */
const DATATYPE: Record<PixelType, number> = {
  uint8: 2,
  int16: 4,
  int32: 8,
  float32: 16,
  float64: 64,
  int8: 256,
  uint16: 512,
  uint32: 768,
};
const PIXEL_TYPE = new Map(Object.entries(DATATYPE).map(([type, code]) => [code, type as PixelType]));

export interface NiftiVoxels {
  data: PixelArray;
  dimensions: Vec3;
  spacing: Vec3;
}

/** Encodes scalar voxels as a NIfTI-1 .nii file (a fresh buffer; `data` is copied in). */
export function encodeNifti1({ data, dimensions, spacing }: NiftiVoxels): Uint8Array<ArrayBuffer> {
  const type = pixelTypeOf(data);
  const bytes = new Uint8Array(VOX_OFFSET + data.byteLength);
  const v = new DataView(bytes.buffer);
  v.setInt32(0, HEADER_BYTES, true); // sizeof_hdr
  bytes[38] = 'r'.charCodeAt(0); // regular: some readers insist
  v.setInt16(40, 3, true); // dim[0]: three axes
  for (let a = 0; a < 3; a++) v.setInt16(42 + 2 * a, dimensions[a]!, true);
  for (let a = 3; a < 7; a++) v.setInt16(42 + 2 * a, 1, true);
  v.setInt16(70, DATATYPE[type], true);
  v.setInt16(72, 8 * data.BYTES_PER_ELEMENT, true); // bitpix
  v.setFloat32(76, 1, true); // pixdim[0]: qfac
  for (let a = 0; a < 3; a++) v.setFloat32(80 + 4 * a, spacing[a]!, true);
  v.setFloat32(108, VOX_OFFSET, true);
  v.setFloat32(112, 1, true); // scl_slope: stored values are the values
  v.setFloat32(116, 0, true); // scl_inter
  bytes[123] = 10; // xyzt_units: mm, s
  v.setInt16(252, 0, true); // qform_code: none
  v.setInt16(254, 2, true); // sform_code: aligned (a scaled-axes frame)
  // srow_x/y/z (280, 296, 312): diag(spacing), no offset.
  for (let a = 0; a < 3; a++) v.setFloat32(280 + 16 * a + 4 * a, spacing[a]!, true);
  bytes.set(new TextEncoder().encode('n+1\0'), 344);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), VOX_OFFSET);
  return bytes;
}

/** Thrown when an engine's .nii output is not what this reader takes. */
export class NiftiFormatError extends Error {
  override name = 'NiftiFormatError';
}

/**
 * Decodes a little-endian single-file NIfTI-1 as written by an engine (3-D, scalar). Scaled
 * values (scl_slope other than 0 or 1, or an intercept) are refused rather than silently
 * returned raw: no engine output of ours should have them.
 */
export function decodeNifti1(file: Uint8Array): NiftiVoxels {
  if (file.byteLength < VOX_OFFSET) throw new NiftiFormatError(`NIfTI file of ${file.byteLength} bytes is shorter than its header`);
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (v.getInt32(0, true) !== HEADER_BYTES) throw new NiftiFormatError('not a little-endian NIfTI-1 file (sizeof_hdr is not 348)');
  const rank = v.getInt16(40, true);
  const dims = [1, 2, 3, 4, 5, 6, 7].map((a) => (a <= rank ? v.getInt16(40 + 2 * a, true) : 1));
  if (rank < 1 || rank > 7 || dims.some((d) => d < 1)) throw new NiftiFormatError(`bad NIfTI dimensions (${dims.slice(0, rank).join(' x ')})`);
  if (dims.slice(3).some((d) => d !== 1)) throw new NiftiFormatError(`expected a 3-D scalar volume, got ${dims.slice(0, rank).join(' x ')}`);
  const code = v.getInt16(70, true);
  const type = PIXEL_TYPE.get(code);
  if (!type) throw new NiftiFormatError(`unsupported NIfTI datatype ${code}`);
  const slope = v.getFloat32(112, true);
  const inter = v.getFloat32(116, true);
  if (!((slope === 0 || slope === 1) && inter === 0)) throw new NiftiFormatError(`scaled NIfTI values (scl_slope ${slope}, scl_inter ${inter})`);
  const offset = Math.max(VOX_OFFSET, Math.round(v.getFloat32(108, true)));
  const Ctor = PIXEL_ARRAYS[type];
  const count = dims[0]! * dims[1]! * dims[2]!;
  if (offset + count * Ctor.BYTES_PER_ELEMENT > file.byteLength) throw new NiftiFormatError('NIfTI file is shorter than its voxels');
  // A fresh, aligned buffer of its own, so the result can be moved to the page.
  const data = new Ctor(count);
  new Uint8Array(data.buffer).set(file.subarray(offset, offset + data.byteLength));
  const spacing = [0, 1, 2].map((a) => v.getFloat32(80 + 4 * a, true)) as Vec3;
  return { data, dimensions: [dims[0]!, dims[1]!, dims[2]!], spacing };
}
