/**
 * NIfTI-1, NIfTI-2 and Analyze 7.5 headers, read field by field in either byte order, and the
 * voxel-to-world affine chosen exactly as nibabel chooses it (sform if its code is set, else
 * qform, else the Analyze/SPM origin), with nibabel's scaling rules. Pure: no voxels here.
 */

export type NiftiFlavour = 'nifti1' | 'nifti2' | 'analyze';

export interface NiftiHeader {
  flavour: NiftiFlavour;
  /** `n+1`/`n+2` (voxels in the same file) or `ni1`/`ni2`/Analyze (voxels in a .img). */
  singleFile: boolean;
  littleEndian: boolean;
  /** dim[0..7] as stored. */
  dim: number[];
  pixdim: number[];
  datatype: number;
  bitpix: number;
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  calMin: number;
  calMax: number;
  glMin: number;
  glMax: number;
  qformCode: number;
  sformCode: number;
  quatern: [number, number, number];
  qoffset: [number, number, number];
  srow: [number[], number[], number[]];
  /** SPM's originator field (Analyze only), 1-based voxel indices. */
  spmOrigin: [number, number, number];
}

/** Why a header could not be taken: `damaged` bytes, or a valid file of a kind not read here. */
export class NiftiHeaderError extends Error {
  override name = 'NiftiHeaderError';
  constructor(
    readonly kind: 'damaged' | 'unsupported',
    message: string,
  ) {
    super(message);
  }
}

const decoder = new TextDecoder('latin1');

/** What the first bytes say: a NIfTI-1/Analyze header (348), a NIfTI-2 header (540), or neither. */
export function sniffNifti(bytes: Uint8Array): { size: 348 | 540; littleEndian: boolean } | null {
  if (bytes.length < 4) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const littleEndian of [true, false]) {
    const size = v.getInt32(0, littleEndian);
    if (size === 348 || size === 540) return { size, littleEndian };
  }
  return null;
}

export function parseNiftiHeader(bytes: Uint8Array): NiftiHeader {
  const sniff = sniffNifti(bytes);
  if (!sniff)
    throw new NiftiHeaderError(
      'damaged',
      'does not start with a NIfTI or Analyze header (its first four bytes are not the header size 348 or 540, in either byte order)',
    );
  if (bytes.length < sniff.size) throw new NiftiHeaderError('damaged', `ends at byte ${fmt(bytes.length)}, inside its ${sniff.size}-byte header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = sniff.littleEndian;
  if (sniff.size === 540) {
    const magic = decoder.decode(bytes.subarray(4, 8));
    if (magic !== 'n+2\0' && magic !== 'ni2\0')
      throw new NiftiHeaderError('damaged', `has a 540-byte header but not the NIfTI-2 magic "n+2" or "ni2" (found ${JSON.stringify(magic)})`);
    const f64 = (o: number) => v.getFloat64(o, le);
    const i64 = (o: number) => Number(v.getBigInt64(o, le));
    return {
      flavour: 'nifti2',
      singleFile: magic === 'n+2\0',
      littleEndian: le,
      dim: range(8).map((i) => i64(16 + 8 * i)),
      pixdim: range(8).map((i) => f64(104 + 8 * i)),
      datatype: v.getInt16(12, le),
      bitpix: v.getInt16(14, le),
      voxOffset: i64(168),
      sclSlope: f64(176),
      sclInter: f64(184),
      calMax: f64(192),
      calMin: f64(200),
      glMin: 0,
      glMax: 0,
      qformCode: v.getInt32(344, le),
      sformCode: v.getInt32(348, le),
      quatern: [f64(352), f64(360), f64(368)],
      qoffset: [f64(376), f64(384), f64(392)],
      srow: [0, 1, 2].map((r) => range(4).map((c) => f64(400 + 32 * r + 8 * c))) as [number[], number[], number[]],
      spmOrigin: [0, 0, 0],
    };
  }
  const magic = decoder.decode(bytes.subarray(344, 348));
  const nifti = magic === 'n+1\0' || magic === 'ni1\0';
  const f32 = (o: number) => v.getFloat32(o, le);
  return {
    flavour: nifti ? 'nifti1' : 'analyze',
    singleFile: magic === 'n+1\0',
    littleEndian: le,
    dim: range(8).map((i) => v.getInt16(40 + 2 * i, le)),
    pixdim: range(8).map((i) => f32(76 + 4 * i)),
    datatype: v.getInt16(70, le),
    bitpix: v.getInt16(72, le),
    voxOffset: f32(108),
    sclSlope: f32(112),
    sclInter: f32(116),
    calMax: f32(124),
    calMin: f32(128),
    glMax: v.getInt32(140, le),
    glMin: v.getInt32(144, le),
    qformCode: nifti ? v.getInt16(252, le) : 0,
    sformCode: nifti ? v.getInt16(254, le) : 0,
    quatern: [f32(256), f32(260), f32(264)],
    qoffset: [f32(268), f32(272), f32(276)],
    srow: [0, 1, 2].map((r) => range(4).map((c) => f32(280 + 16 * r + 4 * c))) as [number[], number[], number[]],
    spmOrigin: [0, 1, 2].map((i) => v.getInt16(253 + 2 * i, le)) as [number, number, number],
  };
}

/** nibabel's data shape: dim[1..dim[0]]. */
export function shapeOf(h: NiftiHeader): number[] {
  const n = h.dim[0]!;
  if (!(n >= 1 && n <= 7)) throw new NiftiHeaderError('damaged', `has dim[0] = ${n}: the number of axes must be 1 to 7`);
  const shape = h.dim.slice(1, n + 1);
  if (shape.some((d) => !(d >= 1))) throw new NiftiHeaderError('damaged', `has a zero or negative dimension in its header (${shape.join(' x ')})`);
  return shape;
}

/**
 * Scale factors as nibabel applies them: NIfTI ignores a slope of 0 or not finite (and then the
 * intercept too) and refuses a non-finite intercept; SPM2 Analyze falls back to the gl/cal
 * ranges. `null` when the stored values are the values.
 */
export function slopeInter(h: NiftiHeader): { slope: number; inter: number } | null {
  let slope = h.sclSlope;
  let inter = h.sclInter;
  if (h.flavour === 'analyze') {
    if (Number.isFinite(slope) && slope !== 0) {
      if (!Number.isFinite(inter)) inter = 0;
    } else {
      const unscaled = h.glMax - h.glMin;
      const scaled = h.calMax - h.calMin;
      if (!(unscaled && scaled)) return null;
      slope = scaled / unscaled;
      inter = h.calMin - slope * h.glMin;
    }
  } else {
    if (slope === 0 || !Number.isFinite(slope)) return null;
    if (!Number.isFinite(inter)) throw new NiftiHeaderError('damaged', `has a valid scl_slope (${slope}) but an invalid scl_inter (${inter})`);
  }
  return slope === 1 && inter === 0 ? null : { slope, inter };
}

/** A 4x4 matrix as rows. */
export type Affine = number[][];

/** nibabel's `get_best_affine` (RAS+ world, mm) and which transform it came from. */
export function bestAffine(h: NiftiHeader): { affine: Affine; from: 'sform' | 'qform' | 'origin' } {
  if (h.flavour !== 'analyze' && h.sformCode !== 0) return { affine: [...h.srow.map((r) => [...r]), [0, 0, 0, 1]], from: 'sform' };
  if (h.flavour !== 'analyze' && h.qformCode !== 0) return { affine: qformAffine(h), from: 'qform' };
  return { affine: originAffine(h), from: 'origin' };
}

function qformAffine(h: NiftiHeader): Affine {
  const [b, c, d] = h.quatern;
  // nibabel's fillpositive: the quaternion is a unit one; a slightly negative w² is rounding.
  let w2 = 1 - (b * b + c * c + d * d);
  const threshold = h.flavour === 'nifti2' ? -2.220446049250313e-16 * 3 : -3.5762786865234375e-7;
  if (w2 < 0) {
    if (w2 < threshold) throw new NiftiHeaderError('damaged', `has a qform quaternion (b, c, d = ${b}, ${c}, ${d}) that is not a unit quaternion`);
    w2 = 0;
  }
  const a = Math.sqrt(w2);
  const R = quatToMatrix(a, b, c, d);
  const vox = h.pixdim.slice(1, 4);
  if (vox.some((x) => x < 0)) throw new NiftiHeaderError('damaged', `has negative voxel sizes (pixdim ${vox.join(', ')})`);
  const qfac = h.pixdim[0];
  if (qfac !== 1 && qfac !== -1) throw new NiftiHeaderError('damaged', `has qfac (pixdim[0]) ${qfac}; it must be 1 or -1`);
  vox[2] = vox[2]! * qfac;
  return [0, 1, 2].map((r) => [R[r]![0]! * vox[0]!, R[r]![1]! * vox[1]!, R[r]![2]! * vox[2]!, h.qoffset[r]!]).concat([[0, 0, 0, 1]]);
}

function quatToMatrix(w: number, x: number, y: number, z: number): number[][] {
  const n = w * w + x * x + y * y + z * z;
  if (n < 2.220446049250313e-16)
    return [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
  const s = 2 / n;
  const [X, Y, Z] = [x * s, y * s, z * s];
  const [wX, wY, wZ, xX, xY, xZ, yY, yZ, zZ] = [w * X, w * Y, w * Z, x * X, x * Y, x * Z, y * Y, y * Z, z * Z];
  return [
    [1 - (yY + zZ), xY - wZ, xZ + wY],
    [xY + wZ, 1 - (xX + zZ), yZ - wX],
    [xZ - wY, yZ + wX, 1 - (xX + yY)],
  ];
}

/**
 * No transform coded: NIfTI falls back to Analyze's (x flipped, origin at the centre), and
 * SPM Analyze uses its originator field when that is sensible (nibabel's `get_origin_affine`).
 */
function originAffine(h: NiftiHeader): Affine {
  const dims = [1, 2, 3].map((a) => (a <= h.dim[0]! ? h.dim[a]! : 1));
  const zooms = [1, 2, 3].map((a) => (a <= h.dim[0]! ? h.pixdim[a]! : 1));
  zooms[0] = -zooms[0]!;
  let origin = dims.map((d) => (d - 1) / 2);
  if (h.flavour === 'analyze') {
    const o = h.spmOrigin;
    if (o.some((x) => x !== 0) && o.every((x, i) => x > -dims[i]! && x < 2 * dims[i]!)) origin = o.map((x) => x - 1);
  }
  return [0, 1, 2].map((r) => [r === 0 ? zooms[0]! : 0, r === 1 ? zooms[1]! : 0, r === 2 ? zooms[2]! : 0, -origin[r]! * zooms[r]!]).concat([[0, 0, 0, 1]]);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** 8192 as "8,192": sizes in messages are read by people. */
export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
