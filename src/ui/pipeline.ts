/**
 * The page's workflow demo: a pipeline of dependent tasks on the page's pool, stored in
 * IndexedDB as it runs, so a reload (or a crashed tab) finds it and resumes it where it was.
 *
 *   head phantom ─ smooth ─┬─ isosurface ─ decimate ─ smooth mesh
 *                          └─ white-matter mask ─ components
 */
import type { Pool } from '../pool/pool.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import { Workflow, openWorkflowStore, type IdbWorkflowStore, type StoredWorkflow, type WorkflowTask } from '../graph/index.ts';
import type { DataKind } from './catalog.ts';

/** Where the page keeps its pipeline: one database of its own, one workflow at a time. */
export const PIPELINE_DB = 'voxpool-page';
export const PIPELINE_ID = 'pipeline-demo';

/** The steps whose results the page shows, by label, with how to read them as a dataset. */
export const SHOWN: Readonly<Record<string, { kind: DataKind; pick(output: unknown): Volume | Mesh }>> = {
  'smooth 2 mm': { kind: 'volume', pick: (o) => o as Volume },
  isosurface: { kind: 'mesh', pick: (o) => o as Mesh },
  'smooth mesh': { kind: 'mesh', pick: (o) => o as Mesh },
  components: { kind: 'volume', pick: (o) => (o as { labels: Volume }).labels },
};

/** Adds the pipeline's tasks to an empty workflow. */
export function addPipeline(wf: Workflow<BuiltinOps>): void {
  // `keep`: outputs the page shows stay whole on the page even though a later step consumes them.
  // The head at half resolution (2 mm voxels): the pipeline is about the workflow, so it stays quick.
  const head = wf.add('volume.phantom', { dimensions: [128, 128, 65], spacing: [2, 2, 2.6] }, { label: 'head phantom' });
  const smooth = wf.add('volume.gaussian', { volume: head.output(), sigma: 2 }, { label: 'smooth 2 mm', keep: true });
  const surface = wf.add('volume.isosurface', { volume: smooth.output(), isovalue: 400, largestOnly: true }, { label: 'isosurface', keep: true });
  // Decimated first: smoothing a tenth of the triangles is ten times quicker and looks the same.
  const coarse = wf.add('mesh.decimate', { mesh: surface.output(), ratio: 0.1 }, { label: 'decimate to 10%' });
  wf.add('mesh.smooth', { mesh: coarse.output('mesh'), iterations: 15, passBand: 0.05 }, { label: 'smooth mesh' });
  const mask = wf.add('volume.binarize', { volume: smooth.output(), lower: 650, upper: 100_000 }, { label: 'white-matter mask' });
  wf.add('volume.components', { volume: mask.output(), connectivity: 6 }, { label: 'components' });
}

/** The page's pipeline store, opened once. */
export class PipelineStore {
  private store: Promise<IdbWorkflowStore> | null = null;

  open(): Promise<IdbWorkflowStore> {
    this.store ??= openWorkflowStore(PIPELINE_DB);
    this.store.catch(() => (this.store = null));
    return this.store;
  }

  /** The stored pipeline, if an earlier visit left one that did not finish. */
  async unfinished(): Promise<StoredWorkflow | null> {
    const all = await (await this.open()).list();
    const found = all.find((w) => w.id === PIPELINE_ID);
    return found && found.state !== 'done' ? found : null;
  }

  /** Starts a new pipeline (forgetting any stored one), or resumes the stored one. */
  async start(pool: Pool<BuiltinOps>, resume: boolean): Promise<Workflow<BuiltinOps>> {
    const store = await this.open();
    if (resume && (await store.load(PIPELINE_ID))) return Workflow.resume(pool, store, PIPELINE_ID);
    await store.delete(PIPELINE_ID);
    const wf = new Workflow(pool, { id: PIPELINE_ID, name: 'Pipeline demo', store });
    addPipeline(wf);
    wf.start();
    return wf;
  }

  async discard(): Promise<void> {
    await (await this.open()).delete(PIPELINE_ID);
  }

  close(): void {
    void this.store?.then(
      (s) => s.close(),
      () => undefined,
    );
    this.store = null;
  }
}

/** Calls `show` with each shown step's result as it is ready (at once for steps done before a reload). */
export function watchResults(wf: Workflow<BuiltinOps>, show: (task: Readonly<WorkflowTask>, kind: DataKind, value: Volume | Mesh) => void): Promise<void> {
  const shown = wf.tasks().filter((t) => t.label in SHOWN);
  return Promise.all(
    shown.map((t) =>
      wf.wait(t.id).then(
        (output) => {
          const how = SHOWN[t.label]!;
          show(t, how.kind, how.pick(output));
        },
        // Failures and skips are the workflow's to show (its monitor lists them).
        () => undefined,
      ),
    ),
  ).then(() => undefined);
}
