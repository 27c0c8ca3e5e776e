/**
 * The seed's two demos as page controls (their runs are in demos.ts): the jittered sphere and
 * five Gaussian smoothings of the selected volume or of the head phantom, each with its tally.
 */
import { html } from 'lit';
import type { Volume } from '../data/volume.ts';
import { runMeshDemo, runVolumeDemo, type DemoTally } from './demos.ts';
import { formatDuration } from './format.ts';
import { asError } from './jobs.ts';
import type { AppContext } from './panel.ts';
import type { DatasetsPanel } from './datasets-panel.ts';
import type { ScenePanel } from './scene-panel.ts';

type DemoState = { running: boolean; tally: DemoTally | null; error?: string };

export class DemosPanel {
  private mesh: DemoState = { running: false, tally: null };
  private volume: DemoState = { running: false, tally: null };
  /** The head phantom, made once (in a worker) for the volume demo when no volume is chosen. */
  private phantom: Promise<Volume> | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly datasets: DatasetsPanel,
    private readonly scene: ScenePanel,
  ) {}

  /** Whether the volume demo has run (its results are volumes to slice). */
  get volumeRan(): boolean {
    return this.volume.tally !== null;
  }

  private setMesh(state: DemoState): void {
    this.mesh = state;
    this.ctx.host.requestUpdate();
  }

  private setVolume(state: DemoState): void {
    this.volume = state;
    this.ctx.host.requestUpdate();
  }

  /** The seed's mesh test. Resolves with its tally (Completed 50, Failed 0 when all is well). */
  async runMesh(): Promise<DemoTally | null> {
    if (this.mesh.running) return null;
    this.setMesh({ running: true, tally: null });
    try {
      const { module, scene, grid } = await this.scene.reveal('mesh');
      const tally = await runMeshDemo(this.ctx.pagePool(), this.ctx.jobs, module, scene, grid, (t) => {
        this.setMesh({ running: true, tally: t });
      });
      this.setMesh({ running: false, tally });
      return tally;
    } catch (e) {
      this.ctx.report(asError(e), 'mesh demo');
      this.setMesh({ running: false, tally: this.mesh.tally, error: asError(e).message });
      return null;
    }
  }

  /** The seed's volume test on the selected volume, or on the head phantom. */
  async runVolume(): Promise<DemoTally | null> {
    if (this.volume.running) return null;
    this.setVolume({ running: true, tally: null });
    try {
      const [, volume] = await Promise.all([this.scene.load(), this.demoVolume()]);
      const { scene, grid } = await this.scene.reveal('volume');
      const tally = await runVolumeDemo(
        this.ctx.pagePool(),
        this.ctx.jobs,
        scene,
        grid,
        volume,
        (t) => this.setVolume({ running: true, tally: t }),
        (result) => this.datasets.add(result.name, 'volume', result, 'demo'),
      );
      this.setVolume({ running: false, tally });
      return tally;
    } catch (e) {
      this.ctx.report(asError(e), 'volume demo');
      this.setVolume({ running: false, tally: this.volume.tally, error: asError(e).message });
      return null;
    }
  }

  private demoVolume(): Promise<Volume> {
    const chosen = this.datasets.selectedEntry;
    if (chosen?.kind === 'volume') return Promise.resolve(chosen.value as Volume);
    // Made in a worker: on the main thread its 8.5 million voxels would freeze the page for seconds.
    this.phantom ??= this.ctx.pagePool().run('volume.phantom', null, { label: 'make head phantom' });
    this.phantom.catch(() => (this.phantom = null));
    return this.phantom;
  }

  render(): unknown {
    const chosen = this.datasets.selectedEntry;
    const volumeInput = chosen?.kind === 'volume' ? chosen.name : 'the head phantom';
    return html`<div class="demo">
        <button type="button" class="run-mesh" ?disabled=${this.mesh.running} @click=${() => void this.runMesh()}>Run mesh demo</button>
        <span class="what">Sphere r=10 (50×50), jittered by 50 tasks</span>
        ${renderTally('mesh', this.mesh)}
      </div>
      <div class="demo">
        <button type="button" class="run-volume" ?disabled=${this.volume.running} @click=${() => void this.runVolume()}>Run volume demo</button>
        <span class="what">Gaussian smoothing ×5 of ${volumeInput}</span>
        ${renderTally('volume', this.volume)}
      </div>`;
  }
}

function renderTally(demo: 'mesh' | 'volume', state: DemoState): unknown {
  const t = state.tally;
  const text = state.error
    ? `Could not run: ${state.error}`
    : t
      ? `${state.running ? 'Running' : 'Finished'}: Completed ${t.done}, Failed ${t.failed}, Cancelled ${t.cancelled} of ${t.total}${state.running ? '' : ` in ${formatDuration(t.ms)}`}`
      : state.running
        ? 'Starting…'
        : '';
  return html`<output
    class="demo-status"
    data-demo=${demo}
    data-done=${t?.done ?? 0}
    data-failed=${t?.failed ?? 0}
    data-cancelled=${t?.cancelled ?? 0}
    data-finished=${state.error ? 'error' : t && !state.running ? 'yes' : 'no'}
    >${text}</output
  >`;
}
