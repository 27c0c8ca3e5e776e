/**
 * The workflow file (docs/workflow-format.md): a workflow as versioned JSON that the page exports
 * and every executor runs (the page's pool, `voxpool run` in Node, Slurm). Plain data only: ops by
 * their registry names, parameters as JSON values, data by relative path, other tasks' outputs by
 * task id. This module is the reader: it refuses a bad file with a `WorkflowFileError` naming the
 * file, the place in it and what is wrong, and imports nothing that runs (no pool, no engine).
 */
import { VoxpoolError } from '../core/errors.ts';
import type { RetryPolicy } from './retry.ts';
import type { WorkflowMode } from './store.ts';

export const WORKFLOW_FORMAT = 'voxpool-workflow';
/** The version this code writes; it reads this one and every earlier one. */
export const WORKFLOW_FORMAT_VERSION = 1;

/** A relative path inside the workflow's input or output folder: `/`-separated, no `..`, not absolute. */
export type RelativePath = string;

/** The bytes of a file: the op gets `{ name, bytes }` (name: the path's last part). */
export interface FileSource {
  file: RelativePath;
}

/** (Part of) another task's output; inside a fan-out, the instance with the same index. */
export interface TaskSource {
  task: string;
  path?: (string | number)[];
}

/** What may stand for an input field: a file, another task's output, or a list of them. */
export type InputSource = FileSource | TaskSource | InputSource[];

export interface WorkflowFileTask {
  /** Unique in the file; letters, digits, `_`, `-`, `.`. */
  id: string;
  /** The op's registry name (`volume.gaussianVtk`). */
  op: string;
  label?: string;
  /** Plain JSON values merged into the op's input. */
  params?: Record<string, unknown>;
  /** Input fields that come from files or other tasks. */
  inputs?: Record<string, InputSource>;
  /** Tasks to wait for besides those `inputs` names (a fanned-out one: all of its instances). */
  after?: string[];
  /**
   * A fan-out: one task per entry, each entry merged over `params`; or the id of an earlier
   * fan-out whose instances this task follows one to one (its `{ task }` inputs then mean the
   * instance with the same index).
   */
  each?: Record<string, unknown>[] | string;
  /**
   * Files to write: output path (`bytes`, `meshes.0`, `` for the whole output) -> relative path
   * under the output folder, with `{index}`, `{id}` and the fan-out entry's keys as placeholders.
   */
  outputs?: Record<string, RelativePath>;
  retry?: RetryPolicy;
  /** Milliseconds of running before the task is cancelled. */
  timeout?: number;
  priority?: number;
}

export interface WorkflowFile {
  format: typeof WORKFLOW_FORMAT;
  version: number;
  name: string;
  mode?: WorkflowMode;
  /** In order: a task names only tasks before it. */
  tasks: WorkflowFileTask[];
}

/** A workflow file that cannot be run: which file, where in it, and what is wrong. */
export class WorkflowFileError extends VoxpoolError {
  override name = 'WorkflowFileError';
  constructor(
    readonly file: string,
    /** A JSON path into the file (`tasks[2].inputs.volume`), or '' for the whole file. */
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${file}: ${where ? `${where}: ` : ''}${problem}`);
  }
}

export interface ReadOptions {
  /** The op names an executor serves: any other op is refused. Default: any name. */
  ops?: readonly string[];
}

const ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const TASK_KEYS = new Set(['id', 'op', 'label', 'params', 'inputs', 'after', 'each', 'outputs', 'retry', 'timeout', 'priority']);
const TOP_KEYS = new Set(['format', 'version', 'name', 'mode', 'tasks']);
const RETRY_KEYS = ['crash', 'error', 'timeout', 'delay'] as const;
const PLACEHOLDER = /\{([^{}]*)\}/g;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Why `p` is not a safe relative path, or null. */
export function relativePathProblem(p: unknown): string | null {
  if (typeof p !== 'string' || p === '') return `must be a relative path (got ${describe(p)})`;
  if (p.includes('\\')) return `"${p}" uses "\\": write paths with "/"`;
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return `"${p}" is absolute: paths are relative to the workflow's input or output folder`;
  if (p.split('/').some((s) => s === '..' || s === '')) return `"${p}" leaves its folder or has an empty part ("..", "//" or a trailing "/")`;
  return null;
}

/** Parses and checks a workflow file's text. `file` names it in errors. */
export function parseWorkflowFile(text: string, file: string, options: ReadOptions = {}): WorkflowFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new WorkflowFileError(file, '', `is not JSON: ${(e as Error).message}`);
  }
  return checkWorkflowFile(data, file, options);
}

/** Checks parsed JSON as a workflow file and returns it typed. */
export function checkWorkflowFile(data: unknown, file: string, options: ReadOptions = {}): WorkflowFile {
  const fail = (where: string, problem: string): never => {
    throw new WorkflowFileError(file, where, problem);
  };
  if (!isPlainObject(data)) return fail('', `must be a JSON object (got ${describe(data)})`);
  if (data.format !== WORKFLOW_FORMAT)
    fail('format', `must be "${WORKFLOW_FORMAT}" (got ${data.format === undefined ? 'nothing' : describe(data.format)}): this is not a voxpool workflow file`);
  const version = data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) fail('version', `must be a whole number from 1 (got ${describe(version)})`);
  if ((version as number) > WORKFLOW_FORMAT_VERSION)
    fail('version', `is ${String(version)}, written by a newer voxpool: this one reads versions up to ${WORKFLOW_FORMAT_VERSION}`);
  for (const k of Object.keys(data)) if (!TOP_KEYS.has(k)) fail(k, `is not a field of a workflow file (${[...TOP_KEYS].join(', ')})`);
  if (typeof data.name !== 'string' || data.name === '') fail('name', `must be a non-empty string (got ${describe(data.name)})`);
  if (data.mode !== undefined && data.mode !== 'parallel' && data.mode !== 'sequential')
    fail('mode', `must be "parallel" or "sequential" (got ${describe(data.mode)})`);
  if (!Array.isArray(data.tasks) || data.tasks.length === 0) fail('tasks', `must be a non-empty list of tasks (got ${describe(data.tasks)})`);

  const known = options.ops ? new Set(options.ops) : null;
  /** Per task id seen so far: its fan-out's length (null: a single task). */
  const fans = new Map<string, number | null>();
  /** Per fan-out id: the keys every entry has (the placeholders of its outputs and of tasks that follow it). */
  const fanKeys = new Map<string, string[]>();
  (data.tasks as unknown[]).forEach((t, i) => {
    const at = `tasks[${i}]`;
    if (!isPlainObject(t)) fail(at, `must be an object (got ${describe(t)})`);
    const task = t as Record<string, unknown>;
    const id = task.id;
    if (typeof id !== 'string' || !ID.test(id)) fail(`${at}.id`, `must be a name of letters, digits, "_", "-" and "." (got ${describe(id)})`);
    const where = `${at} (${id as string})`;
    if (fans.has(id as string)) fail(`${where}.id`, `"${id as string}" is already the id of an earlier task`);
    for (const k of Object.keys(task)) if (!TASK_KEYS.has(k)) fail(`${where}.${k}`, `is not a field of a task (${[...TASK_KEYS].join(', ')})`);
    if (typeof task.op !== 'string' || task.op === '') fail(`${where}.op`, `must be an op's name (got ${describe(task.op)})`);
    if (known && !known.has(task.op as string)) fail(`${where}.op`, `"${task.op as string}" is not an op this executor has`);
    if (task.label !== undefined && typeof task.label !== 'string') fail(`${where}.label`, `must be a string (got ${describe(task.label)})`);
    if (task.params !== undefined) {
      if (!isPlainObject(task.params)) fail(`${where}.params`, `must be an object of plain values (got ${describe(task.params)})`);
      checkPlain(task.params, `${where}.params`, fail);
    }

    // The fan-out first: references inside it mean instances.
    let fan: number | null = null;
    const placeholders = new Set(['index', 'id']);
    if (task.each !== undefined) {
      if (typeof task.each === 'string') {
        if (!fans.has(task.each)) fail(`${where}.each`, `names "${task.each}", which is not a task before this one`);
        const n = fans.get(task.each);
        if (n === null || n === undefined) fail(`${where}.each`, `names "${task.each}", which is not a fan-out (it has no "each" list)`);
        fan = n as number;
        for (const k of fanKeys.get(task.each) ?? []) placeholders.add(k);
      } else if (Array.isArray(task.each)) {
        if (task.each.length === 0) fail(`${where}.each`, 'is an empty list: a fan-out needs at least one entry');
        task.each.forEach((e, j) => {
          if (!isPlainObject(e)) fail(`${where}.each[${j}]`, `must be an object of parameters (got ${describe(e)})`);
          checkPlain(e as Record<string, unknown>, `${where}.each[${j}]`, fail);
        });
        for (const k of Object.keys(task.each[0] as object)) if ((task.each as object[]).every((e) => k in e)) placeholders.add(k);
        fan = task.each.length;
      } else fail(`${where}.each`, `must be a list of parameter objects or the id of an earlier fan-out (got ${describe(task.each)})`);
    }

    if (task.inputs !== undefined) {
      if (!isPlainObject(task.inputs)) fail(`${where}.inputs`, `must be an object of input fields (got ${describe(task.inputs)})`);
      for (const [k, v] of Object.entries(task.inputs as Record<string, unknown>)) {
        if (isPlainObject(task.params) && k in task.params) fail(`${where}.inputs.${k}`, `is also given in params: say it once`);
        checkSource(v, `${where}.inputs.${k}`, fans, fan, fail);
      }
    }
    if (task.after !== undefined) {
      if (!Array.isArray(task.after)) fail(`${where}.after`, `must be a list of task ids (got ${describe(task.after)})`);
      (task.after as unknown[]).forEach((a, j) => {
        if (typeof a !== 'string' || !fans.has(a)) fail(`${where}.after[${j}]`, `must name a task before this one (got ${describe(a)})`);
      });
    }
    if (task.outputs !== undefined) {
      if (!isPlainObject(task.outputs)) fail(`${where}.outputs`, `must be an object: output path -> file path (got ${describe(task.outputs)})`);
      for (const [k, p] of Object.entries(task.outputs as Record<string, unknown>)) {
        const w = `${where}.outputs${k === '' ? '[""]' : `.${k}`}`;
        const problem = relativePathProblem(p);
        if (problem) fail(w, problem);
        for (const m of (p as string).matchAll(PLACEHOLDER)) {
          if (!placeholders.has(m[1]!)) fail(w, `"{${m[1]!}}" is not a placeholder here (${[...placeholders].map((x) => `{${x}}`).join(', ')})`);
        }
        if (fan !== null && fan > 1 && !/\{[^{}]+\}/.test(p as string)) {
          fail(w, `every instance of this fan-out would write "${p as string}": put a placeholder such as {index} in it`);
        }
      }
    }
    if (task.retry !== undefined) {
      if (!isPlainObject(task.retry)) fail(`${where}.retry`, `must be an object (got ${describe(task.retry)})`);
      for (const k of Object.keys(task.retry as object)) {
        const v = (task.retry as Record<string, unknown>)[k];
        if (!(RETRY_KEYS as readonly string[]).includes(k)) fail(`${where}.retry.${k}`, `is not a retry field (${RETRY_KEYS.join(', ')})`);
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(`${where}.retry.${k}`, `must be a whole number from 0 (got ${describe(v)})`);
      }
    }
    if (task.timeout !== undefined && !(typeof task.timeout === 'number' && task.timeout > 0 && Number.isFinite(task.timeout)))
      fail(`${where}.timeout`, `must be milliseconds above 0 (got ${describe(task.timeout)})`);
    if (task.priority !== undefined && !(typeof task.priority === 'number' && Number.isFinite(task.priority)))
      fail(`${where}.priority`, `must be a number (got ${describe(task.priority)})`);
    fans.set(id as string, fan);
    if (fan !== null)
      fanKeys.set(
        id as string,
        [...placeholders].filter((k) => k !== 'index' && k !== 'id'),
      );
  });
  return data as unknown as WorkflowFile;
}

type Fail = (where: string, problem: string) => never;

/** Params are JSON: finite numbers, strings, booleans, null, lists and objects of them. */
function checkPlain(v: unknown, where: string, fail: Fail): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(where, `must be a finite number (got ${String(v)})`);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => checkPlain(x, `${where}[${i}]`, fail));
    return;
  }
  if (isPlainObject(v)) {
    if ('task' in v || 'file' in v) fail(where, 'looks like an input source ({ task } or { file }): put it under "inputs", not "params"');
    for (const [k, x] of Object.entries(v)) checkPlain(x, `${where}.${k}`, fail);
    return;
  }
  fail(where, `is not a JSON value (${describe(v)})`);
}

function checkSource(v: unknown, where: string, fans: Map<string, number | null>, fan: number | null, fail: Fail): void {
  if (Array.isArray(v)) {
    if (v.length === 0) fail(where, 'is an empty list');
    v.forEach((x, i) => checkSource(x, `${where}[${i}]`, fans, fan, fail));
    return;
  }
  if (!isPlainObject(v))
    fail(where, `must be { "file": path }, { "task": id, "path": [...] } or a list of them (got ${describe(v)}); plain values go in "params"`);
  const src = v as Record<string, unknown>;
  if ('file' in src) {
    if (Object.keys(src).length !== 1) fail(where, '{ "file": path } takes no other field');
    const problem = relativePathProblem(src.file);
    if (problem) fail(`${where}.file`, problem);
    return;
  }
  if (!('task' in src)) fail(where, 'must have "file" or "task"');
  for (const k of Object.keys(src)) if (k !== 'task' && k !== 'path') fail(`${where}.${k}`, 'is not a field of { "task", "path" }');
  const id = src.task;
  if (typeof id !== 'string' || !fans.has(id)) fail(`${where}.task`, `must name a task before this one (got ${describe(id)})`);
  const theirs = fans.get(id as string);
  if (theirs !== null && theirs !== undefined) {
    if (fan === null)
      fail(
        `${where}.task`,
        `"${id as string}" is a fan-out of ${theirs} tasks: only a task with the same fan-out (each: "${id as string}" or a list of ${theirs}) can take its outputs; wait for all of them with "after"`,
      );
    if (fan !== theirs) fail(`${where}.task`, `"${id as string}" is a fan-out of ${theirs} tasks and this one of ${fan as number}: they must match one to one`);
  }
  if (src.path !== undefined) {
    if (!Array.isArray(src.path) || !src.path.every((p) => typeof p === 'string' || (typeof p === 'number' && Number.isInteger(p) && p >= 0)))
      fail(`${where}.path`, `must be a list of field names and indexes (got ${describe(src.path)})`);
  }
}
