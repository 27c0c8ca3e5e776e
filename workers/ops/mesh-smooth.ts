/**
 * Mesh smoothing with vtk.js's vtkWindowedSincPolyDataFilter (Taubin's windowed-sinc low-pass:
 * smooths without the shrinking of plain Laplacian smoothing), run in this worker on the mesh as
 * a vtkPolyData. Only the points move: cells and point/cell data come back as they went in.
 * vtk.js is imported by the first smoothing, not with the worker: a worker that only filters
 * volumes never loads it.
 */
import { defineOp, InputError } from '../../src/worker/index.ts';
import type { Mesh } from '../../src/data/mesh.ts';
import { cellCount } from '../../src/data/mesh.ts';
import { checkMesh } from '../../src/data/validate.ts';

export interface MeshSmoothInput {
  mesh: Mesh;
  /** Degree of the filter's polynomial (VTK default 20); more gives a sharper cut-off. */
  iterations?: number;
  /** Pass band in (0, 2) (VTK default 0.1); lower smooths more. Slicer uses 10^(-4 x factor). */
  passBand?: number;
  /** Keep sharp edges (dihedral angle above featureAngle) as edges (default false). */
  featureEdgeSmoothing?: boolean;
  /** Degrees (default 45). */
  featureAngle?: number;
  /** Degrees: an edge or boundary vertex bending more than this stays fixed (default 15). */
  edgeAngle?: number;
  /** Smooth the vertices on open boundaries too (default true). */
  boundarySmoothing?: boolean;
  /** Smooth vertices on non-manifold edges (default false). */
  nonManifoldSmoothing?: boolean;
  /**
   * Scale the mesh into a unit box while filtering (default true, as Slicer does): the
   * polynomial's coefficients are then well conditioned whatever the mesh's size in mm.
   */
  normalizeCoordinates?: boolean;
}

function checkNumber(value: unknown, label: string, ok: (v: number) => boolean, what: string): void {
  if (typeof value !== 'number' || !ok(value)) throw new InputError(label, `must be ${what} (got ${JSON.stringify(value)})`);
}

export const meshSmooth = defineOp(async (input: MeshSmoothInput, ctx): Promise<Mesh> => {
  const { mesh } = input;
  checkMesh(mesh);
  if (mesh.polys.length === 0 && !mesh.lines?.length) throw new InputError(`input.mesh (${mesh.name})`, 'has no polygons or lines to smooth');
  const iterations = input.iterations ?? 20;
  const passBand = input.passBand ?? 0.1;
  checkNumber(iterations, 'input.iterations', (v) => Number.isInteger(v) && v >= 0 && v <= 10_000, 'a whole number from 0 to 10000');
  checkNumber(passBand, 'input.passBand', (v) => v > 0 && v < 2, 'a number in (0, 2)');
  const featureAngle = input.featureAngle ?? 45;
  const edgeAngle = input.edgeAngle ?? 15;
  checkNumber(featureAngle, 'input.featureAngle', (v) => v >= 0 && v <= 180, 'an angle in degrees from 0 to 180');
  checkNumber(edgeAngle, 'input.edgeAngle', (v) => v >= 0 && v <= 180, 'an angle in degrees from 0 to 180');
  const points = mesh.points.length / 3;
  ctx.progress(0, `windowed sinc: ${iterations} iterations, pass band ${passBand}, ${points} points`);
  const [{ default: vtkWindowedSincPolyDataFilter }, { meshToVtkPolyData, vtkPolyDataToMesh }] = await Promise.all([
    import('@kitware/vtk.js/Filters/General/WindowedSincPolyDataFilter'),
    import('../../src/data/vtk-polydata.ts'),
  ]);
  ctx.throwIfCancelled();
  const filter = vtkWindowedSincPolyDataFilter.newInstance({
    numberOfIterations: iterations,
    passBand,
    featureAngle,
    edgeAngle,
    featureEdgeSmoothing: input.featureEdgeSmoothing ?? false,
    boundarySmoothing: input.boundarySmoothing ?? true,
    nonManifoldSmoothing: input.nonManifoldSmoothing ?? false,
    normalizeCoordinates: input.normalizeCoordinates ?? true,
  });
  filter.setInputData(meshToVtkPolyData(mesh));
  const out = vtkPolyDataToMesh(filter.getOutputData(), `${mesh.name} (smoothed)`);
  ctx.log(`smoothed ${points} points of ${cellCount(mesh.polys)} polygons`);
  ctx.progress(1);
  return out;
});
