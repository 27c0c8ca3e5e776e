/**
 * Where each result goes: BIDS derivatives when the input was BIDS
 * (`derivatives/voxpool/sub-01/[ses-2/]anat/sub-01_[ses-2_]..._desc-<step>_<suffix>.nii.gz`, with
 * the pipeline's `dataset_description.json`), otherwise `voxpool/<input>/<input>_desc-<step>.<ext>`.
 */
import type { StudyInput } from './layout.ts';

export const PIPELINE_NAME = 'voxpool';

/** The `desc` label of a step: BIDS labels are alphanumeric. */
export function descLabel(step: string): string {
  return step.replace(/[^A-Za-z0-9]/g, '');
}

/** The path (in the output folder) of one step's result for one input; `extension` with its dot. */
export function derivativePath(input: StudyInput, step: string, extension: string): string {
  const desc = descLabel(step);
  if (input.bids && input.subject) {
    // desc goes last among the entities (the specification's order); an input's own desc is replaced.
    const entities = input.bids.entities.filter((e) => e.key !== 'desc').map((e) => `${e.key}-${e.value}`);
    const file = `${[...entities, `desc-${desc}`, input.bids.suffix].join('_')}${extension}`;
    const folder = [`sub-${input.subject}`, ...(input.session ? [`ses-${input.session}`] : []), input.datatype ?? 'anat'].join('/');
    return `derivatives/${PIPELINE_NAME}/${folder}/${file}`;
  }
  return `${PIPELINE_NAME}/${input.key}/${input.key}_desc-${desc}${extension}`;
}

/** BIDS derivatives' `dataset_description.json`, naming the pipeline that made them. */
export function datasetDescription(source: string, pipeline: { name: string; description: string }, version: string): string {
  const description = {
    Name: `${source}: ${pipeline.name} (voxpool)`,
    BIDSVersion: '1.10.0',
    DatasetType: 'derivative',
    GeneratedBy: [{ Name: PIPELINE_NAME, Version: version, Description: pipeline.description }],
    SourceDatasets: [{ URL: `file://${source}` }],
  };
  return `${JSON.stringify(description, null, 2)}\n`;
}

/** Where the description goes, for a BIDS study (null for any other). */
export function descriptionPath(bids: boolean): string | null {
  return bids ? `derivatives/${PIPELINE_NAME}/dataset_description.json` : null;
}
