/**
 * The user's data: files chosen or dropped (read in the pool, DICOM slices sorted into series),
 * datasets handed in by a host page, demo and operation results; the list to choose the input
 * from, and downloads in any format a writer has.
 */
import { html, nothing } from 'lit';
import { FileUnsupportedError } from '../core/errors.ts';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import type { DataKind } from './catalog.ts';
import { MESH_FORMATS, VOLUME_FORMATS, fileName, saveBytes, writeMesh, writeVolume } from './download.ts';
import { fetchSample, readFiles, sortFiles } from './files.ts';
import { asError } from './jobs.ts';
import type { MeshFormat, VolumeFormat } from './page-ops.ts';
import type { AppContext } from './panel.ts';
import type { ScenePanel } from './scene-panel.ts';

export interface Entry {
  id: number;
  name: string;
  kind: DataKind;
  value: Volume | Mesh;
  from: 'file' | 'result' | 'demo';
}

export class DatasetsPanel {
  private list: Entry[] = [];
  private selected: number | null = null;
  /** Files being read now. */
  private reading = 0;
  private nextId = 1;
  /** The download format chosen per entry (the first one a writer has, unless chosen). */
  private readonly formats = new Map<number, string>();

  /** `onSelect` hears each newly chosen input (the operations follow its kind). */
  constructor(
    private readonly ctx: AppContext,
    private readonly scene: ScenePanel,
    private readonly onSelect: (entry: Entry) => void,
  ) {}

  get entries(): readonly Entry[] {
    return this.list;
  }

  get selectedEntry(): Entry | undefined {
    return this.list.find((e) => e.id === this.selected);
  }

  add(name: string, kind: DataKind, value: Volume | Mesh, from: Entry['from']): Entry {
    const entry: Entry = { id: this.nextId++, name, kind, value, from };
    this.list = [...this.list, entry];
    this.ctx.host.requestUpdate();
    return entry;
  }

  /** A dataset made elsewhere (a host page's own data); it becomes the selected input. */
  async addDataset(kind: DataKind, value: Volume | Mesh): Promise<void> {
    const entry = this.add(value.name, kind, value, 'file');
    this.select(entry.id);
    await this.scene.show([entry]);
  }

  /** Reads files (in the pool, as tasks) and shows the first dataset read. */
  async openFiles(list: Iterable<File>): Promise<void> {
    const { report } = this.ctx;
    const files = await readFiles(list);
    const sorted = sortFiles(files);
    for (const r of sorted.rejected) report(r, 'opening files');
    // A DICOM series whose headers already show a gap is refused here, in the reader's words.
    for (const r of sorted.requests) if (r.kind === 'volume' && r.problem) report(new FileUnsupportedError(r.name, r.problem), 'opening files');
    const requests = sorted.requests.filter((r) => !(r.kind === 'volume' && r.problem));
    if (requests.length === 0) return;
    this.setReading(this.reading + requests.length);
    const pool = this.ctx.pagePool();
    const loaded: Entry[] = [];
    await Promise.all(
      requests.map(async (r) => {
        try {
          const value =
            r.kind === 'volume'
              ? await pool.run('volume.read', { files: r.files }, { label: `read ${r.name}` })
              : await pool.run('mesh.read', { file: r.file }, { label: `read ${r.name}` });
          // A reader's own name says more when it extends the file's ("x.nii.gz (frame 1 of 10)").
          const name = value.name.startsWith(r.name) ? value.name : r.name;
          loaded.push(this.add(name, r.kind, { ...value, name }, 'file'));
        } catch (e) {
          report(asError(e), `reading ${r.name}`);
        } finally {
          this.setReading(this.reading - 1);
        }
      }),
    );
    const first = loaded[0];
    if (first) {
      this.select(first.id);
      await this.scene.show([first]);
    }
  }

  private setReading(n: number): void {
    this.reading = n;
    this.ctx.host.requestUpdate();
  }

  private select(id: number): void {
    this.selected = id;
    this.ctx.host.requestUpdate();
    const entry = this.selectedEntry;
    if (entry) this.onSelect(entry);
  }

  private async download(entry: Entry): Promise<void> {
    const format = this.formats.get(entry.id) ?? (entry.kind === 'volume' ? VOLUME_FORMATS[0] : MESH_FORMATS[0])!;
    try {
      const pool = this.ctx.pagePool();
      const file =
        entry.kind === 'volume'
          ? await writeVolume(pool, entry.value as Volume, format as VolumeFormat)
          : await writeMesh(pool, entry.value as Mesh, format as MeshFormat);
      saveBytes(this.ctx.host.renderRoot as ShadowRoot, { ...file, name: fileName(entry.name, format) });
    } catch (e) {
      this.ctx.report(asError(e), `saving ${entry.name}`);
    }
  }

  // Handlers for the whole app's area (a file dropped anywhere on it is taken); arrow functions,
  // since Lit calls template listeners with the host element as `this`.

  readonly onDrop = (e: DragEvent): void => {
    e.preventDefault();
    this.dropZone()?.classList.remove('over');
    if (e.dataTransfer?.files.length) void this.openFiles(e.dataTransfer.files).catch((x: unknown) => this.ctx.report(asError(x), 'opening files'));
  };

  readonly onDragOver = (e: DragEvent): void => {
    e.preventDefault();
    this.dropZone()?.classList.add('over');
  };

  readonly onDragLeave = (e: DragEvent): void => {
    // Leaving for a child of the app is not leaving the app.
    if (e.relatedTarget instanceof Node && (e.currentTarget as HTMLElement).contains(e.relatedTarget)) return;
    this.dropZone()?.classList.remove('over');
  };

  private readonly onPick = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    if (input.files?.length) void this.openFiles([...input.files]).catch((x: unknown) => this.ctx.report(asError(x), 'opening files'));
    input.value = '';
  };

  private readonly onSample = (): void => {
    void fetchSample()
      .then((f) => this.openFiles([f]))
      .catch((x: unknown) => this.ctx.report(asError(x), 'loading the sample'));
  };

  private dropZone(): Element | null {
    return this.ctx.host.renderRoot.querySelector('.drop');
  }

  /** The file picker (also the drop zone), the reading note and the dataset list. */
  render(): unknown {
    return html`<label class="drop">
        <input type="file" multiple @change=${this.onPick} />
        <span><strong>Choose files</strong> or drop them here</span>
        <small>NIfTI, NRRD, MHA, DICOM series (several files), STL, OBJ, VTK</small>
      </label>
      <button type="button" class="load-sample" @click=${this.onSample}>Load sample</button>
      ${this.reading ? html`<p class="note" role="status">Reading ${this.reading} file${this.reading > 1 ? 's' : ''}…</p>` : nothing}
      ${this.list.length ? this.renderEntries() : nothing}`;
  }

  private renderEntries(): unknown {
    return html`<fieldset class="entries">
      <legend>Datasets (choose the input)</legend>
      ${this.list.map((e) => {
        const formats = e.kind === 'volume' ? VOLUME_FORMATS : MESH_FORMATS;
        return html`<div class="entry">
          <label
            ><input type="radio" name="dataset" .checked=${e.id === this.selected} @change=${() => this.select(e.id)} />
            <span class="kind">${e.kind}</span> ${e.name}</label
          >
          <span class="save">
            <select aria-label="Format for ${e.name}" @change=${(x: Event) => this.formats.set(e.id, (x.target as HTMLSelectElement).value)}>
              ${formats.map((f) => html`<option ?selected=${f === this.formats.get(e.id)}>${f}</option>`)}
            </select>
            <button type="button" aria-label="Download ${e.name}" @click=${() => void this.download(e)}>Download</button>
          </span>
        </div>`;
      })}
    </fieldset>`;
  }
}
