/**
 * The tasks an op announced (`addTasks`), checked and numbered before any is added: their keys
 * become the ids they will get, so a bad spec fails the parent with nothing added (all or none).
 */
import { InputError } from '../core/errors.ts';
import { mapRefs } from './refs.ts';
import type { TaskSpec } from './spawn.ts';
import type { Dep } from './store.ts';
import type { RetryPolicy } from './retry.ts';

export interface ChildTask {
  op: string;
  input: unknown;
  after: Dep[] | undefined;
  label: string;
  keep: boolean;
  retry?: RetryPolicy;
}

/** `specs` as tasks with ids from `firstId` on, in order; throws an InputError naming a bad spec. */
export function childTasks(parentOp: string, firstId: number, specs: readonly TaskSpec[]): ChildTask[] {
  const keys = new Map<string, number>();
  let next = firstId;
  specs.forEach((s, i) => {
    if (typeof s?.op !== 'string') throw new InputError(`${parentOp} output.tasks[${i}].op`, 'must be the name of an operation');
    if (s.key !== undefined) {
      if (keys.has(s.key)) throw new InputError(`${parentOp} output.tasks[${i}].key`, `"${s.key}" is used twice`);
      keys.set(s.key, next);
    }
    next++;
  });
  const idOf = (key: string | number, where: string): number => {
    const id = typeof key === 'string' ? keys.get(key) : undefined;
    if (id === undefined) throw new InputError(where, `no task spec has the key "${String(key)}"`);
    return id;
  };
  return specs.map((s, i) => {
    const where = `${parentOp} output.tasks[${i}]`;
    const after = s.after?.map((a): Dep =>
      typeof a === 'string' ? { id: idOf(a, `${where}.after`), tree: false } : { id: idOf(a.tree, `${where}.after`), tree: true },
    );
    const input = mapRefs(s.input ?? null, (k) => idOf(k, `${where}.input`));
    const child: ChildTask = { op: s.op, input, after, label: s.label ?? s.op, keep: s.keep ?? false };
    if (s.retry) child.retry = s.retry;
    return child;
  });
}
