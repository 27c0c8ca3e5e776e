/**
 * The seed's two demos as page controls (their runs are in demos.ts): the jittered sphere and
 * five Gaussian smoothings of the selected volume or of the sample head MR (the head phantom when
 * the sample can't be had), each with its tally.
 */
import { html } from 'lit';
import type { Volume } from '../data/volume.ts';
import { runMeshDemo, runVolumeDemo, type DemoTally } from './demos.ts';
import { fetchSample, readFiles } from './files.ts';
import { resultStem, stemOf } from './naming.ts';
import { formatDuration } from './format.ts';
import { asError } from './jobs.ts';
import type { AppContext } from './panel.ts';
import type { DatasetsPanel, Entry } from './datasets-panel.ts';
import type { ScenePanel } from './scene-panel.ts';

type DemoState = { running: boolean; tally: DemoTally | null; error?: string };

export class DemosPanel {
  private mesh: DemoState = { running: false, tally: null };
  private volume: DemoState = { running: false, tally: null };
  /**
   * The demo's own head, read once: the real head MR shipped with the site, or where it can't
   * be had (not deployed, offline before caching, damaged), the head phantom made in a worker.
   */
  private head: Promise<Volume> | null = null;
  /** Which of the two the demo ran on, for the page to say. */
  private headSource: 'sample' | 'phantom' | null = null;

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
      // Listed in the order submitted (radius factor 0 first), not as they finish.
      const group = this.datasets.newGroup();
      const { scene, grid } = await this.scene.reveal('volume');
      const tally = await runVolumeDemo(
        this.ctx.pagePool(),
        this.ctx.jobs,
        scene,
        grid,
        volume,
        (t) => this.setVolume({ running: true, tally: t }),
        (result, index, params) =>
          this.datasets.add(result.name, 'volume', result, 'demo', { group, index, stem: resultStem(stemOf(volume.name), 'volume.gaussianVtk', params) }),
      );
      this.setVolume({ running: false, tally });
      return tally;
    } catch (e) {
      this.ctx.report(asError(e), 'volume demo');
      this.setVolume({ running: false, tally: this.volume.tally, error: asError(e).message });
      return null;
    }
  }

  /** A volume the user opened or handed in, when chosen; a result chosen by the page is not one. */
  private chosenVolume(): Entry | undefined {
    const chosen = this.datasets.selectedEntry;
    return chosen?.kind === 'volume' && chosen.from === 'file' ? chosen : undefined;
  }

  private demoVolume(): Promise<Volume> {
    const chosen = this.chosenVolume();
    if (chosen) return Promise.resolve(chosen.value as Volume);
    this.head ??= this.readHead();
    this.head.catch(() => (this.head = null));
    return this.head;
  }

  private async readHead(): Promise<Volume> {
    const pool = this.ctx.pagePool();
    try {
      const [file] = await readFiles([await fetchSample()]);
      const head = await pool.run('volume.read', { files: [file!] }, { label: 'read the sample head' });
      this.headSource = 'sample';
      return head;
    } catch {
      // Made in a worker: on the main thread its 8.5 million voxels would freeze the page for seconds.
      const phantom = await pool.run('volume.phantom', null, { label: 'make head phantom' });
      this.headSource = 'phantom';
      return phantom;
    }
  }

  render(): unknown {
    const chosen = this.chosenVolume();
    const volumeInput = chosen
      ? chosen.name
      : this.headSource === 'phantom'
        ? 'the head phantom (the sample head MR could not be read)'
        : 'a real head MR (T1, from nibabel)';
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
