/**
 * Grouping: fewer, fuller jobs, because a Slurm job costs about a second of slot time here
 * (bench/results/slurm.md) whatever it runs. Two moves on a planned DAG, after the fan-outs are
 * expanded: a chain (a job whose tasks only one other job waits for, and that job waiting on
 * nothing the first did not already have) becomes one job running the chain's tasks one after
 * another; then independent units (the elements of an array nothing pairs with by `aftercorr`, or
 * single jobs that wait for exactly the same things) are packed K to a job-array element. Neither
 * ever leaves fewer elements than the cluster's slots: grouping trades overhead, not parallelism.
 * Inside a job each task still writes its own exit file and runs only once the tasks of the same
 * job it waits for have exited 0 (script.ts), so states, skips, cancel and resume stay per task.
 */
import type { PlannedJob, PlannedTask, Plan } from './plan.ts';
import type { Resources } from './types.ts';

/** `off`: one job per task (an array element per fan-out item); `auto`: chains merged, units packed by the rule below; N: at most N units per element. */
export type GroupMode = 'off' | 'auto' | number;

export interface GroupOptions {
  group: Exclude<GroupMode, 'off'>;
  slots: number;
  /** Slot time one job costs beyond its tasks' own: what `auto` weighs against a unit's estimated work. */
  jobOverheadSeconds?: number;
}

/** Measured on the test cluster: 787 ms of a CPU slot per no-op job (bench/results/slurm.md), rounded up. */
export const DEFAULT_JOB_OVERHEAD_SECONDS = 1;
/** `auto` packs until a job's overhead is at most this share of its estimated work. */
export const OVERHEAD_SHARE = 0.1;

/**
 * Units per element when they are spread evenly over the slots, lowered until at least
 * min(slots, units) elements remain (5 units on 4 slots: 1 each, not 2, which would leave 3).
 */
export function maxPerElement(units: number, slots: number): number {
  const floor = Math.min(Math.max(1, slots), units);
  let k = Math.max(1, Math.ceil(units / Math.max(1, slots)));
  while (k > 1 && Math.ceil(units / k) < floor) k--;
  return k;
}

/**
 * Units per element. `auto` with an estimate: enough for the job's overhead to be at most
 * OVERHEAD_SHARE of the work (a 10 s unit runs alone, a 1 s unit goes ten to a job); with none,
 * as many as the slots allow: voxpool's ops run for a fraction of a second to a few seconds, about
 * the cost of their job, so a job per task doubles the work where packing costs little balance.
 */
export function unitsPerElement(units: number, group: Exclude<GroupMode, 'off'>, slots: number, unitSeconds: number | undefined, overhead: number): number {
  const cap = maxPerElement(units, slots);
  if (group !== 'auto') return Math.max(1, Math.min(group, cap));
  if (unitSeconds === undefined) return cap;
  return Math.max(1, Math.min(cap, Math.ceil(overhead / (OVERHEAD_SHARE * unitSeconds))));
}

interface Work {
  nodes: string[];
  array: boolean;
  elements: string[][];
  after: string[];
  afterEach: Work[];
  resources: Resources;
  /** Estimated seconds of one element (the longest), when every task has an estimate. */
  seconds: number | undefined;
}

const sameResources = (a: Resources, b: Resources): boolean =>
  a.cpus === b.cpus && a.memoryMB === b.memoryMB && a.partition === b.partition && (a.timeMinutes === undefined) === (b.timeMinutes === undefined);

function addTime(a: Resources, b: Resources): Resources {
  const out = { ...a };
  if (a.timeMinutes !== undefined && b.timeMinutes !== undefined) out.timeMinutes = a.timeMinutes + b.timeMinutes;
  delete out.estimatedSeconds;
  return out;
}

const nodeName = (nodes: readonly string[]): string =>
  nodes.length <= 3 ? nodes.join('+') : `${nodes.slice(0, 2).join('+')}+... (${nodes.length} tasks or fan-outs)`;

export function groupPlan(plan: Plan, options: GroupOptions): Plan {
  const overhead = options.jobOverheadSeconds ?? DEFAULT_JOB_OVERHEAD_SECONDS;
  const taskById = new Map(plan.tasks.map((t) => [t.id, t]));
  const dependents = new Map<string, string[]>();
  for (const t of plan.tasks) for (const p of t.after) dependents.set(p, [...(dependents.get(p) ?? []), t.id]);

  let works: Work[] = plan.jobs.map((j) => ({
    nodes: [j.node],
    array: j.array,
    elements: j.elements.map((e) => [...e]),
    after: [...j.after],
    afterEach: [],
    resources: { ...j.resources },
    seconds: j.resources.estimatedSeconds === undefined ? undefined : j.resources.estimatedSeconds * Math.max(...j.elements.map((e) => e.length)),
  }));
  plan.jobs.forEach((j, i) => (works[i]!.afterEach = j.afterEach.map((s) => works[s]!)));
  const place = new Map<string, { work: Work; element: number }>();
  const locate = (w: Work): void => w.elements.forEach((ids, element) => ids.forEach((id) => place.set(id, { work: w, element })));
  works.forEach(locate);

  // Chains: B joins A when A's tasks are waited for by B alone, and B's tasks in element e wait only
  // for A's element e or what A's element e itself waited for (so B would start as A ends anyway).
  const outside = (w: Work, e: number): Set<string> => {
    const own = new Set(w.elements[e]);
    return new Set(w.elements[e]!.flatMap((id) => taskById.get(id)!.after.filter((p) => !own.has(p))));
  };
  const chainable = (a: Work, b: Work): boolean => {
    if (a === b || a.array !== b.array || a.elements.length !== b.elements.length || !sameResources(a.resources, b.resources)) return false;
    return b.elements.every((ids, e) => {
      const external = outside(a, e);
      const own = new Set(a.elements[e]);
      return ids.every((id) => taskById.get(id)!.after.every((p) => own.has(p) || external.has(p)));
    });
  };
  for (let i = 0; i < works.length; i++) {
    const a = works[i]!;
    for (;;) {
      const next = new Set(a.elements.flat().flatMap((id) => (dependents.get(id) ?? []).map((d) => place.get(d)!.work)));
      next.delete(a);
      const b = next.size === 1 ? [...next][0]! : undefined;
      if (!b || !chainable(a, b)) break;
      a.elements = a.elements.map((ids, e) => [...ids, ...b.elements[e]!]);
      a.nodes.push(...b.nodes);
      a.resources = addTime(a.resources, b.resources);
      a.seconds = a.seconds !== undefined && b.seconds !== undefined ? a.seconds + b.seconds : undefined;
      for (const w of works) w.afterEach = w.afterEach.map((s) => (s === b ? a : s));
      works = works.filter((w) => w !== b);
      locate(a);
    }
  }

  // Packing. An array paired with another element by element keeps its elements as they are.
  const paired = new Set(works.flatMap((w) => (w.afterEach.length ? [w, ...w.afterEach] : [])));
  const slotsOf = (w: Work): number => Math.floor(options.slots / (w.resources.cpus ?? 1));
  const pack = (units: string[][], w: Work): { elements: string[][]; k: number } => {
    const k = unitsPerElement(units.length, options.group, slotsOf(w), w.seconds, overhead);
    const elements: string[][] = [];
    units.forEach((ids, u) => (elements[Math.floor(u / k)] ??= []).push(...ids));
    return { elements, k };
  };
  const scaled = (r: Resources, k: number): Resources => (r.timeMinutes === undefined ? r : { ...r, timeMinutes: r.timeMinutes * k });
  for (const w of works) {
    if (!w.array || paired.has(w)) continue;
    const { elements, k } = pack(w.elements, w);
    w.elements = elements;
    w.resources = scaled(w.resources, k);
    w.seconds = w.seconds === undefined ? undefined : w.seconds * k;
  }
  // Single jobs waiting for the same tasks become one array (at the first one's place: all wait for the same).
  const siblings = new Map<string, Work[]>();
  for (const w of works) {
    if (w.array || paired.has(w)) continue;
    const key = JSON.stringify([[...w.after].sort(), w.resources.cpus, w.resources.memoryMB, w.resources.partition, w.resources.timeMinutes]);
    siblings.set(key, [...(siblings.get(key) ?? []), w]);
  }
  for (const group of siblings.values()) {
    if (group.length < 2) continue;
    const first = group[0]!;
    const seconds = group.every((w) => w.seconds !== undefined) ? Math.max(...group.map((w) => w.seconds!)) : undefined;
    const { elements, k } = pack(
      group.map((w) => w.elements[0]!),
      { ...first, seconds },
    );
    if (k === 1) continue;
    const packed: Work = {
      nodes: group.flatMap((w) => w.nodes),
      array: true,
      elements,
      after: first.after,
      afterEach: [],
      resources: scaled(first.resources, k),
      seconds: seconds === undefined ? undefined : seconds * k,
    };
    works = works.flatMap((w) => (w === first ? [packed] : group.includes(w) ? [] : [w]));
  }

  const index = new Map(works.map((w, i) => [w, i]));
  const jobs: PlannedJob[] = works.map((w, i) => {
    const ids = new Set(w.elements.flat());
    // Per-element sources (afterEach) stay out of the common prerequisites, as planDag does.
    const sourceIds = new Set(w.afterEach.flatMap((s) => s.elements.flat()));
    const after = [...new Set(w.elements.flat().flatMap((id) => taskById.get(id)!.after))].filter((p) => !ids.has(p) && !sourceIds.has(p));
    return {
      index: i,
      node: nodeName(w.nodes),
      array: w.array,
      elements: w.elements,
      after,
      afterEach: w.afterEach.map((s) => index.get(s)!),
      resources: w.resources,
    };
  });
  const at = new Map<string, { job: number; element: number }>();
  jobs.forEach((j) => j.elements.forEach((ids, element) => ids.forEach((id) => at.set(id, { job: j.index, element }))));
  const tasks: PlannedTask[] = plan.tasks.map((t) => ({ ...t, ...at.get(t.id)! }));
  return { tasks, jobs };
}
