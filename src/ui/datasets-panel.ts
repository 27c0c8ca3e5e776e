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
import { MESH_FORMATS, VOLUME_FORMATS, saveBytes, writeMesh, writeVolume } from './download.ts';
import { formatBytes } from './format.ts';
import { downloadName, stemOf } from './naming.ts';
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
  /** What a download of it is called, before the format's extension (naming.ts). */
  stem: string;
  /** Where it is listed: by the run that made it (`group`), then its place in that run. */
  group: number;
  index: number;
}

/** Where a new dataset goes in the list, and its download name if not its own name's stem. */
export interface Placement {
  group: number;
  index: number;
  stem?: string;
}

/** What the last download did, for the status line beside the list. */
type SaveState = { state: 'saving'; name: string } | { state: 'saved'; name: string; bytes: number } | { state: 'failed'; name: string };

export class DatasetsPanel {
  private list: Entry[] = [];
  private selected: number | null = null;
  /** Files being read now. */
  private reading = 0;
  private nextId = 1;
  private nextGroup = 1;
  private saving: SaveState | null = null;
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

  /** A place in the list for a run's results, taken when the run starts (results keep its order). */
  newGroup(): number {
    return this.nextGroup++;
  }

  /**
   * Lists a dataset: in its run's place (not when it happened to finish), and as the input when
   * none is chosen yet, so the operations' form is there for the first result.
   */
  add(name: string, kind: DataKind, value: Volume | Mesh, from: Entry['from'], place?: Placement): Entry {
    const group = place?.group ?? this.newGroup();
    const entry: Entry = { id: this.nextId++, name, kind, value, from, stem: place?.stem ?? stemOf(name), group, index: place?.index ?? 0 };
    this.list = [...this.list, entry].sort((a, b) => a.group - b.group || a.index - b.index || a.id - b.id);
    this.ctx.host.requestUpdate();
    if (this.selected === null && from !== 'file') this.select(entry.id);
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
    const group = this.newGroup();
    await Promise.all(
      requests.map(async (r, index) => {
        try {
          const value =
            r.kind === 'volume'
              ? await pool.run('volume.read', { files: r.files }, { label: `read ${r.name}` })
              : await pool.run('mesh.read', { file: r.file }, { label: `read ${r.name}` });
          // A reader's own name says more when it extends the file's ("x.nii.gz (frame 1 of 10)").
          const name = value.name.startsWith(r.name) ? value.name : r.name;
          loaded.push(this.add(name, r.kind, { ...value, name }, 'file', { group, index }));
        } catch (e) {
          report(asError(e), `reading ${r.name}`);
        } finally {
          this.setReading(this.reading - 1);
        }
      }),
    );
    const first = loaded.sort((a, b) => a.index - b.index)[0];
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

  private setSaving(state: SaveState | null): void {
    this.saving = state;
    this.ctx.host.requestUpdate();
  }

  private async download(entry: Entry): Promise<void> {
    const format = this.formats.get(entry.id) ?? (entry.kind === 'volume' ? VOLUME_FORMATS[0] : MESH_FORMATS[0])!;
    const name = downloadName(entry.stem, format);
    this.setSaving({ state: 'saving', name });
    try {
      const pool = this.ctx.pagePool();
      const file =
        entry.kind === 'volume'
          ? await writeVolume(pool, entry.value as Volume, format as VolumeFormat)
          : await writeMesh(pool, entry.value as Mesh, format as MeshFormat);
      saveBytes(this.ctx.host.renderRoot as ShadowRoot, { ...file, name });
      this.setSaving({ state: 'saved', name, bytes: file.bytes.byteLength });
    } catch (e) {
      this.setSaving({ state: 'failed', name });
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
      ${this.list.length ? this.renderEntries() : nothing} ${this.renderSaving()}`;
  }

  /** Says what a download saved and how big it is (a browser may save it without a word). */
  private renderSaving(): unknown {
    const s = this.saving;
    const text = !s
      ? ''
      : s.state === 'saving'
        ? `Writing ${s.name}…`
        : s.state === 'saved'
          ? `Saved ${s.name} (${formatBytes(s.bytes)}) to your downloads.`
          : `Could not save ${s.name}.`;
    return html`<p class="save-status ${s?.state ?? ''}" role="status" data-state=${s?.state ?? 'none'}>${text}</p>`;
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
