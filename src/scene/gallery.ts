/**
 * The results gallery: every dataset shown stays, in the order it arrived, until the user clears
 * the gallery. The newest is announced (a polite live region) and scrolled into view. Any volume
 * opens in the viewer above the gallery (axial, coronal, sagittal, 3D); a second one opens beside
 * it with the crosshair linked, for comparison; a label map goes over the open volume and a mesh
 * over its slices.
 */
import type { Volume, PixelArray } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import type { Panel, Scene } from './scene.ts';
import { CursorLink, VolumeView } from './volume-view.ts';
import { adoptVolumeViewStyles } from './volume-view-styles.ts';

export interface GalleryEntry {
  name: string;
  kind: 'volume' | 'mesh';
  value: Volume | Mesh;
}

export interface GalleryItem {
  readonly entry: GalleryEntry;
  readonly element: HTMLElement;
  readonly panel: Panel;
  /** 1 for the first result kept, and so on: the gallery's order. */
  readonly number: number;
}

/** At most this many volumes side by side in the viewer. */
const MAX_OPEN = 2;

export class Gallery {
  readonly link = new CursorLink();
  private readonly kept: GalleryItem[] = [];
  private readonly open: { item: GalleryItem; view: VolumeView }[] = [];
  private counter = 0;

  constructor(
    private readonly scene: Scene,
    readonly grid: HTMLElement,
    readonly viewer: HTMLElement,
    private readonly live: HTMLElement,
  ) {
    adoptVolumeViewStyles(grid);
  }

  get items(): readonly GalleryItem[] {
    return this.kept;
  }

  /** The volume views open in the viewer, left to right. */
  get views(): readonly VolumeView[] {
    return this.open.map((o) => o.view);
  }

  /** A place for one run's results, after everything kept so far (clearing it clears nothing kept). */
  batch(): HTMLElement {
    const el = document.createElement('div');
    el.className = 'gallery-batch';
    this.grid.append(el);
    return el;
  }

  /** Keeps a dataset (once: the same one shown again stays where it is). */
  add(entry: GalleryEntry, into: HTMLElement = this.grid): GalleryItem {
    const known = this.kept.find((i) => i.entry.value === entry.value);
    if (known) return known;
    const number = ++this.counter;
    const element = document.createElement('article');
    element.className = 'gallery-item';
    element.dataset.number = String(number);
    element.dataset.kind = entry.kind;
    element.setAttribute('aria-label', `Result ${number}: ${entry.name}`);
    into.append(element);
    const panel =
      entry.kind === 'volume'
        ? this.scene.slicePanel(element, entry.name, entry.value as Volume)
        : this.scene.meshPanel(element, entry.name, entry.value as Mesh);
    const item: GalleryItem = { entry, element, panel, number };
    const actions = document.createElement('div');
    actions.className = 'item-actions';
    if (entry.kind === 'volume') {
      actions.append(button('Open', `Open ${entry.name} in the viewer`, () => this.openItem(item)));
      actions.append(button('Compare', `Open ${entry.name} beside the volume in the viewer`, () => this.compare(item)));
      if (isLabelMap(entry.value as Volume))
        actions.append(button('Overlay', `Show ${entry.name} as coloured labels over the open volume`, () => this.overlay(item)));
    } else {
      actions.append(button('Over volume', `Show ${entry.name} over the open volume's slices`, () => this.meshOver(item)));
    }
    element.append(actions);
    this.kept.push(item);
    this.announce(`Result ${number} added: ${entry.name}. ${this.kept.length} kept.`);
    element.scrollIntoView({ block: 'nearest' });
    return item;
  }

  /** Shows the item's volume alone in the viewer. */
  openItem(item: GalleryItem): VolumeView {
    this.closeViews();
    return this.openView(item);
  }

  /** Shows the item's volume beside the one open (the oldest goes past two). */
  compare(item: GalleryItem): VolumeView {
    const already = this.open.find((o) => o.item === item);
    if (already) return already.view;
    while (this.open.length >= MAX_OPEN) this.close(this.open[0]!.view);
    return this.openView(item);
  }

  overlay(item: GalleryItem): void {
    const target = this.open.find((o) => o.view.volume.dimensions.every((n, a) => n === (item.entry.value as Volume).dimensions[a]));
    if (!target) {
      this.announce(`${item.entry.name}: open a volume of the same grid first (${(item.entry.value as Volume).dimensions.join(' x ')} voxels).`);
      return;
    }
    target.view.setLabels(item.entry.value as Volume);
    this.announce(`${item.entry.name} shown over ${target.item.entry.name}.`);
  }

  meshOver(item: GalleryItem): void {
    const target = this.open[0];
    if (!target) {
      this.announce(`${item.entry.name}: open a volume first.`);
      return;
    }
    target.view.addMesh(item.entry.value as Mesh);
    this.announce(`${item.entry.name} shown over ${target.item.entry.name}.`);
  }

  close(view: VolumeView): void {
    const i = this.open.findIndex((o) => o.view === view);
    if (i < 0) return;
    this.open[i]!.view.dispose();
    this.open.splice(i, 1);
    this.viewer.dataset.open = String(this.open.length);
  }

  /** Lets go of every result and view. */
  clear(): void {
    this.closeViews();
    this.scene.clear(this.grid);
    this.kept.length = 0;
    this.grid.replaceChildren();
    this.announce('Results cleared.');
  }

  dispose(): void {
    this.closeViews();
  }

  private openView(item: GalleryItem): VolumeView {
    const view = new VolumeView(this.viewer, item.entry.value as Volume, this.link, `${item.number}. ${item.entry.name}`);
    const close = button('Close', `Close ${item.entry.name} in the viewer`, () => this.close(view));
    close.classList.add('vv-close');
    view.element.querySelector('.vv-toolbar')?.append(close);
    this.open.push({ item, view });
    this.viewer.dataset.open = String(this.open.length);
    view.element.scrollIntoView({ block: 'nearest' });
    this.announce(`${item.entry.name} open in the viewer${this.open.length > 1 ? ', crosshairs linked' : ''}.`);
    return view;
  }

  private closeViews(): void {
    for (const o of this.open.splice(0)) o.view.dispose();
    this.viewer.dataset.open = '0';
  }

  private announce(text: string): void {
    this.live.textContent = text;
  }
}

function button(text: string, label: string, click: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', click);
  return b;
}

/** Integer voxels with a handful of distinct values (checked on a sample): a segmentation. */
export function isLabelMap(v: Pick<Volume, 'data'>): boolean {
  const d: PixelArray = v.data;
  if (d instanceof Float32Array || d instanceof Float64Array) return false;
  const seen = new Set<number>();
  const stride = Math.max(1, Math.floor(d.length / 200_000));
  for (let i = 0; i < d.length; i += stride) {
    seen.add(d[i]!);
    if (seen.size > 64) return false;
  }
  return true;
}
