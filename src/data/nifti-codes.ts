/**
 * A NIfTI file's qform and sform codes set after ITK wrote it. ITK writes both transforms from
 * the one direction matrix, so setting the codes changes which space they are said to be in
 * (scanner, aligned, MNI...), never the geometry; a code of 0 makes readers use the other one.
 * Both codes 0 would send readers to Analyze's fallback, a different grid: that is not written.
 */
import { inflateCapped, isGzip } from './inflate.ts';

export async function withNiftiCodes(file: Uint8Array, codes: { qform: number; sform: number }): Promise<Uint8Array<ArrayBuffer>> {
  if (codes.qform === 0 && codes.sform === 0) return new Uint8Array(file);
  const gz = isGzip(file);
  const plain = gz ? (await inflateCapped(file, Number.MAX_SAFE_INTEGER)).bytes : new Uint8Array(file);
  const v = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  if (v.getInt32(0, true) === 348) {
    v.setInt16(252, codes.qform, true);
    v.setInt16(254, codes.sform, true);
  } else if (v.getInt32(0, true) === 540) {
    v.setInt32(344, codes.qform, true);
    v.setInt32(348, codes.sform, true);
  } else {
    return new Uint8Array(file);
  }
  if (!gz) return plain;
  const zipped = await new Response(new Blob([plain]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
  return new Uint8Array(zipped);
}
