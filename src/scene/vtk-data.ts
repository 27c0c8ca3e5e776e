/**
 * Updating a mesh already on screen. (Volume and Mesh records become vtk.js data objects through
 * src/data/vtk-image.ts and vtk-polydata.ts, which share the typed arrays: the in-place update
 * below relies on the polydata holding the same Float32Array.)
 */
import type vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';

/** Replaces a polydata's point coordinates in place (same array, same actor). */
export function replacePoints(poly: vtkPolyData, next: Float32Array): void {
  const points = poly.getPoints();
  const data = points.getData() as Float32Array;
  if (data.length !== next.length) throw new RangeError(`mesh has ${data.length / 3} points, the update ${next.length / 3}`);
  data.set(next);
  // dataChange() refreshes the cached bounds and ranges; modified() alone leaves them stale.
  points.dataChange();
  poly.modified();
}
