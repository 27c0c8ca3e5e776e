/**
 * The pipeline demo's controls and its workflow monitor (the workflow itself is pipeline.ts):
 * run, resume the run an earlier visit left unfinished, or discard it; results go to the
 * pipeline's grid and to the datasets as they are ready.
 */
import { html, nothing, type ReactiveController } from 'lit';
import type { StoredWorkflow, Workflow, WorkflowSummary } from '../graph/index.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import { PipelineStore, watchResults } from './pipeline.ts';
import { asError } from './jobs.ts';
import type { AppContext } from './panel.ts';
import type { DatasetsPanel } from './datasets-panel.ts';
import { showOne, type ScenePanel } from './scene-panel.ts';
import './monitor.ts';

/** The pipeline demo: its tally, and a stored run an earlier visit left unfinished. */
export interface PipelineState {
  running: boolean;
  summary: WorkflowSummary | null;
  stored: StoredWorkflow | null;
  error?: string;
}

export class PipelinePanel implements ReactiveController {
  private current: PipelineState = { running: false, summary: null, stored: null };
  /** The pipeline's workflow, once started (its own monitor shows it). */
  private wf: Workflow<BuiltinOps> | null = null;
  private readonly store = new PipelineStore();

  constructor(
    private readonly ctx: AppContext,
    private readonly datasets: DatasetsPanel,
    private readonly scene: ScenePanel,
  ) {
    ctx.host.addController(this);
  }

  get state(): PipelineState {
    return this.current;
  }

  get workflow(): Workflow<BuiltinOps> | null {
    return this.wf;
  }

  private set(state: PipelineState): void {
    this.current = state;
    this.ctx.host.requestUpdate();
  }

  hostConnected(): void {
    // A pipeline an earlier visit left running: offer to resume it.
    void this.store.unfinished().then(
      (stored) => this.set({ ...this.current, stored }),
      () => undefined, // no IndexedDB (a private window): the pipeline still runs, unstored
    );
  }

  hostDisconnected(): void {
    // Whatever the pipeline has not written yet goes to the store before it closes.
    const store = this.store;
    void (this.wf?.flush() ?? Promise.resolve()).catch(() => undefined).finally(() => store.close());
  }

  /**
   * The workflow demo: seven dependent tasks (see pipeline.ts), stored as they run. `resume`
   * takes up the run an earlier visit left; otherwise a new one starts. Resolves with its summary.
   */
  async run(resume = false): Promise<WorkflowSummary | null> {
    if (this.current.running) return null;
    this.set({ running: true, summary: null, stored: null });
    try {
      const { scene, grid } = await this.scene.reveal('pipeline');
      scene.clear(grid);
      // Its first steps run one at a time; start every worker now so the branches after them
      // find workers ready rather than waiting for one to boot.
      void this.ctx
        .pagePool()
        .warm()
        .catch(() => undefined);
      // The run before this one, if any, shares the stored id: it is discarded first, so none of
      // its late writes lands in the new run's records.
      await this.wf?.discard();
      const wf = await this.store.start(this.ctx.builtinPool(), resume);
      this.wf = wf;
      this.ctx.host.requestUpdate();
      const tally = (): void => this.set({ ...this.current, summary: wf.summary() });
      wf.addEventListener('task', tally);
      tally();
      const shown = watchResults(wf, (task, kind, value) => {
        const name = `pipeline: ${task.label}`;
        const entry = this.datasets.add(name, kind, { ...value, name }, 'result');
        showOne(scene, grid, entry);
      });
      const summary = await wf.settled();
      await shown;
      wf.removeEventListener('task', tally);
      this.set({ running: false, summary, stored: null });
      return summary;
    } catch (e) {
      this.ctx.report(asError(e), 'pipeline demo');
      this.set({ running: false, summary: this.current.summary, stored: null, error: asError(e).message });
      return null;
    }
  }

  private async discard(): Promise<void> {
    await this.store.discard().catch((e: unknown) => this.ctx.report(asError(e), 'discarding the stored pipeline'));
    this.set({ ...this.current, stored: null });
  }

  render(): unknown {
    const p = this.current;
    const s = p.summary;
    const text = p.error
      ? `Could not run: ${p.error}`
      : s
        ? `${p.running ? 'Running' : 'Finished'}: Done ${s.done}, Failed ${s.failed}, Skipped ${s.skipped}, Cancelled ${s.cancelled} of ${s.total}`
        : p.running
          ? 'Starting…'
          : '';
    return html`<div class="demo">
      <button type="button" class="run-pipeline" ?disabled=${p.running} @click=${() => void this.run(false)}>Run pipeline</button>
      <span class="what">A workflow of 7 dependent tasks: smooth → isosurface → decimate → smooth mesh, and mask → components</span>
      ${
        p.stored && !p.running
          ? html`<p class="resume" role="status">
              A pipeline from an earlier visit did not finish.
              <button type="button" class="resume-pipeline" @click=${() => void this.run(true)}>Resume it</button>
              <button type="button" @click=${() => void this.discard()}>Discard</button>
            </p>`
          : nothing
      }
      <output
        class="demo-status"
        data-demo="pipeline"
        data-done=${s?.done ?? 0}
        data-failed=${s?.failed ?? 0}
        data-skipped=${s?.skipped ?? 0}
        data-total=${s?.total ?? 0}
        data-finished=${p.error ? 'error' : s && !p.running ? 'yes' : 'no'}
        >${text}</output
      >
    </div>`;
  }

  /** The workflow's own monitor, once there is a workflow. */
  renderMonitor(): unknown {
    return this.wf
      ? html`<voxpool-monitor class="workflow-monitor" .pool=${this.wf} heading="Pipeline workflow (stored; resumes after a reload)"></voxpool-monitor>`
      : nothing;
  }
}
