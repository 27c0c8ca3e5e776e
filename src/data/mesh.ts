/**
 * A surface mesh as a plain record, the shape vtk.js's vtkPolyData takes: float32 points and
 * VTK cell arrays ([n, i0, ..., i(n-1), n, ...]).
 */
import type { PixelArray } from './volume.ts';

export interface DataArray {
  values: PixelArray;
  components: number;
}

export interface Mesh {
  name: string;
  /** xyz per point, world coordinates (mm). */
  points: Float32Array;
  /** Polygons (triangles and others) as a VTK cell array. */
  polys: Uint32Array;
  /** Polylines as a VTK cell array. */
  lines?: Uint32Array;
  /** Named arrays, one tuple per point. */
  pointData?: Record<string, DataArray>;
  /** Named arrays, one tuple per cell, in VTK's cell order: lines first, then polys. */
  cellData?: Record<string, DataArray>;
}

/** Number of cells in a VTK cell array. */
export function cellCount(cells: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < cells.length; i += cells[i]! + 1) n++;
  return n;
}
