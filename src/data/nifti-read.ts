/**
 * NIfTI-1, NIfTI-2 and Analyze 7.5 files (.nii, .nii.gz, .hdr + .img, gzipped or not) read as
 * nibabel reads them: the same affine (turned from RAS into our LPS), the same scaling (float64
 * whenever a slope or intercept applies, as nibabel's dataobj), NaN and Inf kept. Sizes the
 * header claims are checked against the bytes present and a memory budget before anything is
 * allocated or inflated. Of a 4-D file one frame is read (the first unless asked).
 */
import { FileDamagedError, FileUnsupportedError } from '../core/errors.ts';
import { bestAffine, fmt, NiftiHeaderError, parseNiftiHeader, shapeOf, slopeInter, sniffNifti, type NiftiHeader } from './nifti-header.ts';
import { inflateCapped, isGzip, MAX_DEFLATE_RATIO } from './inflate.ts';
import { pixelTypeOf, type PixelArray, type Vec3, type Volume } from './volume.ts';
import { MAX_DIMENSION, MAX_VOXELS } from './validate.ts';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** Largest voxel payload one read may allocate (a worker's ArrayBuffer, not its wasm heap). */
export const MAX_READ_BYTES = 2 ** 31 - 1;
/** How far a gzip stream may run on past what its header describes before it counts as a bomb. */
const GZIP_SLACK = 1 << 20;

/** NIfTI datatype codes: the scalar ones we hold, and the words for those we don't. */
const SCALAR: Record<number, { ctor: new (buffer: ArrayBuffer) => PixelArray; bytes: number }> = {
  2: { ctor: Uint8Array, bytes: 1 },
  4: { ctor: Int16Array, bytes: 2 },
  8: { ctor: Int32Array, bytes: 4 },
  16: { ctor: Float32Array, bytes: 4 },
  64: { ctor: Float64Array, bytes: 8 },
  256: { ctor: Int8Array, bytes: 1 },
  512: { ctor: Uint16Array, bytes: 2 },
  768: { ctor: Uint32Array, bytes: 4 },
};
const UNSUPPORTED: Record<number, string> = {
  1: '1-bit voxels',
  32: 'complex (complex64) voxels',
  128: 'RGB voxels',
  1024: '64-bit integer voxels',
  1280: '64-bit unsigned integer voxels',
  1536: '128-bit float voxels',
  1792: 'complex (complex128) voxels',
  2048: 'complex (complex256) voxels',
  2304: 'RGBA voxels',
};

/** Whether these bytes (inflated or not) start like a NIfTI/Analyze header. */
export function looksLikeNifti(bytes: Uint8Array): boolean {
  return sniffNifti(bytes) !== null;
}

export interface NiftiReadOptions {
  /** Which frame of a 4-D (or higher) file, from 0. */
  frame?: number;
}

/**
 * Reads `files`: one .nii/.nii.gz, or a .hdr (first) with its .img. Gzip is recognised by its
 * magic bytes, not the name: a server may already have inflated a .nii.gz.
 */
export async function readNifti(files: NamedBytes[], options: NiftiReadOptions = {}): Promise<Volume> {
  const headerFile = files[0]!;
  const label = headerFile.name;
  const gz = isGzip(headerFile.bytes);
  const headBytes = gz ? await inflateHead(headerFile) : headerFile.bytes;
  if (!gz && /\.gz$/i.test(label) && !sniffNifti(headBytes)) {
    throw new FileDamagedError(
      label,
      'is not gzip-compressed, as its .gz name says, and does not start with a NIfTI header either (a server may inflate a .gz, but these bytes are neither)',
    );
  }
  const h = header(label, headBytes);
  const shape = wrap(label, () => shapeOf(h));
  const type = SCALAR[h.datatype];
  if (!type) {
    const what = UNSUPPORTED[h.datatype];
    if (what) throw new FileUnsupportedError(label, `holds ${what} (NIfTI datatype ${h.datatype}), which are not supported`);
    throw new FileDamagedError(label, `has an unknown NIfTI datatype code ${h.datatype}`);
  }
  const [nx, ny, nz] = [shape[0] ?? 1, shape[1] ?? 1, shape[2] ?? 1];
  if (shape.some((d) => d > MAX_DIMENSION) || nx * ny * nz > MAX_VOXELS) {
    throw new FileUnsupportedError(
      label,
      `has absurd dimensions in its header (${shape.join(' x ')}): at most ${MAX_DIMENSION} per axis and ${MAX_VOXELS} voxels`,
    );
  }
  const frames = shape.slice(3).reduce((a, b) => a * b, 1);
  const frameBytes = nx * ny * nz * type.bytes;
  const dataBytes = frameBytes * frames;
  if (!Number.isSafeInteger(dataBytes) || frameBytes > MAX_READ_BYTES) {
    throw new FileUnsupportedError(
      label,
      `its header describes ${shape.join(' x ')} voxels (${bytesText(dataBytes)} per frame), more than one read may allocate (${bytesText(MAX_READ_BYTES)})`,
    );
  }
  const frame = options.frame ?? 0;
  if (!(Number.isInteger(frame) && frame >= 0 && frame < frames)) {
    throw new FileUnsupportedError(label, `has ${frames} frame${frames === 1 ? '' : 's'}; frame ${frame} was asked for (frames count from 0)`);
  }

  // Where the voxels are: after the header in a .nii, from vox_offset of the .img of a pair.
  let dataFile: NamedBytes;
  let offset = Math.round(h.voxOffset);
  if (h.singleFile || files.length === 1) {
    if (!h.singleFile && h.flavour !== 'analyze')
      throw new FileUnsupportedError(label, `has the magic of a .hdr/.img pair ("${h.flavour === 'nifti2' ? 'ni2' : 'ni1'}") but was given without its .img`);
    if (h.flavour === 'analyze' && files.length === 1)
      throw new FileUnsupportedError(label, 'is an Analyze 7.5 header: its voxels are in a .img file of the same name, which was not given with it');
    dataFile = headerFile;
    // nibabel moves a vox_offset inside the header to just after it (header + 4-byte extension flag).
    const minimum = h.flavour === 'nifti2' ? 544 : 352;
    if (!(offset >= minimum)) offset = minimum;
  } else {
    dataFile = files[1]!;
    if (!(offset >= 0)) offset = 0;
  }
  if (!Number.isSafeInteger(offset)) throw new FileDamagedError(label, `has a vox_offset (${h.voxOffset}) that is not a byte position`);
  const need = offset + dataBytes;
  let stored: Uint8Array;
  if (isGzip(dataFile.bytes)) {
    const most = dataFile.bytes.length * MAX_DEFLATE_RATIO;
    if (need > most) {
      throw new FileDamagedError(
        dataFile.name,
        `its header needs ${bytesText(need)} (voxels ending at byte ${fmt(need)}), but ${fmt(dataFile.bytes.length)} compressed bytes can hold at most ${bytesText(most)}: the file is truncated or its header is damaged`,
      );
    }
    const inflated = await inflateCapped(dataFile.bytes, need + GZIP_SLACK);
    if (inflated.more) {
      throw new FileDamagedError(
        dataFile.name,
        `inflates to more than ${bytesText(need + GZIP_SLACK)}, far past the ${bytesText(need)} its header describes: refused unread (damaged, or a decompression bomb)`,
      );
    }
    if (inflated.bytes.length < need) throw truncated(dataFile.name, offset, inflated.bytes.length, need, 'inflated ');
    stored = inflated.bytes;
  } else {
    if (dataFile.bytes.length < need) throw truncated(dataFile.name, offset, dataFile.bytes.length, need, '');
    stored = dataFile.bytes;
  }

  const start = offset + frame * frameBytes;
  const raw = new Uint8Array(frameBytes);
  raw.set(stored.subarray(start, start + frameBytes));
  if (!h.littleEndian && type.bytes > 1) swapBytes(raw, type.bytes);
  let data: PixelArray = new type.ctor(raw.buffer);
  const storedType = pixelTypeOf(data);
  const scale = wrap(label, () => slopeInter(h));
  if (scale) {
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i]! * scale.slope + scale.inter;
    data = out;
  }

  const geometry = wrap(label, () => lpsGeometry(h));
  return {
    name: frames > 1 ? `${label} (frame ${frame + 1} of ${frames})` : label,
    data,
    dimensions: [nx, ny, nz],
    ...geometry,
    components: 1,
    ...(h.flavour === 'analyze' ? {} : { niftiCodes: { qform: h.qformCode, sform: h.sformCode } }),
    ...(scale && !storedType.startsWith('float') ? { niftiScaling: { datatype: storedType, ...scale } } : {}),
  };
}

async function inflateHead(file: NamedBytes): Promise<Uint8Array> {
  const { bytes, broken } = await inflateCapped(file.bytes, 548);
  if (bytes.length < 348) {
    throw new FileDamagedError(
      file.name,
      broken
        ? `is gzip-compressed but its stream breaks off after ${fmt(bytes.length)} bytes, inside the header (${broken})`
        : `inflates to only ${fmt(bytes.length)} bytes, shorter than a NIfTI header`,
    );
  }
  return bytes;
}

function header(label: string, bytes: Uint8Array): NiftiHeader {
  return wrap(label, () => parseNiftiHeader(bytes));
}

function wrap<T>(label: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NiftiHeaderError) throw e.kind === 'damaged' ? new FileDamagedError(label, e.message) : new FileUnsupportedError(label, e.message);
    throw e;
  }
}

function truncated(name: string, offset: number, have: number, need: number, what: string): FileDamagedError {
  if (have <= offset)
    return new FileDamagedError(
      name,
      `its voxels start at byte ${fmt(offset)} (vox_offset), but the ${what}file ends at byte ${fmt(have)}: truncated, or a damaged vox_offset`,
    );
  return new FileDamagedError(name, `pixel data ends at byte ${fmt(have)} of the ${fmt(need)} its header needs (the ${what}file is truncated)`);
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size) {
    for (let lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
      const t = b[lo]!;
      b[lo] = b[hi]!;
      b[hi] = t;
    }
  }
}

/**
 * nibabel's affine in our terms: world LPS (x and y negated), spacing the column lengths,
 * direction the unit columns. A sheared affine has no such split and is refused.
 */
function lpsGeometry(h: NiftiHeader): Pick<Volume, 'spacing' | 'origin' | 'direction'> {
  const { affine, from } = bestAffine(h);
  const lps = affine.slice(0, 3).map((row, r) => row.map((x) => (r < 2 ? -x : x)));
  const spacing = [0, 1, 2].map((c) => Math.hypot(lps[0]![c]!, lps[1]![c]!, lps[2]![c]!)) as Vec3;
  const axis = 'ijk';
  spacing.forEach((s, c) => {
    if (!(s > 0) || !Number.isFinite(s))
      throw new NiftiHeaderError('damaged', `its ${from} gives a voxel size of ${s} along ${axis[c]}: voxel sizes must be finite and above 0`);
  });
  const direction: number[] = [];
  for (let c = 0; c < 3; c++) for (let r = 0; r < 3; r++) direction.push(lps[r]![c]! / spacing[c]!);
  for (let a = 0; a < 3; a++) {
    for (let b = a + 1; b < 3; b++) {
      const dot = direction[3 * a]! * direction[3 * b]! + direction[3 * a + 1]! * direction[3 * b + 1]! + direction[3 * a + 2]! * direction[3 * b + 2]!;
      if (Math.abs(dot) > 1e-3)
        throw new NiftiHeaderError(
          'unsupported',
          `its ${from} is sheared (axes ${axis[a]} and ${axis[b]} are not at right angles): a volume here needs a rotation and voxel sizes only`,
        );
    }
  }
  const origin = [lps[0]![3]!, lps[1]![3]!, lps[2]![3]!] as Vec3;
  return { spacing, origin, direction };
}

function bytesText(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${fmt(n)} bytes`;
}
