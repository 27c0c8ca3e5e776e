/**
 * Volume <-> vtk.js vtkImageData. vtk.js keeps its direction in the same layout as ours (each
 * axis's world direction in turn, gl-matrix column-major), so it is copied as is, in float64 so
 * nothing is rounded. The voxel buffer is shared both ways, not copied.
 */
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import vtkImageData from '@kitware/vtk.js/Common/DataModel/ImageData';
import { InputError } from '../core/errors.ts';
import { isPixelArray } from './validate.ts';
import type { Vec3, Volume } from './volume.ts';

export function volumeToVtkImage(volume: Volume): vtkImageData {
  const image = vtkImageData.newInstance();
  image.setDimensions([...volume.dimensions]);
  image.setSpacing([...volume.spacing]);
  image.setOrigin([...volume.origin]);
  // Plain numbers (float64), not the typings' Float32Array option, so nothing is rounded.
  const d = volume.direction;
  image.setDirection([d[0]!, d[1]!, d[2]!, d[3]!, d[4]!, d[5]!, d[6]!, d[7]!, d[8]!]);
  image.getPointData().setScalars(vtkDataArray.newInstance({ name: 'scalars', values: volume.data, numberOfComponents: volume.components }));
  return image;
}

/**
 * The image's scalars as a Volume. An extent that does not start at 0 moves the origin to the
 * first voxel held, so every voxel keeps its world position.
 */
export function vtkImageToVolume(image: vtkImageData, name: string): Volume {
  const scalars = image.getPointData().getScalars();
  if (!scalars) throw new InputError(name, 'holds no scalars');
  const data = scalars.getData();
  if (!isPixelArray(data)) throw new InputError(name, `has an unsupported pixel type (${data.constructor.name})`);
  const extent = image.getExtent();
  const origin = image.indexToWorld([extent[0], extent[2], extent[4]]) as number[];
  return {
    name,
    data,
    dimensions: [...image.getDimensions()] as Vec3,
    spacing: [...image.getSpacing()] as Vec3,
    origin: [origin[0]!, origin[1]!, origin[2]!],
    direction: Array.from(image.getDirection()),
    components: scalars.getNumberOfComponents(),
  };
}
