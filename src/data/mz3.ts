/**
 * Reads MZ3 meshes (Surfice's format, what niimath's -mesh writes): a 16-byte header (magic
 * "MZ", attribute bits, face count, vertex count, bytes to skip), then int32 triangles and
 * float32 xyz vertices, little-endian, optionally gzipped as a whole.
 */
export interface Mz3Mesh {
  /** xyz per vertex. */
  points: Float32Array<ArrayBuffer>;
  /** Three vertex indices per triangle. */
  triangles: Uint32Array<ArrayBuffer>;
}

export class Mz3FormatError extends Error {
  override name = 'Mz3FormatError';
}

const MAGIC = 0x5a4d; // "MZ" read as a little-endian uint16
const HAS_FACES = 1;
const HAS_VERTICES = 2;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips with the browser's own DecompressionStream (no library). */
export async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Parses an MZ3 file, gzipped or not. */
export async function readMz3(file: Uint8Array<ArrayBuffer>): Promise<Mz3Mesh> {
  const bytes = isGzip(file) ? await gunzip(file) : file;
  if (bytes.byteLength < 16) throw new Mz3FormatError(`MZ3 file of ${bytes.byteLength} bytes is shorter than its header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint16(0, true) !== MAGIC) throw new Mz3FormatError('not an MZ3 file (bad magic)');
  const attr = v.getUint16(2, true);
  const nFaces = v.getUint32(4, true);
  const nVerts = v.getUint32(8, true);
  const skip = v.getUint32(12, true);
  if (!(attr & HAS_VERTICES)) throw new Mz3FormatError('MZ3 file has no vertices');
  let at = 16 + skip;
  const faceBytes = attr & HAS_FACES ? nFaces * 12 : 0;
  if (at + faceBytes + nVerts * 12 > bytes.byteLength) throw new Mz3FormatError('MZ3 file is shorter than its faces and vertices');
  // Copies into fresh buffers: aligned, and movable to the page on their own.
  const triangles = new Uint32Array(faceBytes / 4);
  new Uint8Array(triangles.buffer).set(bytes.subarray(at, at + faceBytes));
  at += faceBytes;
  const points = new Float32Array(nVerts * 3);
  new Uint8Array(points.buffer).set(bytes.subarray(at, at + nVerts * 12));
  for (let i = 0; i < triangles.length; i++) {
    if (triangles[i]! >= nVerts) throw new Mz3FormatError(`MZ3 triangle ${Math.floor(i / 3)} names vertex ${triangles[i]}, but there are ${nVerts}`);
  }
  return { points, triangles };
}
