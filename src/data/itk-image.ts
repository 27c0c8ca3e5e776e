/**
 * Volume <-> itk-wasm Image. The voxel buffer is shared, not copied. ITK stores its direction
 * matrix row-major with the axes as columns; ours lists each axis's direction in turn (vtk.js
 * layout), so one is the transpose of the other.
 */
import type { Image } from 'itk-wasm';
import { InputError } from '../core/errors.ts';
import { pixelTypeOf, type PixelArray, type PixelType, type Vec3, type Volume } from './volume.ts';

const ITK_COMPONENT: Record<PixelType, string> = {
  int8: 'int8',
  uint8: 'uint8',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  float32: 'float32',
  float64: 'float64',
};

function transpose3(m: ArrayLike<number>): number[] {
  return [0, 3, 6, 1, 4, 7, 2, 5, 8].map((i) => Number(m[i]));
}

export function volumeToItkImage(volume: Volume): Image {
  return {
    imageType: {
      dimension: 3,
      componentType: ITK_COMPONENT[pixelTypeOf(volume.data)],
      pixelType: volume.components > 1 ? 'VariableLengthVector' : 'Scalar',
      components: volume.components,
    },
    name: volume.name,
    origin: [...volume.origin],
    spacing: [...volume.spacing],
    direction: new Float64Array(transpose3(volume.direction)),
    size: [...volume.dimensions],
    data: volume.data,
    metadata: new Map(),
  } as unknown as Image;
}

export function itkImageToVolume(image: Image, name: string): Volume {
  const dim = image.imageType.dimension;
  if (dim < 2 || dim > 3) throw new InputError(name, `is a ${dim}-D image; volumes are 2-D or 3-D`);
  if (!image.data || !ArrayBuffer.isView(image.data)) throw new InputError(name, 'holds no voxel data');
  if (typeof (image.data as unknown as BigInt64Array)[0] === 'bigint')
    throw new InputError(name, `has 64-bit integer voxels (${image.imageType.componentType}), which are not supported`);
  const pad = (a: ArrayLike<number>, fill: number): Vec3 => [Number(a[0] ?? fill), Number(a[1] ?? fill), Number(a[2] ?? fill)];
  const dimensions = pad(image.size, 1);
  let direction: number[];
  if (dim === 3) direction = transpose3(image.direction as ArrayLike<number>);
  else {
    const d = image.direction;
    direction = [Number(d[0]), Number(d[2]), 0, Number(d[1]), Number(d[3]), 0, 0, 0, 1];
  }
  return {
    name,
    data: image.data as PixelArray,
    dimensions,
    spacing: pad(image.spacing, 1),
    origin: pad(image.origin, 0),
    direction,
    components: image.imageType.components,
  };
}
