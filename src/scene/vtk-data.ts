/**
 * Volume and Mesh records as vtk.js data objects. The typed arrays are shared, not copied: the
 * scene only reads them, and an in-place mesh update relies on holding the same Float32Array.
 * (src/data/vtk-image.ts / vtk-polydata.ts were not there when the scene was written; these are
 * the few lines the scene needs.)
 */
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import vtkImageData from '@kitware/vtk.js/Common/DataModel/ImageData';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';

export function toVtkImage(volume: Volume): vtkImageData {
  const image = vtkImageData.newInstance();
  image.setDimensions(volume.dimensions);
  image.setSpacing(volume.spacing);
  image.setOrigin(volume.origin);
  image.setDirection(Float32Array.from(volume.direction));
  image.getPointData().setScalars(
    vtkDataArray.newInstance({ name: 'scalars', values: volume.data, numberOfComponents: volume.components }),
  );
  return image;
}

export function toVtkPolyData(mesh: Pick<Mesh, 'points' | 'polys' | 'lines'>): vtkPolyData {
  const poly = vtkPolyData.newInstance();
  poly.getPoints().setData(mesh.points, 3);
  poly.getPolys().setData(mesh.polys);
  if (mesh.lines) poly.getLines().setData(mesh.lines);
  return poly;
}

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
