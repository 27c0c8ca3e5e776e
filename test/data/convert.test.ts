/**
 * The codecs against each other and against vtk.js's own ITK bridge (ITKHelper), with an oblique
 * direction that a row/column mix-up would scramble. These run in the page: they are data only.
 */
import { describe, expect, it } from 'vitest';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import ITKHelper from '@kitware/vtk.js/Common/DataModel/ITKHelper';
import type { Image } from 'itk-wasm';
import { itkImageToVolume, volumeToItkImage } from '../../src/data/itk-image.ts';
import { itkPolyDataToMesh, meshToItkPolyData } from '../../src/data/itk-polydata.ts';
import { volumeToVtkImage, vtkImageToVolume } from '../../src/data/vtk-image.ts';
import { meshToVtkPolyData, vtkPolyDataToMesh } from '../../src/data/vtk-polydata.ts';
import type { Mesh } from '../../src/data/mesh.ts';
import type { Vec3, Volume } from '../../src/data/volume.ts';

/** Rotation by 0.4 rad about z, then 0.25 rad about x: no zeros, not symmetric. */
function obliqueDirection(): number[] {
  const [a, b] = [0.4, 0.25];
  const rz = [Math.cos(a), Math.sin(a), 0, -Math.sin(a), Math.cos(a), 0, 0, 0, 1];
  const rx = [1, 0, 0, 0, Math.cos(b), Math.sin(b), 0, -Math.sin(b), Math.cos(b)];
  // Axis n of the result = rx applied to axis n of rz (both in our axis-by-axis layout).
  const out: number[] = [];
  for (let n = 0; n < 3; n++) {
    const v = rz.slice(3 * n, 3 * n + 3);
    for (let r = 0; r < 3; r++) out.push(rx[r]! * v[0]! + rx[3 + r]! * v[1]! + rx[6 + r]! * v[2]!);
  }
  return out;
}

function oblique(): Volume {
  const data = new Float32Array(4 * 3 * 2).map((_, i) => i * 1.5 - 7);
  return { name: 'oblique', data, dimensions: [4, 3, 2], spacing: [0.7, 1.1, 2.5], origin: [-12.5, 4.25, 30], direction: obliqueDirection(), components: 1 };
}

/** World position of voxel (i, j, k) from our record's own definition. */
function world(v: Volume, ijk: Vec3): number[] {
  return [0, 1, 2].map((r) => v.origin[r]! + ijk.reduce((sum, idx, axis) => sum + v.direction[3 * axis + r]! * v.spacing[axis]! * idx, 0));
}

describe('Volume <-> vtk.js vtkImageData', () => {
  it('shares the voxels and keeps every voxel where it is in the world', () => {
    const v = oblique();
    const image = volumeToVtkImage(v);
    expect(image.getPointData().getScalars().getData()).toBe(v.data);
    for (const ijk of [[0, 0, 0], [3, 2, 1], [1, 2, 0]] as Vec3[]) {
      const w = image.indexToWorld(ijk, [0, 0, 0]);
      world(v, ijk).forEach((x, r) => expect(w[r]).toBeCloseTo(x, 10));
    }
    const back = vtkImageToVolume(image, 'back');
    expect(back.data).toBe(v.data);
    expect(back.dimensions).toEqual(v.dimensions);
    expect(back.spacing).toEqual(v.spacing);
    expect(back.origin).toEqual(v.origin);
    expect(back.direction).toEqual(v.direction); // exact: float64 all the way
    expect(back.components).toBe(1);
  });

  it('moves the origin to the first voxel when the extent does not start at 0', () => {
    const v = oblique();
    const image = volumeToVtkImage(v);
    image.setExtent(2, 5, 1, 3, 3, 4);
    const back = vtkImageToVolume(image, 'shifted');
    world(v, [2, 1, 3]).forEach((x, r) => expect(back.origin[r]).toBeCloseTo(x, 10));
  });
});

describe('Volume <-> itk-wasm Image', () => {
  it('shares the voxels, transposes the direction, and agrees with vtk.js ITKHelper', () => {
    const v = oblique();
    const image = volumeToItkImage(v);
    expect(image.data).toBe(v.data);
    // ITK: row r, column c = component r of axis c.
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) expect(image.direction[3 * r + c]).toBe(v.direction[3 * c + r]);
    // An independent reading of the same ITK image: vtk.js's own converter.
    const viaHelper = ITKHelper.convertItkToVtkImage(image as unknown as Parameters<typeof ITKHelper.convertItkToVtkImage>[0]);
    const w = viaHelper.indexToWorld([3, 2, 1], [0, 0, 0]);
    world(v, [3, 2, 1]).forEach((x, r) => expect(w[r]).toBeCloseTo(x, 6));
    const back = itkImageToVolume(image, 'back');
    expect(back.data).toBe(v.data);
    expect(back.direction).toEqual(v.direction);
    expect(back.spacing).toEqual(v.spacing);
    expect(back.origin).toEqual(v.origin);
  });

  it('reads what vtk.js ITKHelper makes from a vtkImageData', () => {
    const v = oblique();
    const itk = ITKHelper.convertVtkToItkImage(volumeToVtkImage(v)) as unknown as Image;
    const back = itkImageToVolume(itk, 'helper');
    back.direction.forEach((x, i) => expect(x).toBeCloseTo(v.direction[i]!, 12));
    expect([...back.data]).toEqual([...v.data]);
  });

  it('reads a 2-D image as one slice, and refuses 64-bit integer voxels by name', () => {
    const flat = { imageType: { dimension: 2, componentType: 'uint8', pixelType: 'Scalar', components: 1 }, name: 'x', origin: [1, 2], spacing: [0.5, 0.25], direction: new Float64Array([0, 1, -1, 0]), size: [3, 2], data: new Uint8Array(6), metadata: new Map() } as unknown as Image;
    const v = itkImageToVolume(flat, 'flat.png');
    expect(v.dimensions).toEqual([3, 2, 1]);
    // ITK 2x2 row-major: axis i = column 0 = (0, -1); axis j = column 1 = (1, 0).
    expect(v.direction).toEqual([0, -1, 0, 1, 0, 0, 0, 0, 1]);
    const wide = { ...flat, imageType: { ...flat.imageType, componentType: 'int64' }, data: new BigInt64Array(6) } as unknown as Image;
    expect(() => itkImageToVolume(wide, 'wide.nrrd')).toThrow(/wide\.nrrd: has 64-bit integer voxels/);
  });
});

function quadAndLine(): Mesh {
  return {
    name: 'm',
    points: new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0.5, 0.5, 2]),
    polys: new Uint32Array([4, 0, 1, 2, 3, 3, 0, 1, 4]),
    lines: new Uint32Array([2, 2, 4]),
    pointData: { height: { values: new Float32Array([0, 0, 0, 0, 2]), components: 1 } },
    // Lines first, then polys (VTK's cell order).
    cellData: { label: { values: new Uint16Array([7, 1, 2]), components: 1 } },
  };
}

describe('Mesh <-> vtk.js vtkPolyData', () => {
  it('shares points, cells and data arrays, and round-trips them', () => {
    const m = quadAndLine();
    const poly = meshToVtkPolyData(m);
    expect(poly.getPoints().getData()).toBe(m.points);
    expect(poly.getPolys().getData()).toBe(m.polys);
    expect(poly.getNumberOfCells()).toBe(3);
    expect(poly.getPointData().getArrayByName('height')?.getData()).toBe(m.pointData!.height!.values);
    const back = vtkPolyDataToMesh(poly, 'back');
    expect(back.points).toBe(m.points);
    expect([...back.polys]).toEqual([...m.polys]);
    expect([...back.lines!]).toEqual([...m.lines!]);
    expect([...back.cellData!.label!.values]).toEqual([7, 1, 2]);
    expect(back.pointData!.height!.values).toBe(m.pointData!.height!.values);
  });

  it('turns strips into triangles and drops vertex cells, cell data following', () => {
    const poly = vtkPolyData.newInstance();
    poly.getPoints().setData(new Float64Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0]), 3);
    poly.getVerts().setData(new Uint32Array([1, 0]));
    poly.getPolys().setData(new Uint32Array([3, 0, 1, 2]));
    poly.getStrips().setData(new Uint32Array([4, 0, 1, 2, 3]));
    poly.getCellData().addArray(vtkDataArray.newInstance({ name: 'id', values: new Int32Array([10, 20, 30]) }));
    const m = vtkPolyDataToMesh(poly, 'strip');
    expect(m.points).toBeInstanceOf(Float32Array);
    expect([...m.polys]).toEqual([3, 0, 1, 2, 3, 0, 1, 2, 3, 2, 1, 3]);
    expect([...m.cellData!.id!.values]).toEqual([20, 30, 30]);
  });
});

describe('Mesh <-> itk-wasm PolyData', () => {
  it('shares points and cells, keeps the first data arrays with their names', () => {
    const m = quadAndLine();
    const poly = meshToItkPolyData(m);
    expect(poly.points).toBe(m.points);
    expect(poly.polygons).toBe(m.polys);
    expect(poly.numberOfCellPixels).toBe(3);
    // vtk.js reads the same PolyData into the same geometry.
    const vtk = ITKHelper.convertItkToVtkPolyData(poly as unknown as Parameters<typeof ITKHelper.convertItkToVtkPolyData>[0]);
    expect([...vtk.getPoints().getData()]).toEqual([...m.points]);
    expect([...vtk.getPolys().getData()]).toEqual([...m.polys]);
    const back = itkPolyDataToMesh(poly, 'back');
    expect(back.points).toBe(m.points);
    expect([...back.polys]).toEqual([...m.polys]);
    expect([...back.lines!]).toEqual([...m.lines!]);
    expect(Object.keys(back.pointData!)).toEqual(['height']);
    expect([...back.cellData!.label!.values]).toEqual([7, 1, 2]);
  });
});
