/**
 * From a DAG to the jobs that run it: every task and fan-out checked once, fan-outs expanded into
 * their items, items grouped into array elements, and the jobs put in an order where each job's
 * prerequisites come first (a dependency names a job id, so it must exist before its dependents).
 */
import { isAbsolute } from 'node:path';
import { ClusterPlanError } from './errors.ts';
import { groupPlan, maxPerElement, type GroupMode } from './group.ts';
import type { ClusterDag, ClusterTask, FanOut, Resources, ServeSpec } from './types.ts';

export interface PlannedTask {
  id: string;
  /** The stem of the task's files (exit code, logs): its plan index and a file-safe form of its id. */
  key: string;
  command: string[];
  cwd: string;
  env: Record<string, string>;
  serve?: ServeSpec;
  /** Task ids (fan-outs expanded to their items). */
  after: string[];
  job: number;
  element: number;
}

/** One `sbatch`: a single job (one element) or a job array (one element per group of items). */
export interface PlannedJob {
  index: number;
  /** The task or fan-out it runs. */
  node: string;
  array: boolean;
  /** Element index to the task ids it runs, in order. */
  elements: string[][];
  /** Task ids outside this job that all its tasks wait for. */
  after: string[];
  /** Job indexes of fan-outs whose element e this array's element e waits for (same items, same grouping). */
  afterEach: number[];
  resources: Resources;
}

export interface Plan {
  tasks: PlannedTask[];
  /** In submission order: every job after the jobs it waits for. */
  jobs: PlannedJob[];
}

export interface PlanOptions {
  /** How many tasks of one CPU the cluster runs at once: grouping never leaves it idler than this. */
  slots: number;
  /** How much work (in seconds) a grouped job should carry, so its 1-3 s of overhead stays small. */
  targetJobSeconds?: number;
  /** Chains merged and units packed (group.ts); default `off`: one job per task or fan-out. */
  group?: GroupMode;
  /** What one job costs beyond its tasks (group.ts's DEFAULT_JOB_OVERHEAD_SECONDS when unset). */
  jobOverheadSeconds?: number;
}

export const DEFAULT_TARGET_JOB_SECONDS = 60;

/**
 * How many items of a fan-out one array element runs. Without an estimate, one: a guess could
 * serialise long tasks. With one, enough items to carry `target` seconds of work, but never so
 * many that fewer elements than `slots` remain (grouping must not cost parallelism).
 */
export function itemsPerJob(items: number, estimatedSeconds: number | undefined, slots: number, targetJobSeconds = DEFAULT_TARGET_JOB_SECONDS): number {
  if (estimatedSeconds === undefined || !(estimatedSeconds > 0)) return 1;
  const forWork = Math.floor(targetJobSeconds / estimatedSeconds);
  return Math.max(1, Math.min(forWork, maxPerElement(items, slots)));
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fileKey(index: number, id: string): string {
  return `${index}-${id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}`;
}

function checkCommon(id: string, node: Omit<ClusterTask, 'command'> & { command: unknown }): void {
  if (typeof id !== 'string' || id === '') throw new ClusterPlanError(String(id), 'the id must be a non-empty string');
  const command = node.command;
  if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === 'string') || command[0] === '')
    throw new ClusterPlanError(id, 'the command must be a non-empty array of strings whose first one names a program');
  if (typeof node.cwd !== 'string' || !isAbsolute(node.cwd))
    throw new ClusterPlanError(id, `cwd must be an absolute path on the shared file system, not "${node.cwd}"`);
  for (const [name, value] of Object.entries(node.env ?? {})) {
    if (!ENV_NAME.test(name)) throw new ClusterPlanError(id, `"${name}" is not an environment variable name`);
    if (typeof value !== 'string') throw new ClusterPlanError(id, `the value of ${name} must be a string`);
  }
  for (const [name, value] of Object.entries(node.resources ?? {})) {
    if (name === 'partition') {
      if (typeof value !== 'string' || !/^[A-Za-z0-9_.,-]+$/.test(value)) throw new ClusterPlanError(id, `partition "${value}" is not a partition name`);
    } else if (name === 'estimatedSeconds') {
      if (typeof value !== 'number' || !(value > 0)) throw new ClusterPlanError(id, 'estimatedSeconds must be a positive number');
    } else if (!Number.isInteger(value) || (value as number) < 1) throw new ClusterPlanError(id, `resources.${name} must be a positive whole number`);
  }
  if (node.serve !== undefined) {
    const c = node.serve.command;
    if (!Array.isArray(c) || c.length === 0 || !c.every((a) => typeof a === 'string') || c[0] === '')
      throw new ClusterPlanError(id, "serve's command must be a non-empty array of strings whose first one names a program");
    if (typeof node.serve.request !== 'string' || /[\t\n\r]/.test(node.serve.request))
      throw new ClusterPlanError(id, "serve's request must be a string on one line without tabs");
  }
  if (node.after !== undefined && (!Array.isArray(node.after) || !node.after.every((a) => typeof a === 'string')))
    throw new ClusterPlanError(id, 'after must be an array of task ids');
}

function expand(template: string, item: string, index: number): string {
  return template.replaceAll('{item}', item).replaceAll('{index}', String(index));
}

export function planDag(dag: ClusterDag, options: PlanOptions): Plan {
  const singles = dag.tasks ?? [];
  const fanOuts = dag.fanOuts ?? [];
  const nodes = new Map<string, ClusterTask | FanOut>();
  for (const node of [...singles, ...fanOuts]) {
    checkCommon(node.id, node);
    if (nodes.has(node.id)) throw new ClusterPlanError(node.id, 'two tasks or fan-outs have this id');
    nodes.set(node.id, node);
  }
  if (nodes.size === 0) throw new ClusterPlanError('(none)', 'the DAG has no tasks');

  // Task id -> the node (task or fan-out) it belongs to.
  const owner = new Map<string, string>();
  for (const t of singles) owner.set(t.id, t.id);
  for (const f of fanOuts) {
    if (!Array.isArray(f.items) || f.items.length === 0 || !f.items.every((i) => typeof i === 'string' && i !== ''))
      throw new ClusterPlanError(f.id, 'a fan-out needs a non-empty list of non-empty item strings');
    if (new Set(f.items).size !== f.items.length) throw new ClusterPlanError(f.id, 'a fan-out lists an item twice');
    if (f.itemsPerJob !== undefined && (!Number.isInteger(f.itemsPerJob) || f.itemsPerJob < 1))
      throw new ClusterPlanError(f.id, 'itemsPerJob must be a positive whole number');
    for (const item of f.items) {
      const id = `${f.id}[${item}]`;
      if (nodes.has(id) || owner.has(id)) throw new ClusterPlanError(id, 'a task has the id of this fan-out item');
      owner.set(id, f.id);
    }
  }

  const itemIds = (f: FanOut): string[] => f.items.map((item) => `${f.id}[${item}]`);
  const resolve = (from: string, ref: string): string[] => {
    const node = nodes.get(ref);
    if (node && 'items' in node) return itemIds(node);
    if (owner.has(ref)) return [ref];
    throw new ClusterPlanError(from, `waits for "${ref}", which is no task, fan-out or fan-out item of this DAG`);
  };
  const each = new Map<string, FanOut[]>();
  for (const f of fanOuts) {
    if (f.afterEach !== undefined && (!Array.isArray(f.afterEach) || !f.afterEach.every((a) => typeof a === 'string')))
      throw new ClusterPlanError(f.id, 'afterEach must be an array of fan-out ids');
    each.set(
      f.id,
      (f.afterEach ?? []).map((ref) => {
        const source = nodes.get(ref);
        if (!source || !('items' in source)) throw new ClusterPlanError(f.id, `afterEach names "${ref}", which is no fan-out of this DAG`);
        if (source.items.length !== f.items.length || source.items.some((item, i) => item !== f.items[i]))
          throw new ClusterPlanError(f.id, `afterEach needs the same items in the same order as "${ref}"`);
        return source;
      }),
    );
  }
  const prerequisites = new Map<string, string[]>();
  for (const node of nodes.values()) {
    const eachItems = (each.get(node.id) ?? []).flatMap(itemIds);
    const after = [...new Set([...(node.after ?? []).flatMap((ref) => resolve(node.id, ref)), ...eachItems])];
    if (after.some((t) => owner.get(t) === node.id)) throw new ClusterPlanError(node.id, 'waits for itself');
    prerequisites.set(node.id, after);
  }

  // Depth-first topological order of the nodes; a grey node met again is a cycle.
  const order: string[] = [];
  const mark = new Map<string, 'grey' | 'black'>();
  const visit = (id: string, path: string[]): void => {
    const m = mark.get(id);
    if (m === 'black') return;
    if (m === 'grey') throw new ClusterPlanError(id, `is part of a cycle: ${[...path.slice(path.indexOf(id)), id].join(' -> ')}`);
    mark.set(id, 'grey');
    for (const t of prerequisites.get(id) ?? []) visit(owner.get(t)!, [...path, id]);
    mark.set(id, 'black');
    order.push(id);
  };
  for (const id of nodes.keys()) visit(id, []);

  const tasks: PlannedTask[] = [];
  const jobs: PlannedJob[] = [];
  const jobOf = new Map<string, PlannedJob>();
  const groupOf = new Map<string, number>();
  for (const id of order) {
    const node = nodes.get(id)!;
    const sources = each.get(id) ?? [];
    const sourceItems = new Set(sources.flatMap(itemIds));
    // What every task of the job waits for; each item's own sources are added per task below.
    const after = prerequisites.get(id)!.filter((t) => !sourceItems.has(t));
    const job = jobs.length;
    const resources = { ...node.resources };
    if (!('items' in node)) {
      tasks.push({
        id,
        key: fileKey(tasks.length, id),
        command: [...node.command],
        cwd: node.cwd,
        env: { ...node.env },
        ...(node.serve ? { serve: { command: [...node.serve.command], request: node.serve.request } } : {}),
        after,
        job,
        element: 0,
      });
      jobs.push({ index: job, node: id, array: false, elements: [[id]], after, afterEach: [], resources });
      continue;
    }
    const sourceGroups = [...new Set(sources.map((f) => groupOf.get(f.id)!))];
    if (sourceGroups.length > 1) throw new ClusterPlanError(id, `its afterEach fan-outs group their items differently (${sourceGroups.join(' and ')} per job)`);
    if (sourceGroups.length && node.itemsPerJob !== undefined && node.itemsPerJob !== sourceGroups[0])
      throw new ClusterPlanError(id, `itemsPerJob ${node.itemsPerJob} differs from its afterEach fan-outs' ${sourceGroups[0]}: element e waits for element e`);
    const k =
      sourceGroups[0] ??
      node.itemsPerJob ??
      itemsPerJob(node.items.length, node.resources?.estimatedSeconds, Math.floor(options.slots / (node.resources?.cpus ?? 1)), options.targetJobSeconds);
    groupOf.set(id, k);
    const elements: string[][] = [];
    node.items.forEach((item, i) => {
      const element = Math.floor(i / k);
      const taskId = `${id}[${item}]`;
      (elements[element] ??= []).push(taskId);
      const env = Object.fromEntries(Object.entries(node.env ?? {}).map(([name, value]) => [name, expand(value, item, i)]));
      tasks.push({
        id: taskId,
        key: fileKey(tasks.length, taskId),
        command: node.command.map((a) => expand(a, item, i)),
        cwd: expand(node.cwd, item, i),
        env,
        ...(node.serve ? { serve: { command: node.serve.command.map((a) => expand(a, item, i)), request: expand(node.serve.request, item, i) } } : {}),
        after: [...after, ...sources.map((f) => `${f.id}[${item}]`)],
        job,
        element,
      });
    });
    if (resources.timeMinutes !== undefined) resources.timeMinutes *= k;
    const array: PlannedJob = { index: job, node: id, array: true, elements, after, afterEach: sources.map((f) => jobOf.get(f.id)!.index), resources };
    jobs.push(array);
    jobOf.set(id, array);
  }
  const group = options.group ?? 'off';
  if (group !== 'off' && !(group === 'auto' || (Number.isInteger(group) && group >= 1)))
    throw new ClusterPlanError('(all)', `group must be off, auto or a positive whole number, not ${JSON.stringify(group)}`);
  return group === 'off' ? { tasks, jobs } : groupPlan({ tasks, jobs }, { group, slots: options.slots, jobOverheadSeconds: options.jobOverheadSeconds });
}
