/**
 * Mesh <-> itk-wasm PolyData (what @itk-wasm/mesh-to-poly-data and vtk.js's ITKHelper speak).
 * PolyData uses VTK cell arrays too, so points and cells are shared. It holds one point-data and
 * one cell-data array, without names: the mesh's first array of each goes across, and comes back
 * named `pointData` / `cellData` unless the PolyData's metadata names it.
 */
import type { PolyData } from 'itk-wasm';
import { InputError } from '../core/errors.ts';
import { foldCells, pickRows } from './cells.ts';
import type { DataArray, Mesh } from './mesh.ts';
import { isPixelArray } from './validate.ts';
import { pixelTypeOf } from './volume.ts';

const POINT_NAME = 'voxpool.pointDataName';
const CELL_NAME = 'voxpool.cellDataName';

export function meshToItkPolyData(mesh: Mesh): PolyData {
  const [pointName, pointArray] = Object.entries(mesh.pointData ?? {})[0] ?? [];
  const [cellName, cellArray] = Object.entries(mesh.cellData ?? {})[0] ?? [];
  const empty = new Uint32Array(0);
  const lines = mesh.lines ?? empty;
  const metadata = new Map<string, string>();
  if (pointName) metadata.set(POINT_NAME, pointName);
  if (cellName) metadata.set(CELL_NAME, cellName);
  return {
    polyDataType: {
      pointPixelComponentType: pointArray ? pixelTypeOf(pointArray.values) : 'float32',
      pointPixelType: pointArray && pointArray.components > 1 ? 'VariableLengthVector' : 'Scalar',
      pointPixelComponents: pointArray?.components ?? 0,
      cellPixelComponentType: cellArray ? pixelTypeOf(cellArray.values) : 'float32',
      cellPixelType: cellArray && cellArray.components > 1 ? 'VariableLengthVector' : 'Scalar',
      cellPixelComponents: cellArray?.components ?? 0,
    },
    name: mesh.name,
    numberOfPoints: mesh.points.length / 3,
    points: mesh.points,
    // Empty arrays, not null, as itk-wasm's own outputs have them (vtk.js's ITKHelper needs that).
    verticesBufferSize: 0,
    vertices: empty,
    linesBufferSize: lines.length,
    lines,
    polygonsBufferSize: mesh.polys.length,
    polygons: mesh.polys,
    triangleStripsBufferSize: 0,
    triangleStrips: empty,
    numberOfPointPixels: pointArray ? pointArray.values.length / pointArray.components : 0,
    pointData: pointArray?.values ?? null,
    numberOfCellPixels: cellArray ? cellArray.values.length / cellArray.components : 0,
    cellData: cellArray?.values ?? null,
    metadata,
  } as unknown as PolyData;
}

export function itkPolyDataToMesh(poly: PolyData, name: string): Mesh {
  if (!poly.points || poly.numberOfPoints === 0) throw new InputError(name, 'has no points');
  const points = poly.points instanceof Float32Array ? poly.points : Float32Array.from(poly.points as ArrayLike<number>);
  const cells = (a: Uint32Array | null, size: number): Uint32Array => (a ? a.subarray(0, size) : new Uint32Array(0));
  const { lines, polys, rows } = foldCells({
    verts: cells(poly.vertices, poly.verticesBufferSize),
    lines: cells(poly.lines, poly.linesBufferSize),
    polys: cells(poly.polygons, poly.polygonsBufferSize),
    strips: cells(poly.triangleStrips, poly.triangleStripsBufferSize),
  });
  const mesh: Mesh = { name, points, polys };
  if (lines.length) mesh.lines = lines;
  const t = poly.polyDataType;
  const meta = poly.metadata instanceof Map ? poly.metadata : new Map<string, unknown>();
  const pointData = dataArray(poly.pointData, t.pointPixelComponents, null);
  if (pointData) mesh.pointData = { [String(meta.get(POINT_NAME) ?? 'pointData')]: pointData };
  const cellData = dataArray(poly.cellData, t.cellPixelComponents, rows);
  if (cellData) mesh.cellData = { [String(meta.get(CELL_NAME) ?? 'cellData')]: cellData };
  return mesh;
}

function dataArray(values: unknown, components: number, rows: number[] | null): DataArray | null {
  if (!isPixelArray(values) || values.length === 0 || components < 1) return null;
  return { values: rows ? pickRows(values, rows, components) : values, components };
}
