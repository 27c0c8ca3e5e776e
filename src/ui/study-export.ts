/**
 * "Run it elsewhere": a study as a workflow file (docs/workflow-format.md) that `voxpool run`
 * runs on a workstation or on Slurm with the same ops. Its inputs are the subjects' files by
 * their paths in the dataset folder (run it with `--inputs <that folder>`), and its outputs are
 * the paths the page itself saves the results under, so both give the same derivatives (a BIDS
 * study's `dataset_description.json` too, from a `text.write` task).
 */
import type { Pool } from '../pool/pool.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import { Workflow, workflowFileOf, writeWorkflowFile, type RelativePath } from '../graph/index.ts';
import { derivativePath } from '../study/derivatives.ts';
import { addStudy, StudyManifestError, studyDescription, taskLabel, type StudyManifest } from './study.ts';
import { pipelineById } from './study-pipelines.ts';

/** A task id of the file from a task's label: `sub-01_T1w · smooth · file` -> `sub-01_T1w.smooth.file`. */
export function fileTaskId(label: string): string {
  return label
    .split(' · ')
    .map((part) => part.replace(/[^A-Za-z0-9_-]+/g, '-'))
    .join('.');
}

/** The study of `manifest` as the text of a workflow file. */
export function studyWorkflowFile(pool: Pool<BuiltinOps>, manifest: StudyManifest): string {
  const pipeline = pipelineById(manifest.pipeline);
  if (!pipeline) throw new StudyManifestError(`no pipeline called "${manifest.pipeline}"`);
  // Stand-ins for the subjects' files: only their paths go into the file.
  const paths = new Map<object, RelativePath>();
  const inputs = manifest.inputs.map((input) => ({
    input,
    files: input.paths.map((path) => {
      const file = new File([], path.slice(path.lastIndexOf('/') + 1));
      paths.set(file, path);
      return file;
    }),
  }));
  // Never started and without a store: only its definition is read.
  const wf = new Workflow(pool, { name: `${manifest.name}: ${pipeline.name}` });
  addStudy(wf, pipeline, inputs, manifest.params);
  const byLabel = new Map(wf.tasks().map((t) => [t.label, t.id] as const));
  const outputs: Record<number, Record<string, RelativePath>> = {};
  for (const input of manifest.inputs) {
    for (const step of pipeline.steps) {
      const id = byLabel.get(taskLabel(input.key, step.id, true));
      if (id === undefined) continue;
      const extension = wf.definition(id)?.op === 'mesh.write' ? '.stl' : '.nii.gz';
      outputs[id] = { bytes: derivativePath(input, step.id, extension) };
    }
  }
  // The derivatives' description, as the page writes it beside the results.
  const description = studyDescription(manifest);
  if (description) {
    const name = description.path.slice(description.path.lastIndexOf('/') + 1);
    const task = wf.add('text.write', { name, text: description.text }, { label: name.replace(/\.json$/, '') });
    outputs[task.id] = { bytes: description.path };
  }
  const file = workflowFileOf(wf, { filePath: (value) => paths.get(value) ?? null, outputs, taskId: (_id, label) => fileTaskId(label) });
  return writeWorkflowFile(file);
}
