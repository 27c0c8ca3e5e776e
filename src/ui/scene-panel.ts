/**
 * The views side of the page: the lazily loaded vtk.js scene, the four result grids (mesh demo,
 * volume demo, pipeline, the user's results), the viewer's state and the linked slice controls.
 * The user's results are a gallery (src/scene/gallery.ts) that keeps every result until cleared,
 * with the volume viewer above it.
 */
import { html, nothing, type ReactiveController } from 'lit';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import type { Gallery, Scene } from '../scene/scene.ts';
import type { DataKind } from './catalog.ts';
import { asError } from './jobs.ts';
import type { PanelHost } from './panel.ts';

export type SceneModule = typeof import('../scene/scene.ts');
export type Group = 'mesh' | 'volume' | 'pipeline' | 'results';

/** What a grid can show: a dataset by its name. */
export interface Shown {
  name: string;
  kind: DataKind;
  value: Volume | Mesh;
}

/** The gallery each results batch belongs to (showOne adds to it rather than to a plain grid). */
const galleries = new WeakMap<HTMLElement, Gallery>();

const AXES = [
  { axis: 2, name: 'Axial' },
  { axis: 1, name: 'Coronal' },
  { axis: 0, name: 'Sagittal' },
] as const;

export class ScenePanel implements ReactiveController {
  private viewer: 'loading' | 'ready' | 'failed' = 'loading';
  private sceneLoad: Promise<{ module: SceneModule; scene: Scene }> | null = null;
  private groups: Record<Group, boolean> = { mesh: false, volume: false, pipeline: false, results: false };
  private slice: { axis: 0 | 1 | 2; percent: number } = { axis: 2, percent: 50 };
  private resultsGallery: Gallery | null = null;

  constructor(
    private readonly host: PanelHost,
    private readonly report: (error: Error, context: string) => void,
  ) {
    host.addController(this);
  }

  /** After the app's pool is gone (the app calls its super last): vtk.js's contexts go with it. */
  hostDisconnected(): void {
    const gallery = this.resultsGallery;
    void this.sceneLoad?.then(({ scene }) => {
      gallery?.dispose();
      scene.dispose();
    });
    this.sceneLoad = null;
    this.resultsGallery = null;
  }

  /** The results gallery, once something was shown in it. */
  get gallery(): Gallery | null {
    return this.resultsGallery;
  }

  /** The lazily loaded scene (vtk.js arrives with it). */
  load(): Promise<{ module: SceneModule; scene: Scene }> {
    this.sceneLoad ??= import('../scene/scene.ts').then(
      (module) => {
        this.setViewer('ready');
        return { module, scene: new module.Scene() };
      },
      (error: unknown) => {
        this.setViewer('failed');
        this.sceneLoad = null;
        this.report(asError(error), 'loading the 3D viewer');
        throw error;
      },
    );
    return this.sceneLoad;
  }

  /**
   * Loads the scene, shows a group's section and resolves with its grid once it is drawn. For the
   * results, the grid is a fresh batch at the end of the gallery: clearing it clears nothing kept.
   */
  async reveal(group: Group): Promise<{ module: SceneModule; scene: Scene; grid: HTMLElement }> {
    const loaded = await this.load();
    this.groups = { ...this.groups, [group]: true };
    this.host.requestUpdate();
    await this.host.updateComplete;
    if (group !== 'results') return { ...loaded, grid: this.grid(group) };
    const gallery = this.galleryOf(loaded.module, loaded.scene);
    const batch = gallery.batch();
    galleries.set(batch, gallery);
    return { ...loaded, grid: batch };
  }

  /** Adds datasets to the results gallery; the first volume opens in the viewer if none is open. */
  async show(entries: Shown[]): Promise<void> {
    const { scene, grid } = await this.reveal('results');
    for (const e of entries) showOne(scene, grid, e);
    const gallery = galleries.get(grid);
    const volume = gallery?.items.find((i) => i.entry.kind === 'volume' && entries.some((e) => e.value === i.entry.value));
    if (gallery && volume && gallery.views.length === 0) gallery.openItem(volume);
  }

  private galleryOf(module: SceneModule, scene: Scene): Gallery {
    if (!this.resultsGallery) {
      const root = this.host.renderRoot;
      const find = (selector: string): HTMLElement => {
        const el = root.querySelector<HTMLElement>(selector);
        if (!el) throw new Error(`no ${selector} in the page`);
        return el;
      };
      this.resultsGallery = new module.Gallery(scene, this.grid('results'), find('.viewer'), find('.gallery-live'));
    }
    return this.resultsGallery;
  }

  private clearResults(): void {
    this.resultsGallery?.clear();
    this.host.requestUpdate();
  }

  private grid(name: Group): HTMLElement {
    const el = this.host.renderRoot.querySelector<HTMLElement>(`.grid[data-group="${name}"]`);
    if (!el) throw new Error(`no ${name} grid`);
    return el;
  }

  private setViewer(viewer: ScenePanel['viewer']): void {
    this.viewer = viewer;
    this.host.requestUpdate();
  }

  private setSlice(axis: 0 | 1 | 2, percent: number): void {
    this.slice = { axis, percent };
    this.host.requestUpdate();
    void this.sceneLoad?.then(({ scene }) => scene.setSlice({ axis, fraction: percent / 100 }));
  }

  renderViewerState(): unknown {
    return html`<span class="viewer-state ${this.viewer}" role="status"
      >${{ loading: '3D viewer loading…', ready: '3D viewer ready', failed: '3D viewer failed to load' }[this.viewer]}</span
    >`;
  }

  /** The slice section; its controls are inert until there is a volume to slice. */
  renderSlices(hasVolumes: boolean): unknown {
    return html`<section aria-labelledby="slice-h">
      <h2 id="slice-h">Slices (linked)</h2>
      ${hasVolumes ? nothing : html`<p class="note">For volumes: every slice view follows these.</p>`}
      <div class="slice-controls" ?inert=${!hasVolumes} aria-disabled=${hasVolumes ? 'false' : 'true'}>
        <label
          >View
          <select @change=${(e: Event) => this.setSlice(Number((e.target as HTMLSelectElement).value) as 0 | 1 | 2, this.slice.percent)}>
            ${AXES.map((a) => html`<option value=${a.axis} ?selected=${a.axis === this.slice.axis}>${a.name}</option>`)}
          </select></label
        >
        <label
          >Position
          <input
            type="range"
            min="0"
            max="100"
            .value=${String(this.slice.percent)}
            @input=${(e: Event) => this.setSlice(this.slice.axis, Number((e.target as HTMLInputElement).value))}
        /></label>
        <output>${this.slice.percent}%</output>
      </div>
    </section>`;
  }

  renderViews(): unknown {
    const g = this.groups;
    return html`<div class="views">
      <section class="group" ?hidden=${!g.mesh} aria-label="Mesh demo view"><div class="grid" data-group="mesh"></div></section>
      <section class="group" ?hidden=${!g.volume} aria-label="Volume demo views"><div class="grid" data-group="volume"></div></section>
      <section class="group" ?hidden=${!g.pipeline} aria-label="Pipeline results">
        <h2>Pipeline (workflow)</h2>
        <div class="grid" data-group="pipeline"></div>
      </section>
      <section class="group gallery" ?hidden=${!g.results} aria-labelledby="results-h">
        <div class="gallery-head">
          <h2 id="results-h">Your data and results</h2>
          <button type="button" class="clear-results" @click=${() => this.clearResults()}>Clear results</button>
        </div>
        <p class="gallery-live" role="status" aria-live="polite"></p>
        <div class="viewer" data-open="0"></div>
        <div class="grid" data-group="results"></div>
      </section>
      ${
        !g.mesh && !g.volume && !g.pipeline && !g.results
          ? html`<p class="empty-views">Run a demo or open a file: results appear here, side by side.</p>`
          : nothing
      }
    </div>`;
  }
}

/** One dataset as a panel in a grid: slices for a volume, a 3D view for a mesh; kept in the gallery for results. */
export function showOne(scene: Scene, grid: HTMLElement, e: Shown): void {
  const gallery = galleries.get(grid);
  if (gallery) gallery.add(e, grid);
  else if (e.kind === 'volume') scene.slicePanel(grid, e.name, e.value as Volume);
  else scene.meshPanel(grid, e.name, e.value as Mesh);
}
