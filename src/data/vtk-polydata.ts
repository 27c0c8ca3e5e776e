/**
 * Mesh <-> vtk.js vtkPolyData. Both use VTK cell arrays, so points, cells and data arrays are
 * shared, not copied, going to vtk.js. Coming back, what our record cannot hold is converted:
 * float64 points become float32, triangle strips become triangles, vertex cells are dropped
 * (their cell-data tuples with them).
 */
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import type vtkCellArray from '@kitware/vtk.js/Common/Core/CellArray';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import type vtkDataSetAttributes from '@kitware/vtk.js/Common/DataModel/DataSetAttributes';
import { InputError } from '../core/errors.ts';
import { foldCells, pickRows } from './cells.ts';
import type { DataArray, Mesh } from './mesh.ts';
import { isPixelArray } from './validate.ts';

export function meshToVtkPolyData(mesh: Mesh): vtkPolyData {
  const poly = vtkPolyData.newInstance();
  poly.getPoints().setData(mesh.points, 3);
  poly.getPolys().setData(mesh.polys);
  if (mesh.lines) poly.getLines().setData(mesh.lines);
  addArrays(poly.getPointData(), mesh.pointData);
  addArrays(poly.getCellData(), mesh.cellData);
  return poly;
}

function addArrays(target: vtkDataSetAttributes, arrays: Record<string, DataArray> | undefined): void {
  for (const [name, { values, components }] of Object.entries(arrays ?? {})) {
    target.addArray(vtkDataArray.newInstance({ name, values, numberOfComponents: components }));
  }
}

export function vtkPolyDataToMesh(poly: vtkPolyData, name: string): Mesh {
  const raw = poly.getPoints().getData();
  const points = raw instanceof Float32Array ? raw : Float32Array.from(raw);
  const { lines, polys, rows } = foldCells({
    verts: cellsOf(poly.getVerts(), name),
    lines: cellsOf(poly.getLines(), name),
    polys: cellsOf(poly.getPolys(), name),
    strips: cellsOf(poly.getStrips(), name),
  });
  const mesh: Mesh = { name, points, polys };
  if (lines.length) mesh.lines = lines;
  const pointData = arraysOf(poly.getPointData(), null);
  if (pointData) mesh.pointData = pointData;
  const cellData = arraysOf(poly.getCellData(), rows);
  if (cellData) mesh.cellData = cellData;
  return mesh;
}

function cellsOf(cells: vtkCellArray, name: string): Uint32Array {
  const data = cells.getData() as ArrayLike<number>;
  if (data instanceof Uint32Array) return data;
  if (Array.from(data).some((v) => !(Number.isInteger(v) && v >= 0 && v <= 0xffffffff))) {
    throw new InputError(name, 'has a cell array with values that are not point ids');
  }
  return Uint32Array.from(data);
}

/** Named arrays of point or cell data; `rows` picks and orders the tuples (null: all, shared). */
function arraysOf(attributes: vtkDataSetAttributes, rows: number[] | null): Record<string, DataArray> | null {
  const out: Record<string, DataArray> = {};
  const n = attributes.getNumberOfArrays();
  for (let a = 0; a < n; a++) {
    const array = attributes.getArrayByIndex(a);
    if (!array) continue;
    const values = array.getData();
    if (!isPixelArray(values)) continue; // plain JS arrays and 64-bit integers have no place in our record
    const components = array.getNumberOfComponents();
    out[array.getName() || `array${a}`] = { values: rows ? pickRows(values, rows, components) : values, components };
  }
  return Object.keys(out).length ? out : null;
}
