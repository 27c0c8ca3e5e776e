/**
 * A workflow file's expanded tasks added to a `Workflow`, in file order: the same scheduler,
 * store and retries run it on the page and in Node. Files are read through the caller's
 * `readFile` (the page: the dataset's Files; Node: the input folder), so nothing here touches a
 * file system.
 */
import type { OpRegistry } from '../core/op.ts';
import type { ExpandedSource, ExpandedTask } from './file-expand.ts';
import { WorkflowFileError, type RelativePath } from './file-format.ts';
import type { OutputRef } from './refs.ts';
import type { AddOptions, Workflow } from './workflow.ts';

/** What a `{ file }` input becomes: the op's `{ name, bytes }` (name: the path's last part). */
export interface FileBytes {
  name: string;
  bytes: Uint8Array;
}

export type ReadInputFile = (path: RelativePath) => FileBytes | Promise<FileBytes>;

/** Names `{ file }` inputs get: the path's last part, as a file picked in the page would be named. */
export function fileName(path: RelativePath): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A task's input: its params with each input field resolved (file bytes, references to tasks by their workflow id). */
export async function taskInput(task: ExpandedTask, ids: ReadonlyMap<string, number>, readFile: ReadInputFile): Promise<Record<string, unknown>> {
  const resolve = async (s: ExpandedSource): Promise<unknown> => {
    if (Array.isArray(s)) return Promise.all(s.map(resolve));
    if ('file' in s) return readFile(s.file);
    const id = ids.get(s.task);
    if (id === undefined) throw new WorkflowFileError('(expanded workflow)', task.key, `refers to task "${s.task}", which was not added before it`);
    return { $ref: id, path: s.path } satisfies OutputRef;
  };
  const input: Record<string, unknown> = { ...task.params };
  for (const [k, s] of Object.entries(task.inputs)) input[k] = await resolve(s);
  return input;
}

/**
 * Adds every task to `wf` and returns each one's workflow id by key. Files are all read before
 * the first task is added, so a missing file adds nothing.
 */
export async function addExpandedTasks<R extends OpRegistry>(
  wf: Workflow<R>,
  tasks: readonly ExpandedTask[],
  readFile: ReadInputFile,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  // Ids are handed out in order, so each task's id is known before anything is added.
  const first = wf.tasks().reduce((m, t) => Math.max(m, t.id), 0) + 1;
  tasks.forEach((t, i) => ids.set(t.key, first + i));
  const inputs = await Promise.all(tasks.map((t) => taskInput(t, ids, readFile)));
  const untyped = wf as unknown as Workflow<OpRegistry>;
  tasks.forEach((t, i) => {
    const options: AddOptions = { label: t.label, after: t.after.map((k) => ({ id: ids.get(k)! })) };
    if (t.retry) options.retry = t.retry;
    if (t.timeout !== undefined) options.timeout = t.timeout;
    if (t.priority !== undefined) options.priority = t.priority;
    const ref = untyped.add(t.op as never, inputs[i] as never, options);
    if (ref.id !== ids.get(t.key))
      throw new WorkflowFileError(
        '(expanded workflow)',
        t.key,
        `was given id ${ref.id}, not ${ids.get(t.key)!}: add a file's tasks to a workflow no one else adds to meanwhile`,
      );
  });
  return ids;
}
