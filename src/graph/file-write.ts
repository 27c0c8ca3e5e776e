/**
 * Writing workflow files: from a builder that mirrors `Workflow.add` (what the page's "run it
 * elsewhere" uses), or from a live `Workflow`'s definitions with a path for each file input.
 * Whatever is written is read back through the reader first, so a writer never produces a file
 * the reader would refuse.
 */
import { isRef } from './refs.ts';
import {
  checkWorkflowFile,
  WORKFLOW_FORMAT,
  WORKFLOW_FORMAT_VERSION,
  WorkflowFileError,
  type InputSource,
  type RelativePath,
  type WorkflowFile,
  type WorkflowFileTask,
} from './file-format.ts';
import type { WorkflowMode } from './store.ts';
import type { Workflow } from './workflow.ts';
import type { OpRegistry } from '../core/op.ts';

/** The file as JSON text (two-space indent, a final newline), checked. */
export function writeWorkflowFile(file: WorkflowFile, name = file.name): string {
  const text = `${JSON.stringify(file, null, 2)}\n`;
  checkWorkflowFile(JSON.parse(text), name);
  return text;
}

/** A file input for `inputs`. */
export function fileInput(path: RelativePath): InputSource {
  return { file: path };
}

/** A task of a builder: its id, and references to (parts of) its output for other tasks' inputs. */
export class FileTaskRef {
  constructor(readonly id: string) {}
  output(...path: (string | number)[]): InputSource {
    return path.length ? { task: this.id, path } : { task: this.id };
  }
}

export type FileTaskOptions = Omit<WorkflowFileTask, 'id' | 'op' | 'after'> & { after?: FileTaskRef[] };

/** Builds a workflow file task by task, as `Workflow.add` builds a workflow. */
export class WorkflowFileBuilder {
  private readonly tasks: WorkflowFileTask[] = [];
  constructor(
    readonly name: string,
    readonly mode?: WorkflowMode,
  ) {}

  add(id: string, op: string, options: FileTaskOptions = {}): FileTaskRef {
    const { after, ...rest } = options;
    const task: WorkflowFileTask = { id, op, ...rest };
    if (after?.length) task.after = after.map((a) => a.id);
    this.tasks.push(task);
    return new FileTaskRef(id);
  }

  /** The file, checked (a WorkflowFileError says what is wrong). */
  build(): WorkflowFile {
    const file: WorkflowFile = { format: WORKFLOW_FORMAT, version: WORKFLOW_FORMAT_VERSION, name: this.name, tasks: this.tasks };
    if (this.mode) file.mode = this.mode;
    return checkWorkflowFile(structuredClone(file), this.name);
  }
}

export interface FromWorkflowOptions {
  /**
   * The relative path a file input (a `File`, `{ name, bytes }`) is written under, or null when
   * `value` is not a file. `where` names the field (`task 3: input.files[0]`).
   */
  filePath(value: object, where: string): RelativePath | null;
  /** Files to write per task id: output path -> relative path. */
  outputs?: Record<number, Record<string, RelativePath>>;
  /** The file task id of workflow task `id`. Default `t<id>`. */
  taskId?(id: number, label: string): string;
}

/**
 * A workflow file of a live workflow's tasks (those it has now; tasks ops add while running are
 * not in it: they are added again when the file runs). Each top-level input field becomes a
 * param (plain JSON), a `{ file }` (where `filePath` gives one) or a `{ task }` reference.
 */
export function workflowFileOf<R extends OpRegistry>(wf: Workflow<R>, options: FromWorkflowOptions): WorkflowFile {
  const idOf = (id: number): string => options.taskId?.(id, wf.task(id)?.label ?? '') ?? `t${id}`;
  const tasks: WorkflowFileTask[] = [];
  for (const t of wf.tasks()) {
    const def = wf.definition(t.id)!;
    if (def.parent !== null) continue;
    const task: WorkflowFileTask = { id: idOf(def.id), op: def.op, label: def.label };
    const params: Record<string, unknown> = {};
    const inputs: Record<string, InputSource> = {};
    const input = def.input;
    if (input !== null && input !== undefined) {
      if (typeof input !== 'object' || Array.isArray(input))
        throw new WorkflowFileError(wf.name, `task ${def.id} (${def.label})`, 'its input is not an object of fields: a workflow file cannot say it');
      for (const [k, v] of Object.entries(input)) {
        const where = `task ${def.id} (${def.label}): input.${k}`;
        const source = sourceOf(v, where, options, idOf);
        if (source) inputs[k] = source;
        else params[k] = plainOf(v, where);
      }
    }
    if (Object.keys(params).length) task.params = params;
    if (Object.keys(inputs).length) task.inputs = inputs;
    const after = def.after.filter((d) => !Object.values(inputs).some((s) => namesTask(s, idOf(d.id)))).map((d) => idOf(d.id));
    if (after.length) task.after = after;
    const outputs = options.outputs?.[def.id];
    if (outputs) task.outputs = outputs;
    if (def.retry) task.retry = def.retry;
    if (def.timeout !== null) task.timeout = def.timeout;
    if (def.priority !== 0) task.priority = def.priority;
    tasks.push(task);
  }
  const file: WorkflowFile = { format: WORKFLOW_FORMAT, version: WORKFLOW_FORMAT_VERSION, name: wf.name, mode: wf.mode, tasks };
  return checkWorkflowFile(file, wf.name);
}

function namesTask(s: InputSource, id: string): boolean {
  if (Array.isArray(s)) return s.some((x) => namesTask(x, id));
  return 'task' in s && s.task === id;
}

function sourceOf(v: unknown, where: string, options: FromWorkflowOptions, idOf: (id: number) => string): InputSource | null {
  if (v === null || typeof v !== 'object') return null;
  if (isRef(v)) {
    if (typeof v.$ref !== 'number') throw new WorkflowFileError('(workflow)', where, `refers to "${String(v.$ref)}", not a task id`);
    return v.path.length ? { task: idOf(v.$ref), path: [...v.path] } : { task: idOf(v.$ref) };
  }
  if (Array.isArray(v)) {
    const parts = v.map((x, i) => sourceOf(x, `${where}[${i}]`, options, idOf));
    if (parts.length && parts.every((p) => p !== null)) return parts as InputSource[];
    if (parts.some((p) => p !== null))
      throw new WorkflowFileError('(workflow)', where, 'mixes files or task outputs with plain values in one list: a workflow file cannot say it');
    return null;
  }
  const path = options.filePath(v, where);
  return path === null ? null : { file: path };
}

function plainOf(v: unknown, where: string): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
  if (Array.isArray(v)) return v.map((x, i) => plainOf(x, `${where}[${i}]`));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainOf(x, `${where}.${k}`)]));
  }
  throw new WorkflowFileError(
    '(workflow)',
    where,
    `holds ${ArrayBuffer.isView(v) ? 'binary data' : typeof v} that is neither JSON nor a file with a path: give it a path (filePath) or make it a task's output`,
  );
}
