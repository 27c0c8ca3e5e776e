/**
 * A look at a volume file's header before ITK reads it: sizes that are zero, negative or absurd
 * are refused here, by name, rather than left to an allocation failure inside the wasm module.
 * Only the formats whose sizes sit in a simple header are looked at (NIfTI, NRRD, MetaImage);
 * anything else, and any header this cannot parse, goes on to ITK's own checks.
 */
import { InputError } from '../../src/worker/index.ts';
import { MAX_DIMENSION, MAX_VOXELS } from '../../src/data/validate.ts';

export async function checkHeader(name: string, bytes: Uint8Array): Promise<void> {
  const lower = name.toLowerCase();
  let sizes: number[] | null = null;
  if (lower.endsWith('.nii')) sizes = niftiSizes(bytes);
  else if (lower.endsWith('.nii.gz')) sizes = niftiSizes(await gunzipHead(name, bytes, 544));
  else if (lower.endsWith('.nrrd') || lower.endsWith('.nhdr')) sizes = textSizes(bytes, /^sizes:\s*(.*)$/im);
  else if (lower.endsWith('.mha')) sizes = textSizes(bytes, /^DimSize\s*=\s*(.*)$/im);
  if (!sizes) return;
  if (sizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new InputError(name, `has a zero or negative dimension in its header (${sizes.join(' x ')})`);
  const voxels = sizes.reduce((a, b) => a * b, 1);
  if (sizes.some((s) => s > MAX_DIMENSION) || voxels > MAX_VOXELS) {
    throw new InputError(name, `has absurd dimensions in its header (${sizes.join(' x ')}): at most ${MAX_DIMENSION} per axis and ${MAX_VOXELS} voxels`);
  }
}

/** dim[1..dim[0]] of a NIfTI-1 or NIfTI-2 header, either byte order; null if it is neither. */
function niftiSizes(h: Uint8Array): number[] | null {
  if (h.length < 348) return null;
  const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
  for (const little of [true, false]) {
    const size = view.getInt32(0, little);
    if (size === 348) {
      const n = view.getInt16(40, little);
      if (n < 1 || n > 7) return null;
      return Array.from({ length: n }, (_, i) => view.getInt16(42 + 2 * i, little));
    }
    if (size === 540 && h.length >= 540) {
      const n = Number(view.getBigInt64(16, little));
      if (n < 1 || n > 7) return null;
      return Array.from({ length: n }, (_, i) => Number(view.getBigInt64(24 + 8 * i, little)));
    }
  }
  return null;
}

/** The numbers on a header line (NRRD `sizes:`, MetaImage `DimSize =`), from the first 64 KiB. */
function textSizes(bytes: Uint8Array, line: RegExp): number[] | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 65_536));
  const m = line.exec(head);
  if (!m) return null;
  const sizes = m[1]!.trim().split(/\s+/).map(Number);
  return sizes.length && sizes.every(Number.isFinite) ? sizes : null;
}

/** The first `length` bytes of a gzip file, without unpacking the rest. */
async function gunzipHead(name: string, bytes: Uint8Array, length: number): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new InputError(name, 'is not gzip-compressed, as its .gz extension says');
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const out = new Uint8Array(length);
  let filled = 0;
  try {
    while (filled < length) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.length, length - filled);
      out.set(value.subarray(0, take), filled);
      filled += take;
    }
  } catch {
    // A corrupt stream: left for ITK to report in its own words (it may still read a prefix).
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return out.subarray(0, filled);
}
