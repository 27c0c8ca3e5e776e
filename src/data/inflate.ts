/**
 * Gzip inflated as a stream with a byte cap: a header that needs 16 KiB never lets a bomb under
 * it inflate to gigabytes, and a cut stream says how far it got instead of handing back zeros.
 * fflate (0.8.3, MIT) rather than the browser's DecompressionStream: that one stops at the end
 * of the first gzip member ("Junk found after end of compressed data"), and files written by
 * parallel gzip tools are several members, which zlib, Python's gzip and nibabel read whole.
 */
import { Gunzip } from 'fflate';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Deflate's best ratio is about 1032:1; a stream claiming more than this cannot hold it. */
export const MAX_DEFLATE_RATIO = 1032;

export interface Inflated {
  /** The first bytes of the stream, at most `cap`. */
  bytes: Uint8Array<ArrayBuffer>;
  /** The stream goes on past `cap`. */
  more: boolean;
  /** The stream ended early or is corrupt (`bytes` is what came out before). */
  broken: string | null;
}

/**
 * Compressed bytes go in in slices this small, the cap looked at after each: one 4 KiB slice
 * inflates to at most about 4 MiB.
 */
const SLICE = 4096;

/** Inflates at most `cap` bytes (and notices when the stream holds more). */
export async function inflateCapped(gz: Uint8Array, cap: number): Promise<Inflated> {
  const chunks: Uint8Array[] = [];
  let filled = 0;
  let more = false;
  let broken: string | null = null;
  const gunzip = new Gunzip((chunk) => {
    if (filled >= cap) {
      if (chunk.length > 0) more = true;
      return;
    }
    const take = Math.min(chunk.length, cap - filled);
    chunks.push(take === chunk.length ? chunk : chunk.subarray(0, take));
    filled += take;
    if (take < chunk.length) more = true;
  });
  try {
    for (let at = 0; at < gz.length && !more; at += SLICE) gunzip.push(gz.subarray(at, at + SLICE), at + SLICE >= gz.length);
  } catch (e) {
    broken = e instanceof Error && e.message ? e.message : 'the compressed stream is corrupt';
  }
  const bytes = new Uint8Array(filled);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes, more, broken };
}
