/**
 * A volume as a NIfTI-1 file (.nii, or .nii.gz), written so nibabel and our reader
 * (nifti-read.ts) read back the same grid: the sform is the volume's own LPS geometry turned
 * into NIfTI's RAS, the qform the same transform as a quaternion, the qform and sform codes the
 * ones the volume was read with. Voxels go as they are held, or (`as-read`) back as the scaled
 * integers a file stored them as, with its slope and intercept, when every value is exactly one.
 * Scalar volumes only; the caller sends vector volumes to ITK.
 */
import { bestAffine, parseNiftiHeader } from './nifti-header.ts';
import { PIXEL_ARRAYS, pixelTypeOf, type PixelArray, type PixelType, type Volume } from './volume.ts';

/** `values`: the voxels as held (a scaled read is float64); `as-read`: as the file stored them. */
export type NiftiStorage = 'values' | 'as-read';

/** Why a volume cannot be written as asked; `field` names the input at fault. */
export class NiftiWriteError extends Error {
  override name = 'NiftiWriteError';
  constructor(
    readonly field: 'volume' | 'storage',
    message: string,
  ) {
    super(message);
  }
}

const HEADER_BYTES = 348;
/** Header + the 4-byte extension flag: where the voxels start in a single-file .nii. */
const VOX_OFFSET = 352;
/** dim[] is int16 in NIfTI-1. */
const MAX_NIFTI1_DIM = 32_767;
const DATATYPE: Record<PixelType, number> = { uint8: 2, int16: 4, int32: 8, float32: 16, float64: 64, int8: 256, uint16: 512, uint32: 768 };
const RANGE: Partial<Record<PixelType, [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
};
/** Written when the volume has no codes of its own: what ITK wrote (scanner, for both). */
const DEFAULT_CODES = { qform: 1, sform: 1 };
/** NIFTI_XFORM_ALIGNED_ANAT: the least a transform can claim about its space. */
const ALIGNED = 2;

export async function writeNifti(volume: Volume, options: { gzip: boolean; storage?: NiftiStorage }): Promise<Uint8Array<ArrayBuffer>> {
  const plain = encodeNifti(volume, options.storage ?? 'values');
  if (!options.gzip) return plain;
  const zipped = await new Response(new Blob([plain]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
  return new Uint8Array(zipped);
}

export function encodeNifti(volume: Volume, storage: NiftiStorage): Uint8Array<ArrayBuffer> {
  if (volume.components !== 1) throw new NiftiWriteError('volume', `has ${volume.components} components per voxel; this NIfTI writer takes scalar volumes`);
  volume.dimensions.forEach((d, a) => {
    if (d > MAX_NIFTI1_DIM)
      throw new NiftiWriteError('volume', `has ${d} voxels along ${'ijk'[a]}, more than NIfTI-1's ${MAX_NIFTI1_DIM.toLocaleString('en-US')} per axis`);
  });
  const { data, slope, inter } = storage === 'as-read' ? stored(volume) : { data: volume.data, slope: 1, inter: 0 };
  const type = pixelTypeOf(data);
  const bytes = new Uint8Array(VOX_OFFSET + data.byteLength);
  const v = new DataView(bytes.buffer);
  v.setInt32(0, HEADER_BYTES, true);
  bytes[38] = 'r'.charCodeAt(0); // "regular": some old readers insist
  v.setInt16(40, 3, true);
  for (let a = 1; a <= 7; a++) v.setInt16(40 + 2 * a, a <= 3 ? volume.dimensions[a - 1]! : 1, true);
  v.setInt16(70, DATATYPE[type], true);
  v.setInt16(72, 8 * data.BYTES_PER_ELEMENT, true);
  for (let a = 1; a <= 7; a++) v.setFloat32(76 + 4 * a, a <= 3 ? volume.spacing[a - 1]! : 1, true);
  v.setFloat32(108, VOX_OFFSET, true);
  v.setFloat32(112, slope, true);
  v.setFloat32(116, inter, true);
  bytes[123] = 2 | 8; // xyzt_units: mm, seconds
  bytes.set(new TextEncoder().encode('voxpool'), 148); // descrip

  // RAS affine columns: the LPS axes and origin with x and y negated.
  const ras = (x: number, r: number) => (r < 2 ? -x : x);
  const cols = [0, 1, 2].map((c) => [0, 1, 2].map((r) => ras(volume.direction[3 * c + r]!, r)));
  const origin = [0, 1, 2].map((r) => ras(volume.origin[r]!, r));
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) v.setFloat32(280 + 16 * r + 4 * c, cols[c]![r]! * volume.spacing[c]!, true);
    v.setFloat32(280 + 16 * r + 12, origin[r]!, true);
  }
  // qform: a proper rotation, the handedness in qfac (pixdim[0]).
  const qfac = det(cols) < 0 ? -1 : 1;
  const [b, c, d] = quaternion(
    cols[0]!,
    cols[1]!,
    cols[2]!.map((x) => x * qfac),
  );
  v.setFloat32(76, qfac, true);
  [b, c, d].forEach((q, i) => v.setFloat32(256 + 4 * i, q, true));
  origin.forEach((o, i) => v.setFloat32(268 + 4 * i, o, true));
  bytes.set(new TextEncoder().encode('n+1\0'), 344);

  const codes = volume.niftiCodes ?? DEFAULT_CODES;
  setCodes(v, codes.qform, codes.sform);
  // Both codes unset sends readers to the Analyze fallback grid (centred, from pixdim only):
  // kept only when that is this volume's grid, else the sform is marked as aligned.
  if (codes.qform === 0 && codes.sform === 0 && !fallbackMatches(bytes, cols, origin, volume.spacing)) setCodes(v, 0, ALIGNED);

  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), VOX_OFFSET);
  return bytes;
}

function setCodes(v: DataView, qform: number, sform: number): void {
  v.setInt16(252, qform, true);
  v.setInt16(254, sform, true);
}

/** The stored integers and scale factors the volume was read with, or why they cannot be had. */
function stored(volume: Volume): { data: PixelArray; slope: number; inter: number } {
  const s = volume.niftiScaling;
  if (!s) return { data: volume.data, slope: 1, inter: 0 };
  const label = `"${volume.name}"`;
  if (Math.fround(s.slope) !== s.slope || Math.fround(s.inter) !== s.inter) {
    throw new NiftiWriteError(
      'storage',
      `${label} was read with a slope of ${s.slope} and an intercept of ${s.inter}, which NIfTI-1's 32-bit header fields cannot hold exactly: write it as values`,
    );
  }
  const range = RANGE[s.datatype];
  if (!range || !(s.slope !== 0 && Number.isFinite(s.slope) && Number.isFinite(s.inter))) {
    throw new NiftiWriteError('storage', `${label} has no integer storage to write back (${s.datatype}, slope ${s.slope}, intercept ${s.inter})`);
  }
  const out = new PIXEL_ARRAYS[s.datatype](volume.data.length);
  const [nx, ny] = volume.dimensions;
  for (let i = 0; i < volume.data.length; i++) {
    const value = volume.data[i]!;
    const q = Math.round((value - s.inter) / s.slope);
    // Exact the way the reader computes it: stored * slope + inter in float64.
    if (!(q >= range[0] && q <= range[1] && q * s.slope + s.inter === value)) {
      const at = `${i % nx}, ${Math.floor(i / nx) % ny}, ${Math.floor(i / (nx * ny))}`;
      throw new NiftiWriteError(
        'storage',
        `${label} cannot be written as read (${s.datatype} times ${s.slope} plus ${s.inter}): the voxel at i, j, k = ${at} holds ${value}, which no ${s.datatype} value gives; write it as values`,
      );
    }
    out[i] = q;
  }
  return { data: out, slope: s.slope, inter: s.inter };
}

function det(m: number[][]): number {
  const [a, b, c] = m as [number[], number[], number[]];
  return a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) - b[0]! * (a[1]! * c[2]! - a[2]! * c[1]!) + c[0]! * (a[1]! * b[2]! - a[2]! * b[1]!);
}

/**
 * The unit quaternion (b, c, d; a >= 0 implied) of the rotation whose columns are i, j, k, by
 * the NIfTI-1 reference's branches (the largest diagonal term divides, for stability).
 */
function quaternion(i: number[], j: number[], k: number[]): [number, number, number] {
  const r = (row: number, col: number) => [i, j, k][col]![row]!;
  const trace = r(0, 0) + r(1, 1) + r(2, 2) + 1;
  let a: number, b: number, c: number, d: number;
  if (trace > 0.5) {
    a = 0.5 * Math.sqrt(trace);
    b = (0.25 * (r(2, 1) - r(1, 2))) / a;
    c = (0.25 * (r(0, 2) - r(2, 0))) / a;
    d = (0.25 * (r(1, 0) - r(0, 1))) / a;
  } else {
    const xd = 1 + r(0, 0) - (r(1, 1) + r(2, 2));
    const yd = 1 + r(1, 1) - (r(0, 0) + r(2, 2));
    const zd = 1 + r(2, 2) - (r(0, 0) + r(1, 1));
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r(0, 1) + r(1, 0))) / b;
      d = (0.25 * (r(0, 2) + r(2, 0))) / b;
      a = (0.25 * (r(2, 1) - r(1, 2))) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r(0, 1) + r(1, 0))) / c;
      d = (0.25 * (r(1, 2) + r(2, 1))) / c;
      a = (0.25 * (r(0, 2) - r(2, 0))) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r(0, 2) + r(2, 0))) / d;
      c = (0.25 * (r(1, 2) + r(2, 1))) / d;
      a = (0.25 * (r(1, 0) - r(0, 1))) / d;
    }
    if (a < 0) [b, c, d] = [-b, -c, -d];
  }
  return [b, c, d];
}

/** Whether the header's Analyze fallback affine (both codes 0) is the volume's own grid. */
function fallbackMatches(bytes: Uint8Array, cols: number[][], origin: number[], spacing: readonly number[]): boolean {
  const { affine } = bestAffine(parseNiftiHeader(bytes));
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-5 * Math.max(1, Math.abs(y));
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) if (!close(affine[r]![c]!, cols[c]![r]! * spacing[c]!)) return false;
    if (!close(affine[r]![3]!, origin[r]!)) return false;
  }
  return true;
}
