/**
 * The scene's panels: a titled figure holding one View. A mesh panel updates its mesh in place;
 * slice panels follow one shared slice position (linked); a volume panel ray-casts its volume.
 */
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import vtkImageMapper from '@kitware/vtk.js/Rendering/Core/ImageMapper';
import vtkImageSlice from '@kitware/vtk.js/Rendering/Core/ImageSlice';
import vtkVolume from '@kitware/vtk.js/Rendering/Core/Volume';
import vtkVolumeMapper from '@kitware/vtk.js/Rendering/Core/VolumeMapper';
import vtkColorTransferFunction from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction';
import vtkPiecewiseFunction from '@kitware/vtk.js/Common/DataModel/PiecewiseFunction';
import type vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import { View } from './view.ts';
import { volumeToVtkImage } from '../data/vtk-image.ts';
import { meshToVtkPolyData } from '../data/vtk-polydata.ts';
import { replacePoints } from './vtk-data.ts';

export type Axis = 0 | 1 | 2;

export interface SlicePosition {
  axis: Axis;
  /** 0 (first slice) to 1 (last). */
  fraction: number;
}

export abstract class Panel {
  readonly element: HTMLElement;
  protected readonly view: View;
  private readonly caption: HTMLElement;

  constructor(host: HTMLElement, title: string, style: '3d' | 'image', kind: string) {
    this.element = document.createElement('figure');
    this.element.className = `panel panel-${kind}`;
    this.caption = document.createElement('figcaption');
    this.caption.textContent = title;
    const viewport = document.createElement('div');
    viewport.className = 'viewport';
    // Focusable, so the keyboard reaches the view (arrows, +/-).
    viewport.tabIndex = 0;
    viewport.setAttribute('aria-label', `${title}: ${style === '3d' ? 'arrows turn, + and - zoom' : 'view'}`);
    this.element.append(this.caption, viewport);
    host.append(this.element);
    this.view = new View(viewport, style);
  }

  get title(): string {
    return this.caption.textContent ?? '';
  }

  set title(text: string) {
    this.caption.textContent = text;
  }

  capture(): Promise<string> {
    return this.view.capture();
  }

  dispose(): void {
    this.view.dispose();
    this.element.remove();
  }
}

export class MeshPanel extends Panel {
  private readonly poly: vtkPolyData;

  constructor(host: HTMLElement, title: string, mesh: Pick<Mesh, 'points' | 'polys' | 'lines'>) {
    super(host, title, '3d', 'mesh');
    // Our own copy: the caller's buffer may be moved to a worker next.
    this.poly = meshToVtkPolyData({ name: title, ...mesh, points: mesh.points.slice() });
    const mapper = vtkMapper.newInstance();
    mapper.setInputData(this.poly);
    const actor = vtkActor.newInstance();
    actor.setMapper(mapper);
    actor.getProperty().setColor(0.93, 0.72, 0.42);
    actor.getProperty().setSpecular(0.3);
    this.view.renderer.addActor(actor);
    // A three-quarter view from above (z up, as in patient coordinates) shows a shape's depth.
    const camera = this.view.renderer.getActiveCamera();
    camera.setFocalPoint(0, 0, 0);
    camera.setPosition(0.6, -1, 0.5);
    camera.setViewUp(0, 0, 1);
    this.view.renderer.resetCamera();
    // Room for what the jitter adds, so the camera need not move with every result.
    this.view.renderer.getActiveCamera().dolly(0.8);
    // The dolly moved the camera back past the far plane resetCamera chose: without this the
    // back of the mesh is clipped away and only its near cap shows.
    this.view.renderer.resetCameraClippingRange();
    this.view.render();
  }

  /** The same actor, new coordinates. */
  update(points: Float32Array): void {
    replacePoints(this.poly, points);
    this.view.renderer.resetCameraClippingRange();
    this.view.render();
  }

  points(): Float32Array {
    return this.poly.getPoints().getData() as Float32Array;
  }

  bounds(): number[] {
    return this.poly.getBounds();
  }
}

function scalarRange(data: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi === lo ? lo + 1 : hi] : [0, 1];
}

/** Camera direction and up for each axis, radiological convention for LPS data. */
const CAMERA: Record<Axis, { look: [number, number, number]; up: [number, number, number] }> = {
  0: { look: [1, 0, 0], up: [0, 0, 1] },
  1: { look: [0, 1, 0], up: [0, 0, 1] },
  2: { look: [0, 0, 1], up: [0, -1, 0] },
};

export class SlicePanel extends Panel {
  private readonly mapper = vtkImageMapper.newInstance();
  private readonly dimensions: [number, number, number];
  private axis: Axis | null = null;

  constructor(host: HTMLElement, title: string, volume: Volume, position: SlicePosition) {
    super(host, title, 'image', 'slice');
    this.dimensions = volume.dimensions;
    this.mapper.setInputData(volumeToVtkImage(volume));
    const slice = vtkImageSlice.newInstance();
    slice.setMapper(this.mapper);
    const [lo, hi] = scalarRange(volume.data);
    slice.getProperty().setColorWindow(hi - lo);
    slice.getProperty().setColorLevel((hi + lo) / 2);
    slice.getProperty().setInterpolationTypeToLinear();
    this.view.renderer.addViewProp(slice);
    this.setSlice(position);
  }

  /** The slice shown: its axis and index. */
  get slice(): { axis: Axis; index: number } {
    return { axis: this.axis ?? 2, index: this.mapper.getSlice() };
  }

  setSlice({ axis, fraction }: SlicePosition): void {
    const last = this.dimensions[axis] - 1;
    if (axis !== this.axis) {
      this.axis = axis;
      this.mapper.setSlicingMode(axis);
      this.mapper.setSlice(Math.round(fraction * last));
      const camera = this.view.renderer.getActiveCamera();
      const { look, up } = CAMERA[axis];
      camera.setParallelProjection(true);
      camera.setFocalPoint(0, 0, 0);
      camera.setPosition(-look[0], -look[1], -look[2]);
      camera.setViewUp(...up);
      this.view.resetCamera();
      // resetCamera fits the volume's 3D diagonal; a slice only needs its own two extents.
      const b = this.mapper.getInputData().getBounds();
      const extents = [b[1] - b[0], b[3] - b[2], b[5] - b[4]].filter((_, i) => i !== axis);
      camera.setParallelScale((Math.max(...extents) / 2) * 1.04);
    }
    this.mapper.setSlice(Math.round(fraction * last));
    this.view.render();
  }
}

export class VolumePanel extends Panel {
  constructor(host: HTMLElement, title: string, volume: Volume) {
    super(host, title, '3d', 'volume');
    const mapper = vtkVolumeMapper.newInstance();
    mapper.setInputData(volumeToVtkImage(volume));
    const minSpacing = Math.min(...volume.spacing);
    mapper.setSampleDistance(minSpacing);
    const actor = vtkVolume.newInstance();
    actor.setMapper(mapper);
    const [lo, hi] = scalarRange(volume.data);
    const color = vtkColorTransferFunction.newInstance();
    color.addRGBPoint(lo, 0, 0, 0);
    color.addRGBPoint(lo + 0.35 * (hi - lo), 0.75, 0.45, 0.3);
    color.addRGBPoint(hi, 1, 0.95, 0.85);
    const opacity = vtkPiecewiseFunction.newInstance();
    // The outer tissue stays faint so what lies inside shows through it.
    opacity.addPoint(lo + 0.12 * (hi - lo), 0);
    opacity.addPoint(lo + 0.4 * (hi - lo), 0.04);
    opacity.addPoint(lo + 0.8 * (hi - lo), 0.12);
    opacity.addPoint(hi, 0.5);
    const property = actor.getProperty();
    property.setRGBTransferFunction(0, color);
    property.setScalarOpacity(0, opacity);
    property.setScalarOpacityUnitDistance(0, 3 * minSpacing);
    property.setInterpolationTypeToLinear();
    // Lit by its gradients, a rendering reads as a surface with depth rather than a flat blob.
    property.setShade(true);
    property.setAmbient(0.25);
    property.setDiffuse(0.75);
    property.setSpecular(0.25);
    property.setSpecularPower(12);
    this.view.renderer.addVolume(actor);
    const camera = this.view.renderer.getActiveCamera();
    camera.setFocalPoint(0, 0, 0);
    camera.setPosition(0.5, -1, -0.35);
    camera.setViewUp(0, 0, 1);
    this.view.resetCamera();
  }
}
