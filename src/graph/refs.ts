/**
 * References from a task's input to outputs of other tasks: `a.output('volume')` or
 * `ref(a, 'volume')` stands for "the `volume` of a's output", resolved when `a` is done.
 *
 * A reference is a plain record `{ $ref, path }`, not a class instance, so it survives structured
 * clone: into IndexedDB with the workflow's definition, and out of a worker inside the task specs
 * an op announces (where `$ref` is the key of a sibling spec rather than a task id).
 */
import { OutputPathError } from './errors.ts';

export type PathKey = string | number;

export interface OutputRef<T = unknown> {
  /** The task whose output is meant (in a worker's task specs: the key of a sibling spec). */
  readonly $ref: number | string;
  readonly path: readonly PathKey[];
  /** Never set: carries the type of the value referred to. */
  readonly __type?: T;
}

/** Something that can be referred to: a task of the workflow. */
export interface Referable<O> {
  readonly id: number;
  readonly __output?: O;
}

type Leaf = ArrayBuffer | SharedArrayBuffer | ArrayBufferView | Blob | Date | RegExp | ((...a: never[]) => unknown);

/** A task's input where any part may be a reference to a prerequisite's output of the same type. */
export type WithRefs<T> =
  | T
  | OutputRef<T>
  | (T extends Leaf ? never : T extends readonly (infer U)[] ? readonly WithRefs<U>[] : T extends object ? { [P in keyof T]: WithRefs<T[P]> } : never);

/** `ref(a)`, `ref(a, 'volume')`, `ref(a, 'meshes', 0)`: part of a task's output, typed. */
export function ref<O>(task: Referable<O>): OutputRef<O>;
export function ref<O, K1 extends keyof O>(task: Referable<O>, k1: K1): OutputRef<O[K1]>;
export function ref<O, K1 extends keyof O, K2 extends keyof O[K1]>(task: Referable<O>, k1: K1, k2: K2): OutputRef<O[K1][K2]>;
export function ref(task: Referable<unknown>, ...path: PathKey[]): OutputRef<unknown>;
export function ref(task: Referable<unknown>, ...path: PathKey[]): OutputRef<unknown> {
  return { $ref: task.id, path };
}

export function isRef(v: unknown): v is OutputRef {
  if (v === null || typeof v !== 'object') return false;
  const r = v as { $ref?: unknown; path?: unknown };
  return (typeof r.$ref === 'number' || typeof r.$ref === 'string') && Array.isArray(r.path) && Object.keys(v).length === 2;
}

function isLeaf(v: object): boolean {
  return (
    ArrayBuffer.isView(v) ||
    v instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer) ||
    v instanceof Blob ||
    v instanceof Date ||
    v instanceof RegExp
  );
}

/** Every reference inside `input` (plain objects and arrays are searched; buffers are not). */
export function collectRefs(input: unknown, out: OutputRef[] = []): OutputRef[] {
  if (input === null || typeof input !== 'object' || isLeaf(input)) return out;
  if (isRef(input)) {
    out.push(input);
    return out;
  }
  if (Array.isArray(input)) for (const v of input) collectRefs(v, out);
  else if (Object.getPrototypeOf(input) === Object.prototype) for (const k in input) collectRefs((input as Record<string, unknown>)[k], out);
  return out;
}

/** Reads `path` out of `value`, or throws an OutputPathError naming the reference's place in the input. */
export function follow(value: unknown, r: OutputRef, where: string): unknown {
  let v = value;
  for (const key of r.path) {
    if (v === null || typeof v !== 'object' || !(key in v)) throw new OutputPathError(r.$ref as number, r.path, where);
    v = (v as Record<PathKey, unknown>)[key];
  }
  return v;
}

/**
 * A copy of `input`'s structure with every reference replaced by `valueOf(ref, where)` (where is
 * the reference's place in the input, for error messages). Only the objects and arrays on the way
 * to a reference are new; everything else (buffers above all) is shared, not copied.
 */
export function resolveRefs(input: unknown, valueOf: (r: OutputRef, where: string) => unknown, where = 'input'): unknown {
  if (input === null || typeof input !== 'object' || isLeaf(input)) return input;
  if (isRef(input)) return valueOf(input, where);
  if (Array.isArray(input)) return input.map((v, i) => resolveRefs(v, valueOf, `${where}[${i}]`));
  if (Object.getPrototypeOf(input) !== Object.prototype) return input;
  const out: Record<string, unknown> = {};
  for (const k in input) out[k] = resolveRefs((input as Record<string, unknown>)[k], valueOf, `${where}.${k}`);
  return out;
}

/** Rewrites the `$ref` of every reference (a worker's spec keys into task ids). */
export function mapRefs(input: unknown, to: (key: number | string) => number): unknown {
  if (input === null || typeof input !== 'object' || isLeaf(input)) return input;
  if (isRef(input)) return { $ref: to(input.$ref), path: input.path };
  if (Array.isArray(input)) return input.map((v) => mapRefs(v, to));
  if (Object.getPrototypeOf(input) !== Object.prototype) return input;
  const out: Record<string, unknown> = {};
  for (const k in input) out[k] = mapRefs((input as Record<string, unknown>)[k], to);
  return out;
}
