/**
 * VTK's four cell arrays (verts, lines, polys, strips) folded into the two a Mesh holds: strips
 * become triangles, vertex cells are dropped. `rows` says which of the source's cells (VTK order:
 * verts, lines, polys, strips) each of the mesh's cells (lines, polys, strip triangles) came
 * from, so cell data can follow; null when nothing moved.
 */
import type { PixelArray } from './volume.ts';

export interface VtkCells {
  verts: Uint32Array;
  lines: Uint32Array;
  polys: Uint32Array;
  strips: Uint32Array;
}

export function cellCountOf(cells: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < cells.length; i += cells[i]! + 1) n++;
  return n;
}

export function foldCells(cells: VtkCells): { lines: Uint32Array; polys: Uint32Array; rows: number[] | null } {
  const nVerts = cellCountOf(cells.verts);
  const nLines = cellCountOf(cells.lines);
  const nPolys = cellCountOf(cells.polys);
  const triangles: number[] = [];
  const stripOf: number[] = [];
  const s = cells.strips;
  for (let i = 0, strip = 0; i < s.length; i += s[i]! + 1, strip++) {
    for (let t = 0; t + 2 < s[i]!; t++) {
      const [a, b, c] = [s[i + 1 + t]!, s[i + 2 + t]!, s[i + 3 + t]!];
      // Every other triangle of a strip is wound the other way round: swap to keep normals.
      triangles.push(3, ...(t % 2 === 0 ? [a, b, c] : [b, a, c]));
      stripOf.push(strip);
    }
  }
  let polys = cells.polys;
  if (triangles.length) {
    polys = new Uint32Array(cells.polys.length + triangles.length);
    polys.set(cells.polys);
    polys.set(triangles, cells.polys.length);
  }
  if (nVerts === 0 && cells.strips.length === 0) return { lines: cells.lines, polys, rows: null };
  const rows: number[] = [];
  for (let c = nVerts; c < nVerts + nLines + nPolys; c++) rows.push(c);
  for (const strip of stripOf) rows.push(nVerts + nLines + nPolys + strip);
  return { lines: cells.lines, polys, rows };
}

/** The tuples `rows` names, in that order (a new array of the same type). */
export function pickRows<T extends PixelArray>(values: T, rows: number[], components: number): T {
  const Ctor = values.constructor as new (length: number) => T;
  const out = new Ctor(rows.length * components);
  rows.forEach((r, i) => out.set(values.subarray(r * components, (r + 1) * components), i * components));
  return out;
}
