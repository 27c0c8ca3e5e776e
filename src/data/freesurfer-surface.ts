/**
 * FreeSurfer triangle surfaces (lh.pial, rh.white, ...: told by their magic bytes, not a name),
 * read as nibabel's `read_geometry`: big-endian, a two-line creation stamp, then vertex and face
 * counts checked against the file size before anything is allocated. Points are kept as stored
 * (FreeSurfer's surface RAS, mm), as nibabel gives them.
 */
import { FileDamagedError, FileUnsupportedError } from '../core/errors.ts';
import { fmt } from './nifti-header.ts';
import type { Mesh } from './mesh.ts';

const TRIANGLE_MAGIC = [0xff, 0xff, 0xfe];
const QUAD_MAGICS = [
  [0xff, 0xff, 0xff],
  [0xff, 0xff, 0xfd],
];

export function isFreeSurferSurface(bytes: Uint8Array): boolean {
  return [TRIANGLE_MAGIC, ...QUAD_MAGICS].some((m) => m.every((b, i) => bytes[i] === b));
}

export function readFreeSurferSurface(name: string, bytes: Uint8Array): Mesh {
  if (QUAD_MAGICS.some((m) => m.every((b, i) => bytes[i] === b)))
    throw new FileUnsupportedError(name, 'is a FreeSurfer quad surface (an old format); only triangle surfaces are read here');
  if (!TRIANGLE_MAGIC.every((b, i) => bytes[i] === b))
    throw new FileDamagedError(name, 'does not start with the FreeSurfer triangle-surface magic bytes (FF FF FE)');
  // The stamp: "created by ... on ...\n", then one more line (nibabel reads two).
  let at = 3;
  for (let lines = 0; lines < 2; lines++) {
    const nl = bytes.indexOf(0x0a, at);
    if (nl < 0) throw new FileDamagedError(name, 'ends inside its creation stamp (truncated)');
    at = nl + 1;
  }
  if (at + 8 > bytes.length) throw new FileDamagedError(name, `ends at byte ${fmt(bytes.length)}, before its vertex and face counts`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vertices = view.getInt32(at, false);
  const faces = view.getInt32(at + 4, false);
  at += 8;
  const need = at + 12 * vertices + 12 * faces;
  if (vertices < 0 || faces < 0) throw new FileDamagedError(name, `claims ${fmt(vertices)} vertices and ${fmt(faces)} faces`);
  if (need > bytes.length) {
    throw new FileDamagedError(
      name,
      `claims ${fmt(vertices)} vertices and ${fmt(faces)} faces (${fmt(need)} bytes), but the file has ${fmt(bytes.length)} (truncated or damaged)`,
    );
  }
  const points = new Float32Array(3 * vertices);
  for (let i = 0; i < points.length; i++) points[i] = view.getFloat32(at + 4 * i, false);
  at += 12 * vertices;
  const polys = new Uint32Array(4 * faces);
  for (let f = 0; f < faces; f++) {
    polys[4 * f] = 3;
    for (let c = 0; c < 3; c++) {
      const id = view.getInt32(at + 12 * f + 4 * c, false);
      if (id < 0 || id >= vertices) throw new FileDamagedError(name, `face ${fmt(f)} names vertex ${fmt(id)}, but there are ${fmt(vertices)}`);
      polys[4 * f + 1 + c] = id;
    }
  }
  return { name, points, polys };
}
