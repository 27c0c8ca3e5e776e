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
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs } from '../specs.ts';

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

export const meshSmooth = defineOp(async (input: MeshSmoothInput, ctx): Promise<Mesh> => {
  const { mesh } = input;
  checkMesh(mesh);
  if (mesh.polys.length === 0 && !mesh.lines?.length) throw new InputError(`input.mesh (${mesh.name})`, 'has no polygons or lines to smooth');
  const { iterations, passBand, featureAngle, edgeAngle } = checkParams(builtinSpecs['mesh.smooth'], input);
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
