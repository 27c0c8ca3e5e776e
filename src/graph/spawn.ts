/**
 * How a running operation adds tasks to its own workflow (Scipion's step that inserts steps): it
 * returns `addTasks(result, specs)`. The workflow adds the specs as new tasks when the op is done,
 * in the same stored write as the op's own end, and the op's output is `result`.
 *
 * This module is imported by worker code: it must stay free of page-only imports.
 *
 *   defineOp((input: { files: string[] }) => addTasks({ count: input.files.length }, [
 *     ...input.files.map((f, i) => ({ key: `f${i}`, op: 'volume.read', input: { name: f } })),
 *     { op: 'collect', input: { volumes: input.files.map((_, i) => specRef(`f${i}`)) },
 *       after: input.files.map((_, i) => `f${i}`) },
 *   ]))
 */
import type { OutputRef, PathKey } from './refs.ts';
import type { RetryPolicy } from './retry.ts';

/** A task an op asks its workflow to add. */
export interface TaskSpec {
  /** A name other specs of the same batch use in `after` and `specRef`. */
  key?: string;
  op: string;
  input?: unknown;
  /**
   * Keys of specs of the same batch to wait for; `{ tree: key }` waits for that task and every
   * task it adds in turn. No `after`: the workflow's mode decides (sequential: the task added
   * before; parallel: none). The parent is always done already.
   */
  after?: readonly (string | { tree: string })[];
  label?: string;
  retry?: RetryPolicy;
  keep?: boolean;
}

export interface Spawn<O> {
  readonly $voxpoolSpawn: 1;
  readonly result: O;
  readonly tasks: readonly TaskSpec[];
}

/** The output of an op that also adds tasks to its workflow. */
export function addTasks<O>(result: O, tasks: readonly TaskSpec[]): Spawn<O> {
  return { $voxpoolSpawn: 1, result, tasks };
}

/** In a spec's input: part of the output of the spec with that key. */
export function specRef(key: string, ...path: PathKey[]): OutputRef {
  return { $ref: key, path };
}

export function isSpawn(v: unknown): v is Spawn<unknown> {
  return v !== null && typeof v === 'object' && (v as { $voxpoolSpawn?: unknown }).$voxpoolSpawn === 1 && Array.isArray((v as { tasks?: unknown }).tasks);
}

/** What a task's output is once the workflow has taken the specs out. */
export type Unspawned<O> = O extends Spawn<infer X> ? X : O;
