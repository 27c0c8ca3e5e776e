/**
 * The vtk.js scene, as the page uses it. This module and everything under it is loaded with a
 * dynamic import, so the page is up and answering before vtk.js (about 200 KB gzip) arrives.
 */
import vtkSphereSource from '@kitware/vtk.js/Filters/Sources/SphereSource';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import { MeshPanel, Panel, SlicePanel, VolumePanel, type SlicePosition } from './panels.ts';

export { MeshPanel, Panel, SlicePanel, VolumePanel };
export { CursorLink, VolumeView, type Readout } from './volume-view.ts';
export { Gallery, isLabelMap, type GalleryEntry, type GalleryItem } from './gallery.ts';
export type { Axis, SlicePosition } from './panels.ts';

export class Scene {
  private readonly panels: Panel[] = [];
  private slice: SlicePosition = { axis: 2, fraction: 0.5 };

  meshPanel(host: HTMLElement, title: string, mesh: Pick<Mesh, 'points' | 'polys' | 'lines'>): MeshPanel {
    return this.keep(new MeshPanel(host, title, mesh));
  }

  slicePanel(host: HTMLElement, title: string, volume: Volume): SlicePanel {
    return this.keep(new SlicePanel(host, title, volume, this.slice));
  }

  volumePanel(host: HTMLElement, title: string, volume: Volume): VolumePanel {
    return this.keep(new VolumePanel(host, title, volume));
  }

  /** Moves every slice panel to the same slice: the views are linked. */
  setSlice(position: SlicePosition): void {
    this.slice = { ...position };
    for (const p of this.panels) if (p instanceof SlicePanel) p.setSlice(this.slice);
  }

  get slicePosition(): SlicePosition {
    return { ...this.slice };
  }

  /** Removes the panels inside `host` (all of them without one). */
  clear(host?: HTMLElement): void {
    for (const p of [...this.panels]) if (!host || host.contains(p.element)) this.drop(p);
  }

  list(): readonly Panel[] {
    return this.panels;
  }

  dispose(): void {
    this.clear();
  }

  /** Every panel draws through the page's one WebGL context (compositor.ts): no cap on how many. */
  private keep<P extends Panel>(panel: P): P {
    this.panels.push(panel);
    return panel;
  }

  private drop(panel: Panel): void {
    panel.dispose();
    this.panels.splice(this.panels.indexOf(panel), 1);
  }
}

/** The seed's sphere, with float32 points (vtkSphereSource gives float64 unless told). */
export function makeSphere(radius: number, thetaResolution: number, phiResolution: number): Mesh {
  const source = vtkSphereSource.newInstance({ radius, thetaResolution, phiResolution, pointType: 'Float32Array' });
  const poly = source.getOutputData();
  return {
    name: `sphere r=${radius}`,
    points: Float32Array.from(poly.getPoints().getData()),
    polys: Uint32Array.from(poly.getPolys().getData()),
  };
}
