/**
 * Wavefront OBJ geometry: `v` points, `f` polygons of any size (v, v/vt, v//vn, v/vt/vn),
 * `l` polylines, indices from 1 or negative (relative to the points so far). Texture
 * coordinates, normals, groups and materials are not geometry and are skipped.
 */
import { FileDamagedError } from '../core/errors.ts';
import { fmt } from './nifti-header.ts';
import type { Mesh } from './mesh.ts';

const SKIPPED = new Set(['vt', 'vn', 'vp', 'o', 'g', 's', 'mtllib', 'usemtl', 'cstype', 'deg', 'curv', 'surf', 'parm', 'end', 'p']);

export function readObj(name: string, bytes: Uint8Array): Mesh {
  const text = new TextDecoder('utf-8').decode(bytes);
  const points: number[] = [];
  const polys: number[] = [];
  const lines: number[] = [];
  const rows = text.split(/\r?\n|\r/);
  for (let n = 0; n < rows.length; n++) {
    let row = rows[n]!;
    // A trailing backslash continues the statement on the next line.
    while (row.endsWith('\\') && n + 1 < rows.length) row = row.slice(0, -1) + ' ' + rows[++n]!;
    const hash = row.indexOf('#');
    const words = (hash >= 0 ? row.slice(0, hash) : row).trim().split(/\s+/);
    const key = words[0]!;
    const where = `line ${fmt(n + 1)}`;
    if (key === '' || SKIPPED.has(key)) continue;
    if (key === 'v') {
      const xyz = words.slice(1, 4).map(Number);
      if (words.length < 4 || !xyz.every(Number.isFinite)) throw new FileDamagedError(name, `${where}: a vertex needs three numbers (found "${row.trim()}")`);
      points.push(...xyz);
    } else if (key === 'f' || key === 'l') {
      const count = points.length / 3;
      const ids = words.slice(1).map((w) => {
        const i = Number.parseInt(w.split('/')[0]!, 10);
        const id = i < 0 ? count + i : i - 1;
        if (!Number.isInteger(i) || i === 0 || id < 0 || id >= count) {
          throw new FileDamagedError(name, `${where}: "${w}" names no vertex (${fmt(count)} defined so far)`);
        }
        return id;
      });
      if (key === 'f') {
        if (ids.length < 3) throw new FileDamagedError(name, `${where}: a face needs at least 3 vertices`);
        polys.push(ids.length, ...ids);
      } else {
        if (ids.length < 2) throw new FileDamagedError(name, `${where}: a line needs at least 2 vertices`);
        lines.push(ids.length, ...ids);
      }
    } else {
      throw new FileDamagedError(name, `${where}: "${key}" is not an OBJ statement`);
    }
  }
  if (points.length === 0) throw new FileDamagedError(name, 'has no vertices (no "v" lines)');
  const mesh: Mesh = { name, points: new Float32Array(points), polys: new Uint32Array(polys) };
  if (lines.length) mesh.lines = new Uint32Array(lines);
  return mesh;
}
