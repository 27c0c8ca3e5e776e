/**
 * A volume as radiology viewers show it: axial, coronal and sagittal slices and a 3D view,
 * linked by one crosshair; window/level by dragging or by preset; the voxel value under the
 * crosshair with its position in mm (LPS, and RAS for NIfTI users); volume rendering presets and
 * an opacity control; label maps coloured over the slices; meshes shaded over the slices in 3D.
 * Every view draws through the page's one WebGL context (compositor.ts).
 */
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import vtkImageMapper from '@kitware/vtk.js/Rendering/Core/ImageMapper';
import vtkImageSlice from '@kitware/vtk.js/Rendering/Core/ImageSlice';
import vtkVolume from '@kitware/vtk.js/Rendering/Core/Volume';
import vtkVolumeMapper from '@kitware/vtk.js/Rendering/Core/VolumeMapper';
import vtkColorTransferFunction from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction';
import vtkPiecewiseFunction from '@kitware/vtk.js/Common/DataModel/PiecewiseFunction';
import type vtkImageData from '@kitware/vtk.js/Common/DataModel/ImageData';
import type { Vec3, Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import { volumeToVtkImage } from '../data/vtk-image.ts';
import { meshToVtkPolyData } from '../data/vtk-polydata.ts';
import { View } from './view.ts';
import { PlaneView } from './plane-view.ts';
import { indexToWorld, lpsToRas, nearestVoxel, voxelValue, worldToIndex, type Plane } from './orientation.ts';
import {
  intensities,
  renderPreset,
  windowPreset,
  RENDER_PRESETS,
  WINDOW_PRESETS,
  type Intensities,
  type RenderPreset,
  type WindowLevel,
  type WindowPreset,
} from './presets.ts';
import { adoptVolumeViewStyles } from './volume-view-styles.ts';

/** One world point (LPS mm) that several volume views follow: linked crosshairs. */
export class CursorLink {
  private readonly followers = new Set<(world: Vec3, from: unknown) => void>();
  private point: Vec3 | null = null;

  get world(): Vec3 | null {
    return this.point && [...this.point];
  }

  set(world: Vec3, from?: unknown): void {
    this.point = [...world];
    for (const f of this.followers) f(this.point, from);
  }

  follow(f: (world: Vec3, from: unknown) => void): () => void {
    this.followers.add(f);
    return () => this.followers.delete(f);
  }
}

export interface Readout {
  /** The voxel under the crosshair, or null when the point is outside the volume. */
  ijk: Vec3 | null;
  value: number | null;
  lps: Vec3;
  ras: Vec3;
}

const PLANES: Plane[] = ['axial', 'coronal', 'sagittal'];

export class VolumeView {
  readonly element: HTMLElement;
  readonly planes: PlaneView[];
  readonly three: View;
  readonly range: Intensities;
  private readonly image: vtkImageData;
  private readonly readoutEl: HTMLOutputElement;
  private readonly windowInput: HTMLInputElement;
  private readonly levelInput: HTMLInputElement;
  private readonly presetSelect: HTMLSelectElement;
  private readonly volumeActor = vtkVolume.newInstance();
  private readonly volumeMapper = vtkVolumeMapper.newInstance();
  private readonly color = vtkColorTransferFunction.newInstance();
  private readonly opacity = vtkPiecewiseFunction.newInstance();
  private readonly slices3d: { mapper: vtkImageMapper; actor: vtkImageSlice; axis: 0 | 1 | 2 }[] = [];
  private readonly meshes: { actor: vtkActor; mapper: vtkMapper }[] = [];
  private renderPresetId: RenderPreset = 'mr-tissue';
  private opacityScale = 1;
  private wl: WindowLevel;
  private unfollow: () => void;
  private cursorPoint: Vec3;

  constructor(
    host: HTMLElement,
    readonly volume: Volume,
    readonly link: CursorLink = new CursorLink(),
    title = volume.name,
  ) {
    adoptVolumeViewStyles(host);
    this.image = volumeToVtkImage(volume);
    this.range = intensities(volume.data, volume.components);
    // A tenth of the voxels at air's -1000 says CT (Hounsfield units); anything else, MR included
    // (whose minimum may well be negative), gets the percentile window MR needs.
    const initial: WindowPreset = this.range.percentile(10) <= -800 ? 'ct-soft' : 'brain-mr';
    this.wl = windowPreset(initial, this.range);
    this.element = document.createElement('figure');
    this.element.className = 'volume-view';
    const caption = document.createElement('figcaption');
    caption.textContent = title;
    const toolbar = document.createElement('div');
    toolbar.className = 'vv-toolbar';
    this.presetSelect = select('Window', [{ id: 'custom', label: 'Custom' }, ...WINDOW_PRESETS], initial, (id) => {
      if (id !== 'custom') this.applyWindowPreset(id as WindowPreset);
    });
    this.windowInput = numberInput('W', (v) => this.setWindowLevel({ window: Math.max(v, 1e-6), level: this.wl.level }, true));
    this.levelInput = numberInput('L', (v) => this.setWindowLevel({ window: this.wl.window, level: v }, true));
    const render = select('3D', [...RENDER_PRESETS, { id: 'slices', label: 'Slices only' }], this.renderPresetId, (id) =>
      this.setRenderPreset(id as RenderPreset | 'slices'),
    );
    const opacity = document.createElement('label');
    opacity.textContent = 'Opacity ';
    const opacityRange = document.createElement('input');
    opacityRange.type = 'range';
    opacityRange.min = '0';
    opacityRange.max = '200';
    opacityRange.value = '100';
    opacityRange.addEventListener('input', () => this.setOpacity(Number(opacityRange.value) / 100));
    opacity.append(opacityRange);
    const png = document.createElement('button');
    png.type = 'button';
    png.textContent = 'PNG';
    png.setAttribute('aria-label', `Save the four views of ${volume.name} as a PNG image`);
    png.addEventListener('click', () => void this.savePng());
    toolbar.append(this.presetSelect.parentElement!, this.windowInput.parentElement!, this.levelInput.parentElement!, render.parentElement!, opacity, png);
    const grid = document.createElement('div');
    grid.className = 'vv-grid';
    this.readoutEl = document.createElement('output');
    this.readoutEl.className = 'vv-readout';
    this.element.append(caption, toolbar, grid, this.readoutEl);
    host.append(this.element);

    this.planes = PLANES.map(
      (plane) =>
        new PlaneView(grid, plane, volume, this.image, {
          cursor: (world) => this.link.set(world, this),
          windowLevel: (dx, dy) => {
            const perPixel = (this.range.max - this.range.min) / 400;
            this.setWindowLevel({ window: Math.max(this.wl.window + dx * perPixel, 1e-6), level: this.wl.level + dy * perPixel }, true);
          },
        }),
    );
    const cell = document.createElement('div');
    cell.className = 'vv-cell';
    cell.dataset.plane = '3d';
    const viewport = document.createElement('div');
    viewport.className = 'viewport';
    viewport.tabIndex = 0;
    viewport.setAttribute('role', 'img');
    viewport.setAttribute('aria-label', `3D view of ${volume.name}: drag or arrows turn, wheel or + and - zoom`);
    const name = document.createElement('span');
    name.className = 'vv-plane';
    name.textContent = '3D';
    viewport.append(name);
    cell.append(viewport);
    grid.append(cell);
    this.three = new View(viewport, '3d');
    this.setup3d();

    const d = volume.dimensions;
    this.cursorPoint = indexToWorld(volume, [Math.floor((d[0] - 1) / 2), Math.floor((d[1] - 1) / 2), Math.floor((d[2] - 1) / 2)]);
    this.unfollow = this.link.follow((world) => this.moveCursor(world));
    this.setWindowLevel(this.wl, false);
    // Follow a linked point that lies in this volume; otherwise start at this volume's centre.
    const shared = this.link.world;
    if (shared && nearestVoxel(volume, worldToIndex(volume, shared))) this.moveCursor(shared);
    else this.link.set(this.cursorPoint, this);
  }

  get windowLevel(): WindowLevel {
    return { ...this.wl };
  }

  setWindowLevel(wl: WindowLevel, custom = false): void {
    this.wl = { ...wl };
    if (custom) this.presetSelect.value = 'custom';
    this.windowInput.value = String(round(wl.window));
    this.levelInput.value = String(round(wl.level));
    for (const p of this.planes) p.setWindowLevel(wl);
    for (const s of this.slices3d) {
      s.actor.getProperty().setColorWindow(wl.window);
      s.actor.getProperty().setColorLevel(wl.level);
    }
    this.render3dSlices();
  }

  applyWindowPreset(id: WindowPreset): void {
    this.presetSelect.value = id;
    this.setWindowLevel(windowPreset(id, this.range));
  }

  setRenderPreset(id: RenderPreset | 'slices'): void {
    const slicesOnly = id === 'slices';
    this.volumeActor.setVisibility(!slicesOnly);
    for (const s of this.slices3d) s.actor.setVisibility(slicesOnly || this.meshes.length > 0);
    if (!slicesOnly) {
      this.renderPresetId = id;
      this.applyTransferFunction();
    }
    this.three.render();
  }

  /** Scales every opacity point of the transfer function (1 as the preset has it). */
  setOpacity(scale: number): void {
    this.opacityScale = Math.max(0, scale);
    this.applyTransferFunction();
    this.three.render();
  }

  /** A label map on the same grid, coloured over every slice (label 0 transparent). */
  setLabels(labels: Volume | null): void {
    if (labels && labels.dimensions.some((n, a) => n !== this.volume.dimensions[a])) {
      throw new RangeError(
        `${labels.name} (${labels.dimensions.join(' x ')}) is not on the grid of ${this.volume.name} (${this.volume.dimensions.join(' x ')})`,
      );
    }
    const image = labels ? volumeToVtkImage(labels) : null;
    const max = labels ? intensities(labels.data, labels.components).max : 0;
    for (const p of this.planes) p.setLabels(image, Math.round(max));
  }

  /** A mesh (world mm, like the volume) shaded in the 3D view, over the volume's three slices. */
  addMesh(mesh: Pick<Mesh, 'points' | 'polys' | 'lines'>, color: [number, number, number] = [0.93, 0.72, 0.42]): void {
    const mapper = vtkMapper.newInstance();
    mapper.setInputData(meshToVtkPolyData({ name: 'mesh', ...mesh, points: mesh.points.slice() }));
    const actor = vtkActor.newInstance();
    actor.setMapper(mapper);
    const p = actor.getProperty();
    p.setColor(...color);
    p.setSpecular(0.3);
    p.setSpecularPower(20);
    this.three.renderer.addActor(actor);
    this.meshes.push({ actor, mapper });
    // A mesh reads best over the slices it came from, without a rendering clouding it.
    this.setRenderPreset('slices');
    this.three.renderer.resetCameraClippingRange();
    this.three.render();
  }

  get cursor(): Vec3 {
    return [...this.cursorPoint];
  }

  /** Puts the crosshair at a world point (every linked view follows). */
  setCursor(world: Vec3): void {
    this.link.set(world, this);
  }

  /** Puts the crosshair on a voxel. */
  setCursorVoxel(ijk: Vec3): void {
    this.setCursor(indexToWorld(this.volume, ijk));
  }

  readout(): Readout {
    const ijk = nearestVoxel(this.volume, worldToIndex(this.volume, this.cursorPoint));
    return { ijk, value: ijk ? voxelValue(this.volume, ijk) : null, lps: this.cursor, ras: lpsToRas(this.cursorPoint) };
  }

  /** The four views as they are shown, two by two, in one PNG. */
  async snapshot(): Promise<Blob> {
    const canvases = [...this.planes.map((p) => p.view), this.three].map((v) => {
      v.renderNow();
      return v.canvas;
    });
    const w = Math.max(...canvases.map((c) => c.width));
    const h = Math.max(...canvases.map((c) => c.height));
    const out = document.createElement('canvas');
    out.width = 2 * w;
    out.height = 2 * h;
    const ctx = out.getContext('2d')!;
    canvases.forEach((c, i) => ctx.drawImage(c, (i % 2) * w, Math.floor(i / 2) * h));
    return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the views could not be encoded as PNG'))), 'image/png'));
  }

  private async savePng(): Promise<void> {
    const url = URL.createObjectURL(await this.snapshot());
    const a = document.createElement('a');
    a.href = url;
    a.download = `${this.volume.name.replace(/\.(nii(\.gz)?|nrrd|mha|mhd)$/i, '').replace(/[^\w.-]+/g, '_')}_views.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  dispose(): void {
    this.unfollow();
    for (const p of this.planes) p.dispose();
    this.three.dispose();
    this.element.remove();
  }

  private moveCursor(world: Vec3): void {
    this.cursorPoint = [...world];
    for (const p of this.planes) p.setCursor(world);
    const ijk = worldToIndex(this.volume, world);
    for (const s of this.slices3d) s.mapper.setSlice(clamp(Math.round(ijk[s.axis]), 0, this.volume.dimensions[s.axis] - 1));
    this.render3dSlices();
    this.showReadout();
  }

  /** The 3D view again only when it shows the slices: a ray cast costs far more than a slice. */
  private render3dSlices(): void {
    if (this.slices3d.some((s) => s.actor.getVisibility())) this.three.render();
  }

  private showReadout(): void {
    const r = this.readout();
    const mm = (v: Vec3): string => v.map((c) => c.toFixed(1)).join(', ');
    this.readoutEl.dataset.value = r.value === null ? '' : String(r.value);
    this.readoutEl.dataset.ijk = r.ijk ? r.ijk.join(',') : '';
    this.readoutEl.dataset.lps = r.lps.join(',');
    this.readoutEl.dataset.ras = r.ras.join(',');
    const value = r.value === null ? 'outside the volume' : `value ${round(r.value)} at voxel (${r.ijk!.join(', ')})`;
    this.readoutEl.textContent = `${value} · LPS (${mm(r.lps)}) mm · RAS (${mm(r.ras)}) mm`;
  }

  private setup3d(): void {
    const minSpacing = Math.min(...this.volume.spacing);
    this.volumeMapper.setInputData(this.image);
    this.volumeMapper.setSampleDistance(minSpacing);
    this.volumeActor.setMapper(this.volumeMapper);
    const property = this.volumeActor.getProperty();
    property.setRGBTransferFunction(0, this.color);
    property.setScalarOpacity(0, this.opacity);
    property.setScalarOpacityUnitDistance(0, 2 * minSpacing);
    property.setInterpolationTypeToLinear();
    property.setShade(true);
    property.setAmbient(0.3);
    property.setDiffuse(0.7);
    property.setSpecular(0.2);
    property.setSpecularPower(10);
    this.applyTransferFunction();
    this.three.renderer.addVolume(this.volumeActor);
    for (const axis of [2, 1, 0] as const) {
      const mapper = vtkImageMapper.newInstance();
      mapper.setInputData(this.image);
      mapper.setSlicingMode(axis);
      const actor = vtkImageSlice.newInstance();
      actor.setMapper(mapper);
      actor.setVisibility(false);
      this.three.renderer.addViewProp(actor);
      this.slices3d.push({ mapper, actor, axis });
    }
    const camera = this.three.renderer.getActiveCamera();
    const c = indexToWorld(this.volume, this.volume.dimensions.map((n) => (n - 1) / 2) as Vec3);
    camera.setFocalPoint(...c);
    // A three-quarter view from the front, head up.
    camera.setPosition(c[0] + 0.5, c[1] - 1, c[2] + 0.35);
    camera.setViewUp(0, 0, 1);
    this.three.renderer.resetCamera();
    this.three.render();
  }

  private applyTransferFunction(): void {
    const tf = renderPreset(this.renderPresetId, this.range);
    this.color.removeAllPoints();
    for (const [v, r, g, b] of tf.colors) this.color.addRGBPoint(v, r, g, b);
    this.opacity.removeAllPoints();
    for (const [v, a] of tf.opacities) this.opacity.addPoint(v, Math.min(1, a * this.opacityScale));
  }
}

function select(label: string, options: { id: string; label: string }[], value: string, change: (id: string) => void): HTMLSelectElement {
  const wrap = document.createElement('label');
  wrap.textContent = `${label} `;
  const el = document.createElement('select');
  // Named by the label alone: a wrapping label's name would take in every option's text.
  el.setAttribute('aria-label', `${label} preset`);
  for (const o of options) el.append(new Option(o.label, o.id, o.id === value, o.id === value));
  el.addEventListener('change', () => change(el.value));
  wrap.append(el);
  return el;
}

function numberInput(label: string, change: (v: number) => void): HTMLInputElement {
  const wrap = document.createElement('label');
  wrap.textContent = `${label} `;
  const el = document.createElement('input');
  el.type = 'number';
  el.step = 'any';
  el.addEventListener('change', () => {
    const v = Number(el.value);
    if (Number.isFinite(v)) change(v);
  });
  wrap.append(el);
  return el;
}

function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v) : Number(v.toPrecision(4));
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
