/**
 * A study: a folder of images (BIDS or not) run through one pipeline, every input in parallel on
 * the page's pool, with a grid of inputs × steps, results saved into a folder or a zip (BIDS
 * derivatives for a BIDS input). The run is stored as it goes (study.ts) and offered again after
 * a reload; a failed input only stops its own steps.
 */
import { html, nothing, type ReactiveController } from 'lit';
import type { Pool } from '../pool/pool.ts';
import type { Workflow, WorkflowSummary } from '../graph/index.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import { ignoredSummary, layoutOf, type StudyLayout } from '../study/layout.ts';
import { dicomInputs } from '../study/dicom-inputs.ts';
import { directoryPicker, folderFromDrop, folderFromFileList, folderFromHandle, type PickedFolder } from '../study/folder.ts';
import { writeToFolder, zipFiles } from '../study/sink.ts';
import { asError } from './jobs.ts';
import type { AppContext } from './panel.ts';
import { saveBytes } from './download.ts';
import { fileTaskId, studyWorkflowFile } from './study-export.ts';
import { DEFAULT_PARAMS, STUDY_PIPELINES, pipelineById, type StudyParams } from './study-pipelines.ts';
import { StudyStore, cellOf, indexTasks, remoteStudyOutputs, studyOutputs, taskLabel, type StudyCell, type StudyManifest } from './study.ts';
import { RemoteStudyRun, serverCapabilities } from './study-remote.ts';
import type { OutputFile } from '../study/sink.ts';
import type { Capabilities, RemoteExecutor, RemoteRunStatus } from '../study/remote-api.ts';

export interface StudyState {
  /** The folder picked, and what it holds. */
  folder: PickedFolder | null;
  layout: StudyLayout | null;
  /** The run shown in the grid (a new one, or one resumed). */
  manifest: StudyManifest | null;
  running: boolean;
  summary: WorkflowSummary | null;
  /** A stored run an earlier visit left unfinished. */
  stored: StudyManifest | null;
  /** What was last saved: "12 files into out/", "study.zip (12 files)". */
  saved: string | null;
  error: string | null;
  /** What `voxpool serve` offers, when it serves this page (null on a static host). */
  server: Capabilities | null;
  /** The run shown, when it runs on the server: where, and its last known state. */
  remote: { executor: RemoteExecutor; status: RemoteRunStatus | null } | null;
}

const EXECUTOR_NAMES: Record<RemoteExecutor, string> = { local: 'this machine', slurm: 'Slurm' };

/** A grid cell from the server's state of the exported workflow's tasks (keyed by fileTaskId of the page's labels). */
function remoteCell(status: RemoteRunStatus | null, key: string, step: string, hasFile: boolean): StudyCell {
  const byKey = new Map((status?.tasks ?? []).map((t) => [t.key, t] as const));
  const t = byKey.get(fileTaskId(taskLabel(key, step)));
  if (!t) return status ? { state: 'missing', text: 'not in this run' } : { state: 'waiting', text: 'waiting' };
  const file = hasFile ? byKey.get(fileTaskId(taskLabel(key, step, true))) : undefined;
  const shown = t.place === 'done' && file ? file : t;
  const prefix = shown === file && file.place !== 'done' ? 'writing the file: ' : '';
  const text =
    shown.place === 'failed'
      ? `failed: ${shown.message}`
      : shown.place === 'skipped'
        ? `skipped: ${shown.message || 'an earlier step did not finish'}`
        : shown.place;
  return { state: shown.place, text: `${prefix}${text}` };
}

function remoteSummary(status: RemoteRunStatus): WorkflowSummary {
  const n = (place: string): number => status.tasks.filter((t) => t.place === place).length;
  const state = status.finished ? (status.state === 'done' ? 'done' : status.state === 'stopped' ? 'stopped' : 'failed') : 'running';
  return { state, total: status.tasks.length, done: n('done'), failed: n('failed'), skipped: n('skipped'), cancelled: n('cancelled') };
}

export class StudyPanel implements ReactiveController {
  private current: StudyState = {
    folder: null,
    layout: null,
    manifest: null,
    running: false,
    summary: null,
    stored: null,
    saved: null,
    error: null,
    server: null,
    remote: null,
  };
  private wf: Workflow<BuiltinOps> | null = null;
  /** The shown run's results when it ran on the server, fetched back (null for an in-page run). */
  private remoteFiles: OutputFile[] | null = null;
  private remoteRun: RemoteStudyRun | null = null;
  private readonly store = new StudyStore();
  private pipeline = STUDY_PIPELINES[0]!.id;
  private params: StudyParams = { ...DEFAULT_PARAMS };

  /** `open`: shows files in the scene (the datasets panel's own opening of dropped files). */
  constructor(
    private readonly ctx: AppContext,
    private readonly open: (files: File[]) => Promise<void> = async () => undefined,
  ) {
    ctx.host.addController(this);
  }

  get state(): StudyState {
    return this.current;
  }

  get workflow(): Workflow<BuiltinOps> | null {
    return this.wf;
  }

  private set(patch: Partial<StudyState>): void {
    this.current = { ...this.current, ...patch };
    this.ctx.host.requestUpdate();
  }

  hostConnected(): void {
    // Served by voxpool serve? One same-origin request; on a static host it fails quietly.
    if (typeof document !== 'undefined')
      void serverCapabilities(document.baseURI).then((server) => {
        if (server && server.executors.length > 0) this.set({ server });
      });
    void this.store
      .stored()
      .then(async (s) => {
        if (!s) return;
        if (!s.finished) return this.set({ stored: s.manifest });
        // A run that ended before this visit: its grid and its results stay at hand.
        const wf = await this.store.load(this.pool());
        if (this.current.manifest) return; // a new run started meanwhile
        this.wf = wf;
        this.set({ manifest: s.manifest, summary: wf.summary() });
      })
      .catch(() => undefined); // no IndexedDB: a study still runs, unstored
  }

  hostDisconnected(): void {
    const store = this.store;
    void (this.wf?.flush() ?? Promise.resolve()).catch(() => undefined).finally(() => store.close());
  }

  private pool(): Pool<BuiltinOps> {
    return this.ctx.builtinPool();
  }

  /** Takes a folder: lists its inputs (a DICOM folder's series from their headers). */
  async openFolder(folder: PickedFolder): Promise<StudyLayout> {
    const layout = layoutOf(folder.name, [...folder.files.keys()]);
    if (layout.dicom.length > 0) {
      const found = await dicomInputs(
        layout.dicom,
        async (p) => new Uint8Array(await folder.files.get(p)!.arrayBuffer()),
        new Set(layout.inputs.map((i) => i.key)),
      );
      layout.inputs.push(...found.inputs);
      layout.ignored.push(...found.ignored);
      layout.dicom = [];
    }
    this.set({ folder, layout, error: null, saved: null });
    return layout;
  }

  private readonly onPick = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (files.length === 0) return;
    void this.guard(() => this.openFolder(folderFromFileList(files)), 'reading the folder');
  };

  private async pickWithApi(): Promise<void> {
    const pick = directoryPicker();
    if (!pick) return;
    let handle: FileSystemDirectoryHandle;
    try {
      handle = await pick({ mode: 'read', id: 'voxpool-study' });
    } catch {
      return; // the user closed the picker
    }
    await this.guard(async () => this.openFolder(await folderFromHandle(handle)), 'reading the folder');
  }

  private readonly onDragOver = (e: DragEvent): void => {
    e.preventDefault();
    e.stopPropagation();
  };

  private readonly onDrop = (e: DragEvent): void => {
    e.preventDefault();
    e.stopPropagation(); // the page's own drop (datasets) opens files one by one: not this
    const folder = folderFromDrop(e.dataTransfer);
    if (folder) void this.guard(async () => this.openFolder(await folder), 'reading the dropped folder');
  };

  private async guard(what: () => Promise<unknown>, context: string): Promise<void> {
    try {
      await what();
    } catch (e) {
      this.ctx.report(asError(e), context);
      this.set({ error: `${context}: ${asError(e).message}` });
    }
  }

  /** Runs the chosen pipeline on every input of the open folder. Resolves with its summary. */
  async run(): Promise<WorkflowSummary | null> {
    const { folder, layout } = this.current;
    if (this.current.running || !folder || !layout || layout.inputs.length === 0) return null;
    const manifest = this.newManifest(layout);
    return this.follow(() => this.store.start(this.pool(), manifest, folder.files), manifest);
  }

  private newManifest(layout: StudyLayout): StudyManifest {
    return { version: 1, name: layout.name, bids: layout.bids, pipeline: this.pipeline, params: { ...this.params }, inputs: layout.inputs };
  }

  /**
   * Runs the study on the server that serves the page (`voxpool serve`): its Node pool
   * (`local`) or Slurm. The same workflow file "Export the workflow" gives is sent with the
   * input files it names; the grid follows the server's state of each task, and once it ends
   * the output files come back into the page, to be saved or opened as an in-page run's are.
   */
  async runOnServer(executor: RemoteExecutor): Promise<WorkflowSummary | null> {
    const { folder, layout, server } = this.current;
    if (this.current.running || !server || !folder || !layout || layout.inputs.length === 0) return null;
    const manifest = this.newManifest(layout);
    this.wf = null;
    this.remoteFiles = null;
    this.set({ running: true, manifest, summary: null, saved: null, error: null, remote: { executor, status: null } });
    try {
      const text = studyWorkflowFile(this.pool(), manifest);
      const run = await RemoteStudyRun.submit(document.baseURI, text, executor, (p) => folder.files.get(p));
      this.remoteRun = run;
      const last = await run.follow((status) => this.set({ remote: { executor, status }, summary: remoteSummary(status) }));
      if (last.state === 'error') throw new Error(last.message);
      this.remoteFiles = remoteStudyOutputs(manifest, await run.outputs());
      const summary = remoteSummary(last);
      this.set({ running: false, summary });
      return summary;
    } catch (e) {
      this.ctx.report(asError(e), `study run on ${EXECUTOR_NAMES[executor]}`);
      this.set({ running: false, error: `Could not run on ${EXECUTOR_NAMES[executor]}: ${asError(e).message}` });
      return null;
    } finally {
      this.remoteRun = null;
    }
  }

  /** Cancels the run on the server (its finished steps stay, and come back like any others). */
  async cancelOnServer(): Promise<void> {
    const run = this.remoteRun;
    if (run) await this.guard(() => run.cancel(), 'cancelling the run');
  }

  /** Takes up the run an earlier visit left. */
  async resume(): Promise<WorkflowSummary | null> {
    const manifest = this.current.stored;
    if (this.current.running || !manifest) return null;
    return this.follow(() => this.store.resume(this.pool()), manifest);
  }

  private async follow(start: () => Promise<Workflow<BuiltinOps>>, manifest: StudyManifest): Promise<WorkflowSummary | null> {
    this.remoteFiles = null;
    this.set({ running: true, manifest, summary: null, stored: null, saved: null, error: null, remote: null });
    try {
      const wf = await start();
      this.wf = wf;
      const tally = (): void => this.set({ summary: wf.summary() });
      wf.addEventListener('task', tally);
      tally();
      const summary = await wf.settled();
      wf.removeEventListener('task', tally);
      this.set({ running: false, summary });
      return summary;
    } catch (e) {
      this.ctx.report(asError(e), 'study run');
      this.set({ running: false, error: `Could not run: ${asError(e).message}` });
      return null;
    }
  }

  private async discard(): Promise<void> {
    await this.store.discard().catch((e: unknown) => this.ctx.report(asError(e), 'discarding the stored study'));
    this.set({ stored: null });
  }

  /** The shown run's result files: fetched back from the server, or read from the in-page run. */
  private async outputs(manifest: StudyManifest): Promise<OutputFile[]> {
    if (this.remoteFiles) return this.remoteFiles;
    if (!this.wf) return [];
    return studyOutputs(this.wf, manifest);
  }

  private get hasResults(): boolean {
    return this.wf !== null || this.remoteFiles !== null;
  }

  /** Opens every result (volumes and meshes, not the description) in the scene. */
  async openResults(): Promise<void> {
    const { manifest } = this.current;
    if (!this.hasResults || !manifest) return;
    await this.guard(async () => {
      const files = (await this.outputs(manifest))
        .filter((f) => !f.path.endsWith('.json'))
        .map((f) => new File([f.bytes as Uint8Array<ArrayBuffer>], f.path.slice(f.path.lastIndexOf('/') + 1)));
      await this.open(files);
    }, 'opening the results');
  }

  /** Writes every finished result into a folder the user picks (File System Access). */
  async saveToFolder(root?: FileSystemDirectoryHandle): Promise<void> {
    const { manifest } = this.current;
    if (!this.hasResults || !manifest) return;
    let dir = root;
    if (!dir) {
      const pick = directoryPicker();
      if (!pick) return;
      try {
        dir = await pick({ mode: 'readwrite', id: 'voxpool-study-out' });
      } catch {
        return;
      }
    }
    const target = dir;
    await this.guard(async () => {
      const files = await this.outputs(manifest);
      await writeToFolder(target, files);
      this.set({ saved: `${files.length} files written into ${target.name}/` });
    }, 'saving the results');
  }

  /** Downloads every finished result as one zip. */
  async downloadZip(): Promise<void> {
    const { manifest } = this.current;
    if (!this.hasResults || !manifest) return;
    await this.guard(async () => {
      const files = await this.outputs(manifest);
      const name = `${manifest.name.replace(/[^\w.-]+/g, '_') || 'study'}-${manifest.pipeline}.zip`;
      saveBytes(this.ctx.host.renderRoot, { name, bytes: zipFiles(files) });
      this.set({ saved: `${name} (${files.length} files)` });
    }, 'making the zip');
  }

  /** Downloads the study as a workflow file, for `voxpool run` on a workstation or a cluster. */
  exportWorkflow(): void {
    const { manifest } = this.current;
    if (!manifest) return;
    void this.guard(async () => {
      const name = `${manifest.name.replace(/[^\w.-]+/g, '_') || 'study'}-${manifest.pipeline}.workflow.json`;
      saveBytes(this.ctx.host.renderRoot, { name, bytes: new TextEncoder().encode(studyWorkflowFile(this.pool(), manifest)) });
      this.set({ saved: `${name}: run it with voxpool run ${name} --inputs <the dataset folder>` });
    }, 'exporting the workflow file');
  }

  private renderLayout(layout: StudyLayout): unknown {
    const ignored = ignoredSummary(layout.ignored);
    return html`<div class="study-found" role="status">
      <p>
        ${layout.bids ? 'A BIDS dataset' : 'A folder'} “${layout.name}”: ${layout.inputs.length}
        ${layout.inputs.length === 1 ? 'input' : 'inputs'}${
          layout.bids ? ` (${new Set(layout.inputs.map((i) => i.subject)).size} subjects)` : ''
        }${layout.ignored.length ? `, ${layout.ignored.length} ${layout.ignored.length === 1 ? 'file' : 'files'} ignored` : ''}.
      </p>
      ${
        ignored.length
          ? html`<details class="study-ignored">
              <summary>Ignored files</summary>
              <ul>
                ${ignored.map((g) => html`<li>${g.count} × ${g.why}</li>`)}
              </ul>
            </details>`
          : nothing
      }
    </div>`;
  }

  private renderGrid(manifest: StudyManifest): unknown {
    const pipeline = pipelineById(manifest.pipeline)!;
    const tasks = this.wf ? indexTasks(this.wf) : null;
    const remote = this.current.remote;
    const steps = [{ id: 'read', title: 'read', file: false }, ...pipeline.steps.map((s) => ({ ...s, file: true }))];
    const titles = new Map(steps.map((s) => [s.id, s.title] as const));
    return html`<div class="study-table">
      <table class="study-grid">
        <caption>
          ${manifest.name}: ${pipeline.name}, state of each input's steps
        </caption>
        <thead>
          <tr>
            <th scope="col">Input</th>
            ${steps.map((s) => html`<th scope="col">${s.title}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${manifest.inputs.map(
            (input) =>
              html`<tr data-input=${input.key}>
                <th scope="row">${input.label}</th>
                ${steps.map((s) => {
                  const cell = remote
                    ? remoteCell(remote.status, input.key, s.id, s.file)
                    : tasks
                      ? cellOf(tasks, input.key, s.id, s.file, titles)
                      : { state: 'waiting', text: 'waiting' };
                  return html`<td data-step=${s.id} data-state=${cell.state}>${cell.text}</td>`;
                })}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderServerRuns(server: Capabilities, disabled: boolean): unknown {
    const p = this.current;
    return html`${server.executors.map(
      (x) =>
        html`<button type="button" class="run-study-server" data-executor=${x} ?disabled=${disabled} @click=${() => void this.runOnServer(x)}>
          ${x === 'local' ? `Run on this machine (Node, ${server.workers} ${server.workers === 1 ? 'worker' : 'workers'})` : 'Run on Slurm'}
        </button>`,
    )}${
      p.running && p.remote
        ? html`<button type="button" class="cancel-study-server" @click=${() => void this.cancelOnServer()}>
            Cancel the run on ${EXECUTOR_NAMES[p.remote.executor]}
          </button>`
        : nothing
    }`;
  }

  render(): unknown {
    const p = this.current;
    const s = p.summary;
    const canPickApi = directoryPicker() !== null;
    const text =
      p.error ??
      (s
        ? `${p.running ? 'Running' : 'Finished'}: Done ${s.done}, Failed ${s.failed}, Skipped ${s.skipped}, Cancelled ${s.cancelled} of ${s.total} tasks`
        : p.running
          ? 'Starting…'
          : '');
    return html`<div class="study" @dragover=${this.onDragOver} @drop=${this.onDrop}>
      <p class="what">Drop a folder here (a BIDS dataset, NIfTI files or DICOM series), or choose one; one pipeline runs on every subject in parallel.</p>
      <div class="study-pick">
        ${canPickApi ? html`<button type="button" class="study-choose" @click=${() => void this.pickWithApi()}>Choose a folder…</button>` : nothing}
        <label>${canPickApi ? 'or pick one here' : 'Choose a folder'} <input type="file" class="study-folder" webkitdirectory @change=${this.onPick} /></label>
      </div>
      ${p.layout ? this.renderLayout(p.layout) : nothing}
      <div class="study-run">
        <label
          >Pipeline
          <select
            class="study-pipeline"
            @change=${(e: Event) => {
              this.pipeline = (e.target as HTMLSelectElement).value;
              this.ctx.host.requestUpdate();
            }}
          >
            ${STUDY_PIPELINES.map((pl) => html`<option value=${pl.id} ?selected=${pl.id === this.pipeline}>${pl.name}</option>`)}
          </select></label
        >
        ${
          this.pipeline === 'surface'
            ? html` <label
                >Mask threshold
                <input
                  type="number"
                  class="study-threshold"
                  .value=${String(this.params.threshold)}
                  @change=${(e: Event) => (this.params = { ...this.params, threshold: Number((e.target as HTMLInputElement).value) })}
              /></label>`
            : nothing
        }
        <button type="button" class="run-study" ?disabled=${p.running || !p.layout?.inputs.length} @click=${() => void this.run()}>Run on every input</button>
        ${p.server ? this.renderServerRuns(p.server, p.running || !p.layout?.inputs.length) : nothing}
      </div>
      ${
        p.stored && !p.running
          ? html`<p class="resume" role="status">
              A study run from an earlier visit (${p.stored.name}, ${p.stored.inputs.length} inputs) did not finish.
              <button type="button" class="resume-study" @click=${() => void this.resume()}>Resume the study</button>
              <button type="button" @click=${() => void this.discard()}>Discard it</button>
            </p>`
          : nothing
      }
      ${p.manifest ? this.renderGrid(p.manifest) : nothing}
      <output
        class="study-status"
        data-done=${s?.done ?? 0}
        data-failed=${s?.failed ?? 0}
        data-skipped=${s?.skipped ?? 0}
        data-total=${s?.total ?? 0}
        data-finished=${p.error ? 'error' : s && !p.running ? 'yes' : 'no'}
        >${text}</output
      >
      ${
        this.hasResults && !p.running && p.manifest
          ? html`<div class="study-save">
              ${canPickApi ? html`<button type="button" class="study-save-folder" @click=${() => void this.saveToFolder()}>Save into a folder…</button>` : nothing}
              <button type="button" class="study-zip" @click=${() => void this.downloadZip()}>Download a zip</button>
              <button type="button" class="study-open" @click=${() => void this.openResults()}>Open the results in the scene</button>
              <button type="button" class="study-export" @click=${() => this.exportWorkflow()}>Export the workflow (run it elsewhere)</button>
              ${p.saved ? html`<span role="status">Saved: ${p.saved}</span>` : nothing}
            </div>`
          : nothing
      }
    </div>`;
  }
}
