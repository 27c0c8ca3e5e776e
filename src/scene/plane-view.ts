/**
 * One anatomical plane of a volume view: an index-aligned slice seen squarely, in parallel
 * projection, with the crosshair drawn on top and the patient directions at its edges.
 * The screen mapping is ours (not a vtk.js picker): the camera is placed from planeAxes(), so a
 * point's place on screen is two dot products, and the readout stays exact arithmetic.
 */
import vtkImageMapper from '@kitware/vtk.js/Rendering/Core/ImageMapper';
import vtkImageSlice from '@kitware/vtk.js/Rendering/Core/ImageSlice';
import vtkColorTransferFunction from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction';
import vtkPiecewiseFunction from '@kitware/vtk.js/Common/DataModel/PiecewiseFunction';
import type vtkImageData from '@kitware/vtk.js/Common/DataModel/ImageData';
import type { Vec3, Volume } from '../data/volume.ts';
import { View } from './view.ts';
import { dot, edgeLabels, indexToWorld, planeAxes, worldToIndex, type PlaneAxes, type Plane } from './orientation.ts';
import { LABEL_COLORS, type WindowLevel } from './presets.ts';

export interface PlaneEvents {
  /** A click (or a keyboard slice step) put the cursor here. */
  cursor(world: Vec3): void;
  /** A drag changed the window/level by these amounts (in the volume's units). */
  windowLevel(dWindow: number, dLevel: number): void;
}

export class PlaneView {
  readonly view: View;
  readonly axes: PlaneAxes;
  readonly element: HTMLElement;
  private readonly mapper = vtkImageMapper.newInstance();
  private readonly actor = vtkImageSlice.newInstance();
  private labelActor: vtkImageSlice | null = null;
  private labelMapper: vtkImageMapper | null = null;
  private readonly center: Vec3;
  /** Half the height, in mm, that fits the whole slice (the views are square). */
  private readonly fitScale: number;
  private zoom = 1;
  private cursor: Vec3;

  constructor(
    host: HTMLElement,
    readonly plane: Plane,
    private readonly volume: Volume,
    image: vtkImageData,
    private readonly events: PlaneEvents,
  ) {
    this.axes = planeAxes(volume, plane);
    this.element = document.createElement('div');
    this.element.className = 'vv-cell';
    this.element.dataset.plane = plane;
    const viewport = document.createElement('div');
    viewport.className = 'viewport';
    viewport.tabIndex = 0;
    viewport.setAttribute('role', 'img');
    viewport.setAttribute(
      'aria-label',
      `${plane} slice of ${volume.name}: arrows or wheel move the slice, + and - zoom, drag sets window and level, click sets the cursor`,
    );
    const name = document.createElement('span');
    name.className = 'vv-plane';
    name.textContent = plane;
    const labels = edgeLabels(this.axes);
    for (const edge of ['left', 'right', 'top', 'bottom'] as const) {
      const l = document.createElement('span');
      l.className = 'orient';
      l.dataset.edge = edge;
      l.textContent = labels[edge];
      viewport.append(l);
    }
    viewport.append(name);
    this.element.append(viewport);
    host.append(this.element);
    this.view = new View(viewport, 'image');

    this.mapper.setInputData(image);
    this.mapper.setSlicingMode(this.axes.normal);
    this.actor.setMapper(this.mapper);
    this.actor.getProperty().setInterpolationTypeToLinear();
    this.view.renderer.addViewProp(this.actor);

    const d = volume.dimensions;
    this.center = indexToWorld(volume, [(d[0] - 1) / 2, (d[1] - 1) / 2, (d[2] - 1) / 2]);
    this.cursor = [...this.center];
    // The slice's half-extents across and up the screen, from the volume's corners.
    let across = 0;
    let upward = 0;
    for (const i of [0, d[0] - 1])
      for (const j of [0, d[1] - 1])
        for (const k of [0, d[2] - 1]) {
          const p = sub(indexToWorld(volume, [i, j, k]), this.center);
          across = Math.max(across, Math.abs(dot(p, this.axes.right)));
          upward = Math.max(upward, Math.abs(dot(p, this.axes.up)));
        }
    this.fitScale = Math.max(across + maxSpacing(volume) / 2, upward + maxSpacing(volume) / 2);
    this.placeCamera();
    this.view.addOverlay((ctx) => this.drawCrosshair(ctx));
    this.bind(viewport);
    this.setCursor(this.cursor);
  }

  get sliceIndex(): number {
    return this.mapper.getSlice();
  }

  get sliceCount(): number {
    return this.volume.dimensions[this.axes.normal];
  }

  setWindowLevel({ window, level }: WindowLevel): void {
    const p = this.actor.getProperty();
    p.setColorWindow(window);
    p.setColorLevel(level);
    this.view.render();
  }

  /** Shows a label map (same grid as the volume) over the slice, label 0 transparent. */
  setLabels(image: vtkImageData | null, maxLabel = 0, opacity = 0.5): void {
    if (this.labelActor) {
      // Drawn before it goes (see Compositor.remove: a node never drawn fails when deleted).
      this.view.renderNow();
      this.view.renderer.removeViewProp(this.labelActor);
      this.labelActor.delete();
      this.labelMapper?.delete();
      this.labelActor = this.labelMapper = null;
    }
    if (image) {
      this.labelMapper = vtkImageMapper.newInstance();
      this.labelMapper.setInputData(image);
      this.labelMapper.setSlicingMode(this.axes.normal);
      this.labelMapper.setSlice(this.sliceIndex);
      this.labelActor = vtkImageSlice.newInstance();
      this.labelActor.setMapper(this.labelMapper);
      const color = vtkColorTransferFunction.newInstance();
      const alpha = vtkPiecewiseFunction.newInstance();
      color.addRGBPoint(0, 0, 0, 0);
      alpha.addPoint(0, 0);
      for (let v = 1; v <= Math.max(1, maxLabel); v++) {
        const [r, g, b] = LABEL_COLORS[(v - 1) % LABEL_COLORS.length]!;
        color.addRGBPoint(v, r, g, b);
        alpha.addPoint(v - 0.5, 0);
        alpha.addPoint(v - 0.49, opacity);
        alpha.addPoint(v, opacity);
      }
      const property = this.labelActor.getProperty();
      property.setRGBTransferFunction(0, color);
      property.setPiecewiseFunction(0, alpha);
      property.setUseLookupTableScalarRange(true);
      property.setInterpolationTypeToNearest();
      this.view.renderer.addViewProp(this.labelActor);
    }
    this.view.render();
  }

  /** Moves to the slice through `world` and draws the crosshair there. */
  setCursor(world: Vec3): void {
    this.cursor = [...world];
    const index = worldToIndex(this.volume, world)[this.axes.normal];
    const slice = Math.min(this.sliceCount - 1, Math.max(0, Math.round(index)));
    this.mapper.setSlice(slice);
    this.labelMapper?.setSlice(slice);
    this.view.render();
  }

  /** Steps the slice by `n`, moving the cursor with it. */
  step(n: number): void {
    const ijk = worldToIndex(this.volume, this.cursor);
    const a = this.axes.normal;
    ijk[a] = Math.min(this.sliceCount - 1, Math.max(0, Math.round(ijk[a]) + n));
    this.events.cursor(indexToWorld(this.volume, ijk));
  }

  setZoom(zoom: number): void {
    this.zoom = Math.min(20, Math.max(0.25, zoom));
    this.placeCamera();
  }

  /** CSS pixels from the viewport's top-left of a world point, projected onto this plane. */
  toScreen(world: Vec3): [number, number] {
    const { width, height } = this.view.canvas.getBoundingClientRect();
    const perMm = height / 2 / this.scale;
    const p = sub(world, this.center);
    return [width / 2 + dot(p, this.axes.right) * perMm, height / 2 - dot(p, this.axes.up) * perMm];
  }

  /** The world point under CSS pixel (x, y), on the slice shown. */
  fromScreen(x: number, y: number): Vec3 {
    const { width, height } = this.view.canvas.getBoundingClientRect();
    const mmPer = this.scale / (height / 2);
    const across = (x - width / 2) * mmPer;
    const upward = (height / 2 - y) * mmPer;
    const { right, up } = this.axes;
    const onScreen: Vec3 = [0, 1, 2].map((c) => this.center[c]! + across * right[c]! + upward * up[c]!) as Vec3;
    // Onto the slice shown: keep the index along the normal that the view displays.
    const ijk = worldToIndex(this.volume, onScreen);
    ijk[this.axes.normal] = this.sliceIndex;
    return indexToWorld(this.volume, ijk);
  }

  dispose(): void {
    this.setLabels(null);
    this.view.dispose();
    this.mapper.delete();
    this.actor.delete();
    this.element.remove();
  }

  private get scale(): number {
    return (this.fitScale * 1.04) / this.zoom;
  }

  private placeCamera(): void {
    const camera = this.view.renderer.getActiveCamera();
    const { look, up } = this.axes;
    const distance = this.fitScale * 4 + 100;
    camera.setParallelProjection(true);
    camera.setFocalPoint(...this.center);
    camera.setPosition(this.center[0] - look[0] * distance, this.center[1] - look[1] * distance, this.center[2] - look[2] * distance);
    camera.setViewUp(...up);
    camera.setParallelScale(this.scale);
    camera.setClippingRange(1, distance * 2);
    this.view.render();
  }

  private drawCrosshair(ctx: CanvasRenderingContext2D): void {
    const s = this.view.scale;
    const [x, y] = this.toScreen(this.cursor).map((v) => v * s) as [number, number];
    const gap = 6 * s;
    ctx.save();
    ctx.strokeStyle = 'rgba(255, 214, 10, 0.85)';
    ctx.lineWidth = Math.max(1, s);
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(x - gap, y);
    ctx.moveTo(x + gap, y);
    ctx.lineTo(ctx.canvas.width, y);
    ctx.moveTo(x, 0);
    ctx.lineTo(x, y - gap);
    ctx.moveTo(x, y + gap);
    ctx.lineTo(x, ctx.canvas.height);
    ctx.stroke();
    ctx.restore();
  }

  private bind(viewport: HTMLElement): void {
    const canvas = this.view.canvas;
    let drag: { x: number; y: number; moved: boolean } | null = null;
    canvas.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, moved: false };
      canvas.setPointerCapture(e.pointerId);
      viewport.focus({ preventScroll: true });
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 3) return;
      drag.moved = true;
      drag.x = e.clientX;
      drag.y = e.clientY;
      // Right widens the window, up raises the level (Slicer's convention).
      this.events.windowLevel(dx, -dy);
    });
    canvas.addEventListener('pointerup', (e) => {
      if (drag && !drag.moved) {
        const r = canvas.getBoundingClientRect();
        this.events.cursor(this.fromScreen(e.clientX - r.left, e.clientY - r.top));
      }
      drag = null;
    });
    canvas.addEventListener('pointercancel', () => (drag = null));
    canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        this.step(e.deltaY > 0 ? -1 : 1);
      },
      { passive: false },
    );
    viewport.addEventListener('keydown', (e) => {
      const n = e.shiftKey ? 10 : 1;
      const action: Record<string, () => void> = {
        ArrowUp: () => this.step(n),
        ArrowRight: () => this.step(n),
        PageUp: () => this.step(10),
        ArrowDown: () => this.step(-n),
        ArrowLeft: () => this.step(-n),
        PageDown: () => this.step(-10),
        '+': () => this.setZoom(this.zoom * 1.25),
        '=': () => this.setZoom(this.zoom * 1.25),
        '-': () => this.setZoom(this.zoom / 1.25),
        '0': () => this.setZoom(1),
      };
      const run = action[e.key];
      if (!run) return;
      e.preventDefault();
      run();
    });
  }
}

function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

function maxSpacing(v: Pick<Volume, 'spacing'>): number {
  return Math.max(...v.spacing);
}
