/**
 * <voxpool-app>: the whole page in one element. The seed's demos, the user's own files through a
 * catalogue of operations (with sweeps), the vtk.js scene (loaded lazily) and the task monitor.
 * Everything lives in its shadow root; it makes its own pool unless given one (`pool` property).
 */
import { LitElement, html, nothing } from 'lit';
import { createPool } from '../index.ts';
import { FileUnsupportedError } from '../core/errors.ts';
import type { Pool } from '../pool/pool.ts';
import type { OpRegistry } from '../core/op.ts';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import type { Scene } from '../scene/scene.ts';
import { appStyles } from './app-styles.ts';
import { CATALOG, inputFor, opsFor, outputOf, type CatalogOp, type DataKind } from './catalog.ts';
import { runMeshDemo, runVolumeDemo, type DemoTally } from './demos.ts';
import { MESH_FORMATS, VOLUME_FORMATS, fileName, saveBytes, writeMesh, writeVolume } from './download.ts';
import { fetchSample, readFiles, sortFiles } from './files.ts';
import { JobRunner, asError } from './jobs.ts';
import { MonitorActionEvent } from '../core/monitor-source.ts';
import { pagePool, type MeshFormat, type PageOps, type VolumeFormat } from './page-ops.ts';
import { describe, expandSweep, parseValues } from './sweep.ts';
import { formatDuration } from './format.ts';
import { knownSplitOps, splitVolume } from '../parallel/index.ts';
import type { StoredWorkflow, Workflow, WorkflowSummary } from '../graph/index.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import { PipelineStore, watchResults } from './pipeline.ts';
import './monitor.ts';

type SceneModule = typeof import('../scene/scene.ts');

/** Filters whose reach is known, so one run can be cut into slabs for every worker. */
const SPLITTABLE: ReadonlySet<string> = new Set(knownSplitOps());

interface Entry {
  id: number;
  name: string;
  kind: DataKind;
  value: Volume | Mesh;
  from: 'file' | 'result' | 'demo';
}

/** One message, and every task or step it came from (five tasks failing alike show once). */
interface PageError {
  id: number;
  message: string;
  contexts: string[];
}

type DemoState = { running: boolean; tally: DemoTally | null; error?: string };

const AXES = [
  { axis: 2, name: 'Axial' },
  { axis: 1, name: 'Coronal' },
  { axis: 0, name: 'Sagittal' },
] as const;

export class VoxpoolApp extends LitElement {
  static override styles = appStyles;
  static override properties = {
    pool: { attribute: false },
    viewer: { state: true },
    meshDemo: { state: true },
    volumeDemo: { state: true },
    entries: { state: true },
    selected: { state: true },
    opName: { state: true },
    paramText: { state: true },
    errors: { state: true },
    reading: { state: true },
    opRunning: { state: true },
    slice: { state: true },
    groups: { state: true },
    split: { state: true },
    pipeline: { state: true },
    workflow: { state: true },
  };

  declare pool: Pool<OpRegistry> | undefined;
  declare viewer: 'loading' | 'ready' | 'failed';
  declare meshDemo: DemoState;
  declare volumeDemo: DemoState;
  declare entries: Entry[];
  declare selected: number | null;
  declare opName: string;
  declare paramText: Record<string, string>;
  declare errors: PageError[];
  declare reading: number;
  declare opRunning: number;
  declare slice: { axis: 0 | 1 | 2; percent: number };
  declare groups: { mesh: boolean; volume: boolean; pipeline: boolean; results: boolean };
  /** Run each volume filter split into slabs across all workers, rather than one task each. */
  declare split: boolean;
  /** The pipeline demo: its tally, and a stored run an earlier visit left unfinished. */
  declare pipeline: { running: boolean; summary: WorkflowSummary | null; stored: StoredWorkflow | null; error?: string };
  /** The pipeline's workflow, once started (its own monitor shows it). */
  declare workflow: Workflow<BuiltinOps> | null;

  private ownPool = false;
  private sceneLoad: Promise<{ module: SceneModule; scene: Scene }> | null = null;
  private phantom: Promise<Volume> | null = null;
  private nextId = 1;
  private formats = new Map<number, string>();
  private readonly jobs = new JobRunner((error, label) => this.report(error, label));
  private readonly pipelineStore = new PipelineStore();

  constructor() {
    super();
    this.viewer = 'loading';
    this.meshDemo = { running: false, tally: null };
    this.volumeDemo = { running: false, tally: null };
    this.entries = [];
    this.selected = null;
    this.opName = '';
    this.paramText = {};
    this.errors = [];
    this.reading = 0;
    this.opRunning = 0;
    this.slice = { axis: 2, percent: 50 };
    this.groups = { mesh: false, volume: false, pipeline: false, results: false };
    this.split = false;
    this.pipeline = { running: false, summary: null, stored: null };
    this.workflow = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.pool) {
      this.pool = createPool() as unknown as Pool<OpRegistry>;
      this.ownPool = true;
    }
    // A pipeline an earlier visit left running: offer to resume it.
    void this.pipelineStore.unfinished().then(
      (stored) => (this.pipeline = { ...this.pipeline, stored }),
      () => undefined, // no IndexedDB (a private window): the pipeline still runs, unstored
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.ownPool && this.pool) {
      void this.pool.terminate();
      this.pool = undefined;
      this.ownPool = false;
    }
    void this.sceneLoad?.then(({ scene }) => scene.dispose());
    this.sceneLoad = null;
    // Whatever the pipeline has not written yet goes to the store before it closes.
    const store = this.pipelineStore;
    void (this.workflow?.flush() ?? Promise.resolve()).catch(() => undefined).finally(() => store.close());
  }

  protected override firstUpdated(): void {
    // The page is drawn and answering; now fetch vtk.js.
    void this.loadScene().catch(() => undefined);
  }

  /** The lazily loaded scene (vtk.js arrives with it). */
  loadScene(): Promise<{ module: SceneModule; scene: Scene }> {
    this.sceneLoad ??= import('../scene/scene.ts').then(
      (module) => {
        this.viewer = 'ready';
        return { module, scene: new module.Scene() };
      },
      (error: unknown) => {
        this.viewer = 'failed';
        this.sceneLoad = null;
        this.report(asError(error), 'loading the 3D viewer');
        throw error;
      },
    );
    return this.sceneLoad;
  }

  private get pagePool(): Pool<PageOps> {
    if (!this.pool) throw new Error('voxpool-app has no pool (it was disconnected)');
    return pagePool(this.pool);
  }

  private grid(name: 'mesh' | 'volume' | 'pipeline' | 'results'): HTMLElement {
    const el = this.renderRoot.querySelector<HTMLElement>(`.grid[data-group="${name}"]`);
    if (!el) throw new Error(`no ${name} grid`);
    return el;
  }

  private report(error: Error, context: string): void {
    console.error(`voxpool: ${context}:`, error);
    const same = this.errors.find((e) => e.message === error.message);
    this.errors = same
      ? this.errors.map((e) => (e === same ? { ...e, contexts: [...e.contexts, context] } : e))
      : [...this.errors, { id: this.nextId++, message: error.message, contexts: [context] }].slice(-8);
  }

  // ---- the demos -------------------------------------------------------------------------

  /** The seed's mesh test. Resolves with its tally (Completed 50, Failed 0 when all is well). */
  async runMeshDemo(): Promise<DemoTally | null> {
    if (this.meshDemo.running) return null;
    this.meshDemo = { running: true, tally: null };
    try {
      const { module, scene } = await this.loadScene();
      this.groups = { ...this.groups, mesh: true };
      await this.updateComplete;
      const tally = await runMeshDemo(this.pagePool, this.jobs, module, scene, this.grid('mesh'), (t) => {
        this.meshDemo = { running: true, tally: t };
      });
      this.meshDemo = { running: false, tally };
      return tally;
    } catch (e) {
      this.report(asError(e), 'mesh demo');
      this.meshDemo = { running: false, tally: this.meshDemo.tally, error: asError(e).message };
      return null;
    }
  }

  /** The seed's volume test on the selected volume, or on the head phantom. */
  async runVolumeDemo(): Promise<DemoTally | null> {
    if (this.volumeDemo.running) return null;
    this.volumeDemo = { running: true, tally: null };
    try {
      const [{ scene }, volume] = await Promise.all([this.loadScene(), this.demoVolume()]);
      this.groups = { ...this.groups, volume: true };
      await this.updateComplete;
      const tally = await runVolumeDemo(
        this.pagePool,
        this.jobs,
        scene,
        this.grid('volume'),
        volume,
        (t) => (this.volumeDemo = { running: true, tally: t }),
        (result) => this.addEntry(result.name, 'volume', result, 'demo'),
      );
      this.volumeDemo = { running: false, tally };
      return tally;
    } catch (e) {
      this.report(asError(e), 'volume demo');
      this.volumeDemo = { running: false, tally: this.volumeDemo.tally, error: asError(e).message };
      return null;
    }
  }

  /**
   * The workflow demo: seven dependent tasks (see pipeline.ts), stored as they run. `resume`
   * takes up the run an earlier visit left; otherwise a new one starts. Resolves with its summary.
   */
  async runPipeline(resume = false): Promise<WorkflowSummary | null> {
    if (this.pipeline.running) return null;
    this.pipeline = { running: true, summary: null, stored: null };
    try {
      const { scene } = await this.loadScene();
      this.groups = { ...this.groups, pipeline: true };
      await this.updateComplete;
      const grid = this.grid('pipeline');
      scene.clear(grid);
      // Its first steps run one at a time; start every worker now so the branches after them
      // find workers ready rather than waiting for one to boot.
      void this.pagePool.warm().catch(() => undefined);
      const wf = await this.pipelineStore.start(this.pool as unknown as Pool<BuiltinOps>, resume);
      this.workflow = wf;
      const tally = (): void => void (this.pipeline = { ...this.pipeline, summary: wf.summary() });
      wf.addEventListener('task', tally);
      tally();
      const shown = watchResults(wf, (task, kind, value) => {
        const name = `pipeline: ${task.label}`;
        const entry = this.addEntry(name, kind, { ...value, name }, 'result');
        this.showOne(scene, grid, entry);
      });
      const summary = await wf.settled();
      await shown;
      wf.removeEventListener('task', tally);
      this.pipeline = { running: false, summary, stored: null };
      return summary;
    } catch (e) {
      this.report(asError(e), 'pipeline demo');
      this.pipeline = { running: false, summary: this.pipeline.summary, stored: null, error: asError(e).message };
      return null;
    }
  }

  private async discardPipeline(): Promise<void> {
    await this.pipelineStore.discard().catch((e: unknown) => this.report(asError(e), 'discarding the stored pipeline'));
    this.pipeline = { ...this.pipeline, stored: null };
  }

  private get hasVolumes(): boolean {
    return this.volumeDemo.tally !== null || this.entries.some((e) => e.kind === 'volume');
  }

  private selectedEntry(): Entry | undefined {
    return this.entries.find((e) => e.id === this.selected);
  }

  private demoVolume(): Promise<Volume> {
    const chosen = this.selectedEntry();
    if (chosen?.kind === 'volume') return Promise.resolve(chosen.value as Volume);
    // Made in a worker: on the main thread its 8.5 million voxels would freeze the page for seconds.
    this.phantom ??= this.pagePool.run('volume.phantom', null, { label: 'make head phantom' });
    this.phantom.catch(() => (this.phantom = null));
    return this.phantom;
  }

  // ---- the user's own data -----------------------------------------------------------------

  private addEntry(name: string, kind: DataKind, value: Volume | Mesh, from: Entry['from']): Entry {
    const entry: Entry = { id: this.nextId++, name, kind, value, from };
    this.entries = [...this.entries, entry];
    return entry;
  }

  /** Gives the app a dataset made elsewhere (a host page's own data); it becomes the selected input. */
  async addDataset(kind: DataKind, value: Volume | Mesh): Promise<void> {
    const entry = this.addEntry(value.name, kind, value, 'file');
    this.select(entry.id);
    await this.show([entry]);
  }

  /** Chooses the operation and its parameter fields (each a value, a list or a range), as a person would. */
  chooseOperation(op: string, params: Record<string, string> = {}): void {
    this.chooseOp(CATALOG.find((o) => o.op === op));
    this.paramText = { ...this.paramText, ...params };
  }

  /** Reads files (in the pool, as tasks) and shows each dataset read. */
  async openFiles(list: Iterable<File>): Promise<void> {
    const files = await readFiles(list);
    const sorted = sortFiles(files);
    for (const r of sorted.rejected) this.report(r, 'opening files');
    // A DICOM series whose headers already show a gap is refused here, in the reader's words.
    for (const r of sorted.requests) if (r.kind === 'volume' && r.problem) this.report(new FileUnsupportedError(r.name, r.problem), 'opening files');
    const requests = sorted.requests.filter((r) => !(r.kind === 'volume' && r.problem));
    if (requests.length === 0) return;
    this.reading += requests.length;
    const pool = this.pagePool;
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
          loaded.push(this.addEntry(name, r.kind, { ...value, name }, 'file'));
        } catch (e) {
          this.report(asError(e), `reading ${r.name}`);
        } finally {
          this.reading--;
        }
      }),
    );
    const first = loaded[0];
    if (first) {
      this.select(first.id);
      await this.show([first]);
    }
  }

  private select(id: number): void {
    this.selected = id;
    const entry = this.selectedEntry();
    if (!entry) return;
    const ops = opsFor(entry.kind);
    if (!ops.some((o) => o.op === this.opName)) this.chooseOp(ops[0]);
  }

  private chooseOp(op: CatalogOp | undefined): void {
    this.opName = op?.op ?? '';
    this.paramText = Object.fromEntries((op?.params ?? []).map((p) => [p.name, p.default]));
  }

  /** Shows datasets side by side in the results area (replacing what was there). */
  private async show(entries: Entry[]): Promise<void> {
    const { scene } = await this.loadScene();
    this.groups = { ...this.groups, results: true };
    await this.updateComplete;
    const grid = this.grid('results');
    scene.clear(grid);
    for (const e of entries) this.showOne(scene, grid, e);
  }

  private showOne(scene: Scene, grid: HTMLElement, e: Entry): void {
    if (e.kind === 'volume') scene.slicePanel(grid, e.name, e.value as Volume);
    else scene.meshPanel(grid, e.name, e.value as Mesh);
  }

  /** Runs the chosen operation on the selected dataset, once per sweep combination, in parallel. */
  async runOperation(): Promise<void> {
    const entry = this.selectedEntry();
    const op = CATALOG.find((o) => o.op === this.opName);
    if (!entry || !op) {
      this.report(new Error(entry ? 'choose an operation' : 'open or choose a dataset first'), 'run');
      return;
    }
    let combos: Record<string, number>[];
    try {
      combos = expandSweep(Object.fromEntries(op.params.map((p) => [p.label, parseValues(p.label, this.paramText[p.name] ?? '')])));
      combos = combos.map((c) => Object.fromEntries(op.params.map((p) => [p.name, c[p.label]!])));
    } catch (e) {
      this.report(asError(e), op.title);
      return;
    }
    const { scene } = await this.loadScene();
    this.groups = { ...this.groups, results: true };
    await this.updateComplete;
    const grid = this.grid('results');
    scene.clear(grid);
    this.showOne(scene, grid, entry);
    // Catalogue ops are chosen by name at run time: checked by the worker (InputError), not tsc.
    const pool: Pool<OpRegistry> = this.pagePool;
    const split = this.split && SPLITTABLE.has(op.op);
    this.opRunning += combos.length;
    await Promise.all(
      combos.map((params) => {
        const label = `${op.op} ${describe(params)}`;
        const show = (output: unknown): void => {
          const value = outputOf(op, output, entry.value);
          const name = `${entry.name}, ${op.op.split('.')[1]} ${describe(params)}${split ? ' (split)' : ''}`;
          const result = this.addEntry(name, op.gives, { ...value, name }, 'result');
          this.showOne(scene, grid, result);
        };
        if (split) {
          // One filter on every worker: slabs with halos, stitched (each slab is a task of its own).
          return splitVolume(pool, op.op as never, inputFor(op, entry.value, params) as never, { label })
            .then(show, (e: unknown) => this.report(asError(e), label))
            .finally(() => this.opRunning--);
        }
        return this.jobs
          .launch({
            start: () =>
              // The dataset stays on the page for the other tasks and for comparison: copy it.
              pool.submit(op.op, inputFor(op, entry.value, params) as never, { input: 'copy', label }),
            done: show,
          })
          .finally(() => this.opRunning--);
      }),
    );
  }

  private async download(entry: Entry): Promise<void> {
    const format = this.formats.get(entry.id) ?? (entry.kind === 'volume' ? VOLUME_FORMATS[0] : MESH_FORMATS[0])!;
    try {
      const file =
        entry.kind === 'volume'
          ? await writeVolume(this.pagePool, entry.value as Volume, format as VolumeFormat)
          : await writeMesh(this.pagePool, entry.value as Mesh, format as MeshFormat);
      saveBytes(this.renderRoot as ShadowRoot, { ...file, name: fileName(entry.name, format) });
    } catch (e) {
      this.report(asError(e), `saving ${entry.name}`);
    }
  }

  // ---- events ----------------------------------------------------------------------------

  private onMonitorAction(e: MonitorActionEvent): void {
    if (e.detail.action !== 'retry') return;
    // A bare pool can't retry (inputs were moved); the page resubmits from what it kept.
    e.preventDefault();
    void this.jobs.retry(e.detail.ids);
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    this.renderRoot.querySelector('.drop')?.classList.remove('over');
    if (e.dataTransfer?.files.length) void this.openFiles(e.dataTransfer.files).catch((x: unknown) => this.report(asError(x), 'opening files'));
  }

  private onDragOver(e: DragEvent): void {
    e.preventDefault();
    this.renderRoot.querySelector('.drop')?.classList.add('over');
  }

  private onDragLeave(e: DragEvent): void {
    // Leaving for a child of the app is not leaving the app.
    if (e.relatedTarget instanceof Node && (e.currentTarget as HTMLElement).contains(e.relatedTarget)) return;
    this.renderRoot.querySelector('.drop')?.classList.remove('over');
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    if (input.files?.length) void this.openFiles([...input.files]).catch((x: unknown) => this.report(asError(x), 'opening files'));
    input.value = '';
  }

  private setSlice(axis: 0 | 1 | 2, percent: number): void {
    this.slice = { axis, percent };
    void this.sceneLoad?.then(({ scene }) => scene.setSlice({ axis, fraction: percent / 100 }));
  }

  // ---- drawing ---------------------------------------------------------------------------

  protected override render(): unknown {
    const entry = this.selectedEntry();
    const ops = entry ? opsFor(entry.kind) : [];
    const op = ops.find((o) => o.op === this.opName);
    const volumeInput = entry?.kind === 'volume' ? entry.name : 'the head phantom';
    return html`
      <div class="app" @dragover=${this.onDragOver} @dragleave=${this.onDragLeave} @drop=${this.onDrop}>
        <header>
          <h1>voxpool</h1>
          <p class="tagline">Parallel image and mesh processing in your browser: every task runs in a Web Worker, nothing leaves this page.</p>
          <span class="viewer-state ${this.viewer}" role="status">${{ loading: '3D viewer loading…', ready: '3D viewer ready', failed: '3D viewer failed to load' }[this.viewer]}</span>
        </header>
        ${this.errors.length
          ? html`<ul class="errors" role="alert">
              ${this.errors.map((err) => {
                const where = err.contexts.length > 3 ? `${err.contexts.slice(0, 3).join(', ')} and ${err.contexts.length - 3} more` : err.contexts.join(', ');
                return html`<li>
                  <span><strong>${where}:</strong> ${err.message}</span>
                  <button type="button" aria-label="Dismiss: ${where}: ${err.message}" @click=${() => (this.errors = this.errors.filter((x) => x !== err))}>Dismiss</button>
                </li>`;
              })}
            </ul>`
          : nothing}
        <div class="layout">
          <div class="controls">
            <section aria-labelledby="demos-h">
              <h2 id="demos-h">Demos</h2>
              <div class="demo">
                <button type="button" class="run-mesh" ?disabled=${this.meshDemo.running} @click=${() => void this.runMeshDemo()}>Run mesh demo</button>
                <span class="what">Sphere r=10 (50×50), jittered by 50 tasks</span>
                ${this.renderTally('mesh', this.meshDemo)}
              </div>
              <div class="demo">
                <button type="button" class="run-volume" ?disabled=${this.volumeDemo.running} @click=${() => void this.runVolumeDemo()}>Run volume demo</button>
                <span class="what">Gaussian smoothing ×5 of ${volumeInput}</span>
                ${this.renderTally('volume', this.volumeDemo)}
              </div>
              ${this.renderPipeline()}
            </section>
            <section aria-labelledby="data-h">
              <h2 id="data-h">Your data</h2>
              <label class="drop">
                <input type="file" multiple @change=${this.onPick} />
                <span><strong>Choose files</strong> or drop them here</span>
                <small>NIfTI, NRRD, MHA, DICOM series (several files), STL, OBJ, VTK</small>
              </label>
              <button type="button" class="load-sample" @click=${() => void fetchSample().then((f) => this.openFiles([f])).catch((x: unknown) => this.report(asError(x), 'loading the sample'))}>Load sample</button>
              ${this.reading ? html`<p class="note" role="status">Reading ${this.reading} file${this.reading > 1 ? 's' : ''}…</p>` : nothing}
              ${this.entries.length ? this.renderEntries() : nothing}
              ${entry ? this.renderOpForm(ops, op) : html`<p class="note">Open a file, or run the volume demo, to choose operations.</p>`}
            </section>
            <section aria-labelledby="slice-h">
              <h2 id="slice-h">Slices (linked)</h2>
              ${this.hasVolumes ? nothing : html`<p class="note">For volumes: every slice view follows these.</p>`}
              <div class="slice-controls" ?inert=${!this.hasVolumes} aria-disabled=${this.hasVolumes ? 'false' : 'true'}>
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
            </section>
          </div>
          <div class="views">
            <section class="group" ?hidden=${!this.groups.mesh} aria-label="Mesh demo view"><div class="grid" data-group="mesh"></div></section>
            <section class="group" ?hidden=${!this.groups.volume} aria-label="Volume demo views"><div class="grid" data-group="volume"></div></section>
            <section class="group" ?hidden=${!this.groups.pipeline} aria-label="Pipeline results"><h2>Pipeline (workflow)</h2><div class="grid" data-group="pipeline"></div></section>
            <section class="group" ?hidden=${!this.groups.results} aria-label="Your results"><h2>Your data and results</h2><div class="grid" data-group="results"></div></section>
            ${!this.groups.mesh && !this.groups.volume && !this.groups.pipeline && !this.groups.results
              ? html`<p class="empty-views">Run a demo or open a file: results appear here, side by side.</p>`
              : nothing}
          </div>
        </div>
        ${this.workflow
          ? html`<voxpool-monitor class="workflow-monitor" .pool=${this.workflow} heading="Pipeline workflow (stored; resumes after a reload)"></voxpool-monitor>`
          : nothing}
        <voxpool-monitor .pool=${this.pool} retryable heading="Tasks" @monitor-action=${this.onMonitorAction}></voxpool-monitor>
      </div>
    `;
  }

  private renderPipeline(): unknown {
    const p = this.pipeline;
    const s = p.summary;
    const text = p.error
      ? `Could not run: ${p.error}`
      : s
        ? `${p.running ? 'Running' : 'Finished'}: Done ${s.done}, Failed ${s.failed}, Skipped ${s.skipped}, Cancelled ${s.cancelled} of ${s.total}`
        : p.running
          ? 'Starting…'
          : '';
    return html`<div class="demo">
      <button type="button" class="run-pipeline" ?disabled=${p.running} @click=${() => void this.runPipeline(false)}>Run pipeline</button>
      <span class="what">A workflow of 7 dependent tasks: smooth → isosurface → decimate → smooth mesh, and mask → components</span>
      ${p.stored && !p.running
        ? html`<p class="resume" role="status">
            A pipeline from an earlier visit did not finish.
            <button type="button" class="resume-pipeline" @click=${() => void this.runPipeline(true)}>Resume it</button>
            <button type="button" @click=${() => void this.discardPipeline()}>Discard</button>
          </p>`
        : nothing}
      <output class="demo-status" data-demo="pipeline" data-done=${s?.done ?? 0} data-failed=${s?.failed ?? 0} data-skipped=${s?.skipped ?? 0} data-total=${s?.total ?? 0} data-finished=${p.error ? 'error' : s && !p.running ? 'yes' : 'no'}
        >${text}</output
      >
    </div>`;
  }

  private renderTally(demo: 'mesh' | 'volume', state: DemoState): unknown {
    const t = state.tally;
    const text = state.error
      ? `Could not run: ${state.error}`
      : t
      ? `${state.running ? 'Running' : 'Finished'}: Completed ${t.done}, Failed ${t.failed}, Cancelled ${t.cancelled} of ${t.total}${state.running ? '' : ` in ${formatDuration(t.ms)}`}`
      : state.running
        ? 'Starting…'
        : '';
    return html`<output class="demo-status" data-demo=${demo} data-done=${t?.done ?? 0} data-failed=${t?.failed ?? 0} data-cancelled=${t?.cancelled ?? 0} data-finished=${state.error ? 'error' : t && !state.running ? 'yes' : 'no'}
      >${text}</output
    >`;
  }

  private renderEntries(): unknown {
    return html`<fieldset class="entries">
      <legend>Datasets (choose the input)</legend>
      ${this.entries.map((e) => {
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

  private renderOpForm(ops: CatalogOp[], op: CatalogOp | undefined): unknown {
    return html`<form
      class="op-form"
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.runOperation();
      }}
    >
      <label
        >Operation
        <select @change=${(e: Event) => this.chooseOp(ops.find((o) => o.op === (e.target as HTMLSelectElement).value))}>
          ${ops.map((o) => html`<option value=${o.op} ?selected=${o.op === this.opName}>${o.title}</option>`)}
        </select></label
      >
      ${(op?.params ?? []).map(
        (p) => html`<label
          >${p.label}
          <input
            type="text"
            inputmode="decimal"
            .value=${this.paramText[p.name] ?? p.default}
            @input=${(e: Event) => (this.paramText = { ...this.paramText, [p.name]: (e.target as HTMLInputElement).value })}
        /></label>`,
      )}
      <p class="hint">One value, a list (1, 2, 4) or a range (0:20:5): every combination runs as its own task, in parallel.</p>
      ${op && SPLITTABLE.has(op.op)
        ? html`<label class="check"
            ><input type="checkbox" .checked=${this.split} @change=${(e: Event) => (this.split = (e.target as HTMLInputElement).checked)} />
            Split each run across all workers (slabs, for one big volume)</label
          >`
        : nothing}
      <button type="submit" class="run-op" ?disabled=${!op}>Run${this.opRunning ? ` (${this.opRunning} running)` : ''}</button>
    </form>`;
  }
}

if (!customElements.get('voxpool-app')) customElements.define('voxpool-app', VoxpoolApp);

declare global {
  interface HTMLElementTagNameMap {
    'voxpool-app': VoxpoolApp;
  }
}
