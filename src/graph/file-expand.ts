/**
 * A checked workflow file as the concrete tasks an executor runs: fan-outs expanded (one task per
 * entry, `<id>#<index>`), parameters merged, references pointing at concrete tasks, output paths
 * filled in. Every executor (the page, Node, Slurm) runs this same list, in this order.
 */
import type { InputSource, RelativePath, WorkflowFile, WorkflowFileTask } from './file-format.ts';
import type { RetryPolicy } from './retry.ts';

export type ExpandedSource = { file: RelativePath } | { task: string; path: (string | number)[] } | ExpandedSource[];

export interface ExpandedOutput {
  /** Path into the task's output ([] for all of it). */
  from: (string | number)[];
  /** Relative path under the output folder. */
  to: RelativePath;
}

export interface ExpandedTask {
  /** `smooth` for a single task, `smooth#2` for an instance of a fan-out. */
  key: string;
  /** The task's id in the file. */
  fileId: string;
  /** Index in its fan-out, or null. */
  index: number | null;
  op: string;
  label: string;
  params: Record<string, unknown>;
  inputs: Record<string, ExpandedSource>;
  /** Keys of tasks to wait for besides those `inputs` names. */
  after: string[];
  outputs: ExpandedOutput[];
  retry?: RetryPolicy;
  timeout?: number;
  priority?: number;
}

/** The key of instance `index` of file task `id` (null: a single task). */
export function taskKey(id: string, index: number | null): string {
  return index === null ? id : `${id}#${index}`;
}

/** Output paths as written in a file (`meshes.0`) as a path into the output. */
export function outputPath(spec: string): (string | number)[] {
  if (spec === '') return [];
  return spec.split('.').map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p));
}

export function expandWorkflowFile(file: WorkflowFile): ExpandedTask[] {
  const byId = new Map<string, WorkflowFileTask>();
  /** The parameter entries of each fan-out, by id (following ones share their leader's). */
  const entries = new Map<string, Record<string, unknown>[]>();
  const out: ExpandedTask[] = [];
  for (const t of file.tasks) {
    byId.set(t.id, t);
    const own = Array.isArray(t.each) ? t.each : null;
    const followed = typeof t.each === 'string' ? entries.get(t.each)! : null;
    const list = own ?? followed;
    if (list) entries.set(t.id, list);
    const count = list ? list.length : 1;
    for (let i = 0; i < count; i++) {
      const index = list ? i : null;
      const entry = list ? list[i]! : {};
      const vars: Record<string, unknown> = { ...entry, index: i, id: t.id };
      const resolve = (s: InputSource): ExpandedSource => {
        if (Array.isArray(s)) return s.map(resolve);
        if ('file' in s) return { file: s.file };
        // A fan-out referred to from a fan-out: the instance with the same index.
        const theirs = entries.has(s.task) ? index : null;
        return { task: taskKey(s.task, theirs), path: s.path ?? [] };
      };
      const after: string[] = [];
      for (const a of t.after ?? []) {
        if (entries.has(a)) for (let j = 0; j < entries.get(a)!.length; j++) after.push(taskKey(a, j));
        else after.push(a);
      }
      const task: ExpandedTask = {
        key: taskKey(t.id, index),
        fileId: t.id,
        index,
        op: t.op,
        label: fill(t.label ?? (index === null ? t.id : `${t.id} #${i}`), vars),
        params: { ...(t.params ?? {}), ...(own ? entry : {}) },
        inputs: Object.fromEntries(Object.entries(t.inputs ?? {}).map(([k, s]) => [k, resolve(s)])),
        after,
        outputs: Object.entries(t.outputs ?? {}).map(([from, to]) => ({ from: outputPath(from), to: fill(to, vars) })),
      };
      if (t.retry) task.retry = t.retry;
      if (t.timeout !== undefined) task.timeout = t.timeout;
      if (t.priority !== undefined) task.priority = t.priority;
      out.push(task);
    }
  }
  return out;
}

/** `{name}` placeholders replaced by the fan-out entry's values (numbers and strings as written). */
function fill(template: string, vars: Record<string, unknown>): string {
  return template.replace(/\{([^{}]*)\}/g, (all, k: string) => (k in vars ? String(vars[k]) : all));
}

/** The keys of the tasks `task` waits for: those its inputs name and those of `after`. */
export function prerequisitesOf(task: ExpandedTask): string[] {
  const keys = new Set(task.after);
  const walk = (s: ExpandedSource): void => {
    if (Array.isArray(s)) s.forEach(walk);
    else if ('task' in s) keys.add(s.task);
  };
  Object.values(task.inputs).forEach(walk);
  return [...keys];
}
