/**
 * A text file as a task's output: what a workflow writes besides its images and meshes (a BIDS
 * derivatives folder's `dataset_description.json`, a README), so a workflow file run anywhere
 * makes the whole output folder, and every executor writes it the one way it writes any output.
 */
import { defineOp } from '../../src/worker/index.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs } from '../specs.ts';
import type { NamedBytes } from './io-volume.ts';

export interface WriteTextInput {
  /** The file's name (no folder: where it goes is the workflow's output path). */
  name: string;
  /** Its content, written as UTF-8 exactly as given. */
  text: string;
}

export const writeText = defineOp((input: WriteTextInput): NamedBytes => {
  const { name, text } = checkParams(builtinSpecs['text.write'], input);
  return { name, bytes: new TextEncoder().encode(text) };
});
