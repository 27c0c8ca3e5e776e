/**
 * A look at a volume file's header before ITK reads it: sizes that are zero, negative or absurd
 * are refused here, by name, rather than left to an allocation failure inside the wasm module.
 * Only the ITK formats whose sizes sit in a simple text header are looked at (NRRD, MetaImage);
 * NIfTI and Analyze never reach ITK (src/data/nifti-read.ts checks their sizes itself), and any
 * header this cannot parse goes on to ITK's own checks.
 */
import { InputError } from '../../src/worker/index.ts';
import { MAX_DIMENSION, MAX_VOXELS } from '../../src/data/validate.ts';

export async function checkHeader(name: string, bytes: Uint8Array): Promise<void> {
  const lower = name.toLowerCase();
  let sizes: number[] | null = null;
  if (lower.endsWith('.nrrd') || lower.endsWith('.nhdr')) sizes = textSizes(bytes, /^sizes:\s*(.*)$/im);
  else if (lower.endsWith('.mha') || lower.endsWith('.mhd')) sizes = textSizes(bytes, /^DimSize\s*=\s*(.*)$/im);
  if (!sizes) return;
  if (sizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new InputError(name, `has a zero or negative dimension in its header (${sizes.join(' x ')})`);
  const voxels = sizes.reduce((a, b) => a * b, 1);
  if (sizes.some((s) => s > MAX_DIMENSION) || voxels > MAX_VOXELS) {
    throw new InputError(name, `has absurd dimensions in its header (${sizes.join(' x ')}): at most ${MAX_DIMENSION} per axis and ${MAX_VOXELS} voxels`);
  }
}

/** The numbers on a header line (NRRD `sizes:`, MetaImage `DimSize =`), from the first 64 KiB. */
function textSizes(bytes: Uint8Array, line: RegExp): number[] | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 65_536));
  const m = line.exec(head);
  if (!m) return null;
  const sizes = m[1]!.trim().split(/\s+/).map(Number);
  return sizes.length && sizes.every(Number.isFinite) ? sizes : null;
}
