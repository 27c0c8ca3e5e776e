/**
 * Mesh <-> itk-wasm Mesh. itk-wasm lists cells as [cell type, point count, ids...]; ours are VTK
 * cell arrays ([count, ids...]) split into polygons and lines.
 */
import type { Mesh as ItkMesh } from 'itk-wasm';
import { InputError } from '../core/errors.ts';
import type { Mesh } from './mesh.ts';

/** ITK cell types that matter here. */
const LINE = 1;
const TRIANGLE = 2;
const QUAD = 3;
const POLYGON = 4;

export function itkMeshToMesh(mesh: ItkMesh, name: string): Mesh {
  const d = mesh.meshType.dimension;
  if (!mesh.points || mesh.numberOfPoints === 0) throw new InputError(name, 'has no points');
  const points = new Float32Array(mesh.numberOfPoints * 3);
  const src = mesh.points as ArrayLike<number>;
  for (let p = 0; p < mesh.numberOfPoints; p++) for (let c = 0; c < 3; c++) points[3 * p + c] = c < d ? Number(src[p * d + c]) : 0;
  for (let i = 0; i < points.length; i++)
    if (!Number.isFinite(points[i]!)) throw new InputError(name, `point ${Math.floor(i / 3)} has a non-finite coordinate`);
  const raw = mesh.cells as ArrayLike<number | bigint> | null;
  let parsed: { polys: number[]; lines: number[] } | null;
  if (raw && typeof raw[0] === 'bigint') {
    // mesh-io's OBJ reader labels its cells int64 but fills them as uint32 (seen with 1.7.1):
    // read the buffer as uint32 when that parses, as 64-bit values otherwise.
    const view = raw as unknown as BigInt64Array;
    parsed = parseCells(
      new Uint32Array(view.buffer, view.byteOffset, Math.min(mesh.cellBufferSize, view.byteLength / 4)),
      mesh.cellBufferSize,
      mesh.numberOfPoints,
    );
    parsed ??= parseCells(Array.from(view, Number), mesh.cellBufferSize, mesh.numberOfPoints);
  } else {
    parsed = parseCells((raw ?? []) as ArrayLike<number>, mesh.cellBufferSize, mesh.numberOfPoints);
  }
  if (!parsed) throw new InputError(name, 'its cell list is corrupt (a cell runs past the end or names a point that does not exist)');
  const { polys, lines } = parsed;
  const out: Mesh = { name, points, polys: new Uint32Array(polys) };
  if (lines.length) out.lines = new Uint32Array(lines);
  return out;
}

export function meshToItkMesh(mesh: Mesh): ItkMesh {
  const cells: number[] = [];
  let numberOfCells = 0;
  for (let i = 0; i < mesh.polys.length; i += mesh.polys[i]! + 1) {
    const n = mesh.polys[i]!;
    cells.push(n === 3 ? TRIANGLE : n === 4 ? QUAD : POLYGON, n, ...mesh.polys.subarray(i + 1, i + 1 + n));
    numberOfCells++;
  }
  const lines = mesh.lines ?? new Uint32Array(0);
  for (let i = 0; i < lines.length; i += lines[i]! + 1) {
    const n = lines[i]!;
    cells.push(LINE, n, ...lines.subarray(i + 1, i + 1 + n));
    numberOfCells++;
  }
  return {
    meshType: {
      dimension: 3,
      pointComponentType: 'float32',
      pointPixelComponentType: 'float32',
      pointPixelType: 'Scalar',
      pointPixelComponents: 0,
      cellComponentType: 'uint32',
      cellPixelComponentType: 'float32',
      cellPixelType: 'Scalar',
      cellPixelComponents: 0,
    },
    name: mesh.name,
    numberOfPoints: mesh.points.length / 3,
    points: mesh.points,
    numberOfPointPixels: 0,
    pointData: null,
    numberOfCells,
    cells: new Uint32Array(cells),
    cellBufferSize: cells.length,
    numberOfCellPixels: 0,
    cellData: null,
  } as unknown as ItkMesh;
}

/** Splits an itk-wasm cell buffer into VTK polygon and line arrays; null when it does not parse. */
function parseCells(cells: ArrayLike<number>, size: number, numberOfPoints: number): { polys: number[]; lines: number[] } | null {
  const polys: number[] = [];
  const lines: number[] = [];
  if (cells.length < size) return null;
  for (let i = 0; i < size;) {
    const type = Number(cells[i]);
    const n = Number(cells[i + 1]);
    if (!(n >= 0) || i + 2 + n > size) return null;
    const ids = Array.from({ length: n }, (_, k) => Number(cells[i + 2 + k]));
    if (ids.some((id) => !(id >= 0 && id < numberOfPoints))) return null;
    if (type === LINE) lines.push(n, ...ids);
    else if (type === TRIANGLE || type === QUAD || type === POLYGON) polys.push(n, ...ids);
    i += 2 + n;
  }
  return { polys, lines };
}
