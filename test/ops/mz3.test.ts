/** The MZ3 reader (niimath's mesh output), plain and gzipped, on a mesh written by hand to the format's layout. */
import { describe, expect, it } from 'vitest';
import { Mz3FormatError, readMz3 } from '../../src/data/mz3.ts';

/** A tetrahedron: 4 faces, 4 vertices, after `skip` bytes of padding. */
function tetrahedron(skip = 0): Uint8Array<ArrayBuffer> {
  const faces = [0, 1, 2, 0, 3, 1, 0, 2, 3, 1, 3, 2];
  const verts = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1.5];
  const bytes = new Uint8Array(16 + skip + faces.length * 4 + verts.length * 4);
  const v = new DataView(bytes.buffer);
  v.setUint16(0, 0x5a4d, true);
  v.setUint16(2, 3, true); // faces and vertices
  v.setUint32(4, 4, true);
  v.setUint32(8, 4, true);
  v.setUint32(12, skip, true);
  faces.forEach((f, i) => v.setInt32(16 + skip + 4 * i, f, true));
  verts.forEach((x, i) => v.setFloat32(16 + skip + faces.length * 4 + 4 * i, x, true));
  return bytes;
}

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('MZ3 reader', () => {
  it('reads faces and vertices, plain, gzipped and after skipped bytes', async () => {
    for (const file of [tetrahedron(), await gzip(tetrahedron()), tetrahedron(8)]) {
      const mesh = await readMz3(file);
      expect([...mesh.triangles]).toEqual([0, 1, 2, 0, 3, 1, 0, 2, 3, 1, 3, 2]);
      expect([...mesh.points]).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1.5]);
    }
  });

  it('refuses a bad magic, a short file and faces naming missing vertices', async () => {
    const bad = tetrahedron();
    bad[0] = 0;
    await expect(readMz3(bad)).rejects.toThrow(/bad magic/);
    await expect(readMz3(tetrahedron().subarray(0, 40).slice())).rejects.toThrow(Mz3FormatError);
    const wrong = tetrahedron();
    new DataView(wrong.buffer).setInt32(16, 9, true);
    await expect(readMz3(wrong)).rejects.toThrow(/names vertex 9/);
  });
});
