/**
 * The pipelines a study can run on each of its inputs: workflow templates built from the
 * registry's ops. Each step is a task of its own and writes its result (volume.write or
 * mesh.write) as a task of its own, so a stored step never runs again after a reload.
 */
import type { BuiltinOps } from '../../workers/builtin.ts';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import type { OutputRef, TaskRef, Workflow } from '../graph/index.ts';

export interface StudyStep {
  /** Also the `desc` label of its derivative: alphanumeric. */
  id: string;
  title: string;
}

export interface StudyParams {
  /** Gaussian sigma in mm. */
  sigma: number;
  /** Lower bound of the mask (in the input's units, after smoothing). */
  threshold: number;
}

export const DEFAULT_PARAMS: StudyParams = { sigma: 2, threshold: 400 };

export interface StudyPipeline {
  id: string;
  name: string;
  description: string;
  /** The grid's columns after "read". */
  steps: readonly StudyStep[];
  /** Adds one input's steps after its read task; `label(step)` names each task. */
  add(wf: Workflow<BuiltinOps>, read: TaskRef<Volume>, label: (step: string, file?: boolean) => string, params: StudyParams): void;
}

type Wf = Workflow<BuiltinOps>;

function writeVolume(wf: Wf, volume: OutputRef<Volume>, label: string): void {
  wf.add('volume.write', { volume, format: 'nii.gz' }, { label });
}

function writeMesh(wf: Wf, mesh: OutputRef<Mesh>, label: string): void {
  wf.add('mesh.write', { mesh, format: 'stl' }, { label });
}

const surface: StudyPipeline = {
  id: 'surface',
  name: 'smooth → threshold → components → isosurface',
  description: 'Gaussian smoothing, a binary mask above a threshold, its connected components (6-connected) and their isosurface as a mesh',
  steps: [
    { id: 'smooth', title: 'smooth' },
    { id: 'mask', title: 'threshold' },
    { id: 'components', title: 'components' },
    { id: 'surface', title: 'isosurface' },
  ],
  add(wf, read, label, params) {
    const smooth = wf.add('volume.gaussian', { volume: read.output(), sigma: params.sigma }, { label: label('smooth') });
    writeVolume(wf, smooth.output(), label('smooth', true));
    const mask = wf.add('volume.binarize', { volume: smooth.output(), lower: params.threshold, upper: 1e30 }, { label: label('mask') });
    writeVolume(wf, mask.output(), label('mask', true));
    const parts = wf.add('volume.components', { volume: mask.output(), connectivity: 6 }, { label: label('components') });
    writeVolume(wf, parts.output('labels'), label('components', true));
    // Labels start at 1: the surface at 0.5 wraps every component.
    const mesh = wf.add('volume.isosurface', { volume: parts.output('labels'), isovalue: 0.5 }, { label: label('surface') });
    writeMesh(wf, mesh.output(), label('surface', true));
  },
};

const denoise: StudyPipeline = {
  id: 'denoise',
  name: 'denoise: median',
  description: 'A 3 x 3 x 3 median filter',
  steps: [{ id: 'median', title: 'median 3×3×3' }],
  add(wf, read, label) {
    const median = wf.add('volume.median', { volume: read.output(), kernelSize: [3, 3, 3] }, { label: label('median') });
    writeVolume(wf, median.output(), label('median', true));
  },
};

export const STUDY_PIPELINES: readonly StudyPipeline[] = [surface, denoise];

export function pipelineById(id: string): StudyPipeline | undefined {
  return STUDY_PIPELINES.find((p) => p.id === id);
}
