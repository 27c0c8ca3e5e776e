/**
 * A study run on the page's pool: one workflow for every input of a dataset (each input's read,
 * steps and file writes), stored in IndexedDB as it runs, so a reload finds it and resumes it
 * where it was. What the grid and the output paths need besides the tasks (the inputs, the
 * pipeline, the layout's name) is the run's manifest, kept in localStorage beside it.
 */
import type { Pool } from '../pool/pool.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import { Workflow, openWorkflowStore, type IdbWorkflowStore, type WorkflowTask } from '../graph/index.ts';
import type { StudyInput } from '../study/layout.ts';
import { datasetDescription, derivativePath, descriptionPath } from '../study/derivatives.ts';
import type { OutputFile } from '../study/sink.ts';
import { pipelineById, type StudyParams, type StudyPipeline } from './study-pipelines.ts';

export const STUDY_DB = 'voxpool-study';
export const STUDY_ID = 'study-run';
const MANIFEST_KEY = 'voxpool-study-manifest';
const VERSION = '0.1.0';

export interface StudyManifest {
  version: 1;
  name: string;
  bids: boolean;
  pipeline: string;
  params: StudyParams;
  inputs: StudyInput[];
}

export class StudyManifestError extends Error {
  override name = 'StudyManifestError';
}

/** The task label of an input's step (its file write when `file`): `sub-01_T1w · smooth`. */
export function taskLabel(key: string, step: string, file = false): string {
  return `${key} · ${step}${file ? ' · file' : ''}`;
}

export function saveManifest(m: StudyManifest): void {
  localStorage.setItem(MANIFEST_KEY, JSON.stringify(m));
}

export function loadManifest(): StudyManifest | null {
  const text = localStorage.getItem(MANIFEST_KEY);
  if (!text) return null;
  try {
    const m = JSON.parse(text) as StudyManifest;
    return m.version === 1 && Array.isArray(m.inputs) && pipelineById(m.pipeline) ? m : null;
  } catch {
    return null;
  }
}

export function forgetManifest(): void {
  localStorage.removeItem(MANIFEST_KEY);
}

/** Adds the whole study to an empty workflow: per input, its read, then the pipeline's steps. */
export function addStudy(
  wf: Workflow<BuiltinOps>,
  pipeline: StudyPipeline,
  inputs: readonly { input: StudyInput; files: File[] }[],
  params: StudyParams,
): void {
  for (const { input, files } of inputs) {
    // The Files themselves go in: IndexedDB keeps them, so a resume needs no second pick.
    const read = wf.add('volume.read', { files }, { label: taskLabel(input.key, 'read') });
    pipeline.add(wf, read, (step, file) => taskLabel(input.key, step, file), params);
  }
}

/** The store, opened once. */
export class StudyStore {
  private store: Promise<IdbWorkflowStore> | null = null;

  open(): Promise<IdbWorkflowStore> {
    this.store ??= openWorkflowStore(STUDY_DB);
    this.store.catch(() => (this.store = null));
    return this.store;
  }

  /** A stored run an earlier visit left, with its manifest, if both are there. */
  async stored(): Promise<{ manifest: StudyManifest; finished: boolean } | null> {
    const manifest = loadManifest();
    if (!manifest) return null;
    const found = (await (await this.open()).list()).find((w) => w.id === STUDY_ID);
    return found ? { manifest, finished: found.state === 'done' || found.state === 'failed' } : null;
  }

  async start(pool: Pool<BuiltinOps>, manifest: StudyManifest, files: ReadonlyMap<string, File>): Promise<Workflow<BuiltinOps>> {
    const pipeline = pipelineById(manifest.pipeline);
    if (!pipeline) throw new StudyManifestError(`no pipeline called "${manifest.pipeline}"`);
    const store = await this.open();
    await store.delete(STUDY_ID);
    const wf = new Workflow(pool, { id: STUDY_ID, name: `${manifest.name}: ${pipeline.name}`, store });
    const inputs = manifest.inputs.map((input) => ({
      input,
      files: input.paths.map((p) => {
        const f = files.get(p);
        if (!f) throw new StudyManifestError(`${p} is in the study but not in the folder`);
        return f;
      }),
    }));
    saveManifest(manifest);
    addStudy(wf, pipeline, inputs, manifest.params);
    wf.start();
    return wf;
  }

  /** A finished run, loaded as it was stored (nothing runs): its grid and its results. */
  async load(pool: Pool<BuiltinOps>): Promise<Workflow<BuiltinOps>> {
    return Workflow.load(pool, await this.open(), STUDY_ID);
  }

  async resume(pool: Pool<BuiltinOps>): Promise<Workflow<BuiltinOps>> {
    return Workflow.resume(pool, await this.open(), STUDY_ID);
  }

  async discard(): Promise<void> {
    forgetManifest();
    await (await this.open()).delete(STUDY_ID);
  }

  close(): void {
    void this.store?.then(
      (s) => s.close(),
      () => undefined,
    );
    this.store = null;
  }
}

/** One cell of the grid: where an input's step is, in words. */
export interface StudyCell {
  state: WorkflowTask['state'] | 'missing';
  /** "done", "running", "failed: <why>", "skipped: read failed"... */
  text: string;
}

/** A workflow's tasks by label and by id, taken once per drawing of the grid. */
export interface StudyTasks {
  byLabel: ReadonlyMap<string, Readonly<WorkflowTask>>;
  byId: ReadonlyMap<number, Readonly<WorkflowTask>>;
}

export function indexTasks(wf: Workflow<BuiltinOps>): StudyTasks {
  const all = wf.tasks();
  return { byLabel: new Map(all.map((t) => [t.label, t] as const)), byId: new Map(all.map((t) => [t.id, t] as const)) };
}

function why(t: Readonly<WorkflowTask>): string {
  const e = t.ending;
  if (!e || e.kind === 'finished') return '';
  return e.message;
}

/**
 * The cell of a step: its task's state, and once it is done, its file's (a step is done when
 * its file is). A skipped task names the step whose failure (or cancel) it comes from, by its
 * column title in `titles`.
 */
export function cellOf(tasks: StudyTasks, key: string, step: string, hasFile: boolean, titles: ReadonlyMap<string, string> = new Map()): StudyCell {
  const { byLabel, byId } = tasks;
  const t = byLabel.get(taskLabel(key, step));
  if (!t) return { state: 'missing', text: 'not in this run' };
  const file = hasFile ? byLabel.get(taskLabel(key, step, true)) : undefined;
  const shown = t.state === 'done' && file ? file : t;
  const prefix = shown === file && file.state !== 'done' ? 'writing the file: ' : '';
  switch (shown.state) {
    case 'failed':
      return { state: 'failed', text: `${prefix}failed: ${why(shown)}` };
    case 'skipped': {
      // Back along the skips to the step that failed or was cancelled: that is the reason.
      let origin: Readonly<WorkflowTask> | undefined = shown;
      for (let n = 0; origin?.state === 'skipped' && origin.ending?.kind === 'skipped' && n < 1000; n++) origin = byId.get(origin.ending.because);
      const step = origin?.label.split(' · ')[1];
      const name = step ? (titles.get(step) ?? step) : 'an earlier step';
      return { state: 'skipped', text: `skipped: ${name} ${origin?.state === 'cancelled' ? 'was cancelled' : 'failed'}` };
    }
    case 'cancelled':
      return { state: 'cancelled', text: `${prefix}cancelled` };
    default:
      return { state: shown.state, text: `${prefix}${shown.state}` };
  }
}

/** The files of every finished step (and the derivatives' description for BIDS). */
export async function studyOutputs(wf: Workflow<BuiltinOps>, manifest: StudyManifest): Promise<OutputFile[]> {
  const pipeline = pipelineById(manifest.pipeline)!;
  const byLabel = new Map(wf.tasks().map((t) => [t.label, t] as const));
  const files: OutputFile[] = [];
  for (const input of manifest.inputs) {
    for (const step of pipeline.steps) {
      const t = byLabel.get(taskLabel(input.key, step.id, true));
      if (t?.state !== 'done') continue;
      const out = (await wf.result(t.id)) as { name: string; bytes: Uint8Array };
      const extension = /\.nii\.gz$/i.test(out.name) ? '.nii.gz' : out.name.slice(out.name.lastIndexOf('.'));
      files.push({ path: derivativePath(input, step.id, extension), bytes: out.bytes });
    }
  }
  return withDescription(manifest, files);
}

/** The derivatives' description after the files of a BIDS study. */
function withDescription(manifest: StudyManifest, files: OutputFile[]): OutputFile[] {
  const description = studyDescription(manifest);
  if (description && files.length > 0) files.push({ path: description.path, bytes: new TextEncoder().encode(description.text) });
  return files;
}

/**
 * A run elsewhere (voxpool serve) as the files an in-page run of the same study gives: its
 * output files (at the paths the exported workflow names, `derivativePath`) in the same order,
 * then the description. A step whose file is not among `found` did not finish.
 */
export function remoteStudyOutputs(manifest: StudyManifest, found: ReadonlyMap<string, Uint8Array>): OutputFile[] {
  const pipeline = pipelineById(manifest.pipeline);
  if (!pipeline) throw new StudyManifestError(`no pipeline called "${manifest.pipeline}"`);
  const files: OutputFile[] = [];
  for (const input of manifest.inputs) {
    for (const step of pipeline.steps) {
      for (const extension of ['.nii.gz', '.stl']) {
        const path = derivativePath(input, step.id, extension);
        const bytes = found.get(path);
        if (bytes) files.push({ path, bytes });
      }
    }
  }
  return withDescription(manifest, files);
}

/**
 * A BIDS study's `dataset_description.json`: where it goes and its text (null for a study that is
 * not BIDS). The page writes it with the results; the exported workflow file writes it with a
 * `text.write` task, so both give the same folder.
 */
export function studyDescription(manifest: StudyManifest): { path: string; text: string } | null {
  const path = descriptionPath(manifest.bids);
  const pipeline = pipelineById(manifest.pipeline);
  if (!path || !pipeline) return null;
  return { path, text: datasetDescription(manifest.name, pipeline, VERSION) };
}
