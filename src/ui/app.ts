/**
 * <voxpool-app>: the whole page in one element. The seed's demos, the user's own files through a
 * catalogue of operations (with sweeps), the vtk.js scene (loaded lazily) and the task monitor.
 * Everything lives in its shadow root; it makes its own pool unless given one (`pool` property).
 * Each panel is a ReactiveController of its own (the *-panel.ts files) drawing into this root;
 * the element holds the pool, lays the panels out and keeps the public methods hosts and tests call.
 */
import { LitElement, html } from 'lit';
import { createPool } from '../index.ts';
import type { Pool } from '../pool/pool.ts';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import type { Gallery, Scene } from '../scene/scene.ts';
import type { Workflow, WorkflowSummary } from '../graph/index.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import { MonitorActionEvent } from '../core/monitor-source.ts';
import { appStyles } from './app-styles.ts';
import type { DataKind } from './catalog.ts';
import type { DemoTally } from './demos.ts';
import { JobRunner } from './jobs.ts';
import { pagePool } from './page-ops.ts';
import type { AppContext } from './panel.ts';
import { ErrorsPanel } from './errors-panel.ts';
import { ScenePanel, type SceneModule } from './scene-panel.ts';
import { DatasetsPanel, type Entry } from './datasets-panel.ts';
import { OperationsPanel } from './operations-panel.ts';
import { DemosPanel } from './demos-panel.ts';
import { PipelinePanel, type PipelineState } from './pipeline-panel.ts';
import { StudyPanel } from './study-panel.ts';
import { studyStyles } from './study-styles.ts';
import './monitor.ts';

export class VoxpoolApp extends LitElement {
  static override styles = [appStyles, studyStyles];
  static override properties = {
    pool: { attribute: false },
  };

  /** A pool serving the built-in ops (`createPool()`), or a registry that includes them. */
  declare pool: Pool<BuiltinOps> | undefined;

  private ownPool = false;
  private readonly errors = new ErrorsPanel(this);
  private readonly jobs = new JobRunner((error, label) => this.errors.report(error, label));
  private readonly context: AppContext = {
    host: this,
    pool: () => this.pool,
    pagePool: () => pagePool(this.builtinPool),
    builtinPool: () => this.builtinPool,
    jobs: this.jobs,
    report: (error, context) => this.errors.report(error, context),
  };
  // Added in this order, so on disconnection the scene is disposed before the pipeline flushes.
  private readonly scene = new ScenePanel(this, this.context.report);
  private readonly datasets: DatasetsPanel = new DatasetsPanel(this.context, this.scene, (entry) => this.operations.inputChosen(entry));
  private readonly operations = new OperationsPanel(this.context, this.datasets, this.scene);
  private readonly demos = new DemosPanel(this.context, this.datasets, this.scene);
  private readonly pipelinePanel = new PipelinePanel(this.context, this.datasets, this.scene);
  /** A study: one pipeline over a whole folder of subjects (study-panel.ts). */
  readonly study = new StudyPanel(this.context, (files) => this.datasets.openFiles(files));

  override connectedCallback(): void {
    if (!this.pool) {
      this.pool = createPool();
      this.ownPool = true;
    }
    super.connectedCallback();
  }

  override disconnectedCallback(): void {
    if (this.ownPool && this.pool) {
      void this.pool.terminate();
      this.pool = undefined;
      this.ownPool = false;
    }
    // Last: the panels let go of the scene and the pipeline's store after the pool is gone.
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    // The page is drawn and answering; now fetch vtk.js.
    void this.loadScene().catch(() => undefined);
  }

  private get builtinPool(): Pool<BuiltinOps> {
    if (!this.pool) throw new Error('voxpool-app has no pool (it was disconnected)');
    return this.pool;
  }

  /** The lazily loaded scene (vtk.js arrives with it). */
  loadScene(): Promise<{ module: SceneModule; scene: Scene }> {
    return this.scene.load();
  }

  /** The results gallery and its volume viewer, once a result was shown (null before). */
  get gallery(): Gallery | null {
    return this.scene.gallery;
  }

  /** The datasets the page holds: files, datasets given to it, demo and operation results. */
  get entries(): readonly Entry[] {
    return this.datasets.entries;
  }

  /** The pipeline demo: its tally, and a stored run an earlier visit left unfinished. */
  get pipeline(): PipelineState {
    return this.pipelinePanel.state;
  }

  /** The pipeline's workflow, once started (its own monitor shows it). */
  get workflow(): Workflow<BuiltinOps> | null {
    return this.pipelinePanel.workflow;
  }

  /** The seed's mesh test. Resolves with its tally (Completed 50, Failed 0 when all is well). */
  runMeshDemo(): Promise<DemoTally | null> {
    return this.demos.runMesh();
  }

  /** The seed's volume test on the selected volume, or on the head phantom. */
  runVolumeDemo(): Promise<DemoTally | null> {
    return this.demos.runVolume();
  }

  /** The workflow demo; `resume` takes up the run an earlier visit left. Resolves with its summary. */
  runPipeline(resume = false): Promise<WorkflowSummary | null> {
    return this.pipelinePanel.run(resume);
  }

  /** Gives the app a dataset made elsewhere (a host page's own data); it becomes the selected input. */
  addDataset(kind: DataKind, value: Volume | Mesh): Promise<void> {
    return this.datasets.addDataset(kind, value);
  }

  /** Chooses the operation and its parameter fields (each a value, a list or a range), as a person would. */
  chooseOperation(op: string, params: Record<string, string> = {}): void {
    this.operations.chooseOperation(op, params);
  }

  /** Reads files (in the pool, as tasks) and shows each dataset read. */
  openFiles(list: Iterable<File>): Promise<void> {
    return this.datasets.openFiles(list);
  }

  /** Runs the chosen operation on the selected dataset, once per sweep combination, in parallel. */
  runOperation(): Promise<void> {
    return this.operations.run();
  }

  private onMonitorAction(e: MonitorActionEvent): void {
    if (e.detail.action !== 'retry') return;
    // A bare pool can't retry (inputs were moved); the page resubmits from what it kept.
    e.preventDefault();
    void this.jobs.retry(e.detail.ids);
  }

  /** In a shadow root a fragment link finds nothing: move focus (and the view) to its target by hand. */
  private readonly skipTo = (e: Event): void => {
    e.preventDefault();
    const id = (e.currentTarget as HTMLAnchorElement).hash.slice(1);
    const target = this.renderRoot.querySelector<HTMLElement>(`#${id}`);
    target?.focus({ preventScroll: true });
    target?.scrollIntoView({ block: 'start' });
  };

  protected override render(): unknown {
    const hasVolumes = this.demos.volumeRan || this.datasets.entries.some((e) => e.kind === 'volume');
    return html`
      <div class="app" @dragover=${this.datasets.onDragOver} @dragleave=${this.datasets.onDragLeave} @drop=${this.datasets.onDrop}>
        <nav class="skip" aria-label="Skip to">
          <a href="#data-h" @click=${this.skipTo}>Skip to your data and operations</a>
          <a href="#results" @click=${this.skipTo}>Skip to the results</a>
          <a href="#tasks" @click=${this.skipTo}>Skip to the tasks</a>
        </nav>
        <header>
          <h1>voxpool</h1>
          <p class="tagline">Parallel image and mesh processing in your browser: every task runs in a Web Worker, nothing leaves this page.</p>
          ${this.scene.renderViewerState()}
        </header>
        ${this.errors.render()}
        <div class="layout">
          <div class="controls">
            <section aria-labelledby="demos-h">
              <h2 id="demos-h">Demos</h2>
              ${this.demos.render()} ${this.pipelinePanel.render()}
            </section>
            <section aria-labelledby="data-h">
              <h2 id="data-h" tabindex="-1">Your data</h2>
              ${this.datasets.render()} ${this.operations.render()}
            </section>
            ${this.scene.renderSlices(hasVolumes)}
          </div>
          <div class="results" id="results" tabindex="-1" aria-label="Results">${this.scene.renderViews()}</div>
        </div>
        <section class="study-section" aria-labelledby="study-h">
          <h2 id="study-h">A study</h2>
          ${this.study.render()}
        </section>
        ${this.pipelinePanel.renderMonitor()}
        <voxpool-monitor id="tasks" tabindex="-1" .pool=${this.pool} retryable heading="Tasks" @monitor-action=${this.onMonitorAction}></voxpool-monitor>
      </div>
    `;
  }
}

if (!customElements.get('voxpool-app')) customElements.define('voxpool-app', VoxpoolApp);

declare global {
  interface HTMLElementTagNameMap {
    'voxpool-app': VoxpoolApp;
  }
}
