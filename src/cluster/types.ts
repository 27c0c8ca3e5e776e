/**
 * What the Slurm executor runs: a DAG of shell-free commands (argv arrays), some of them fan-outs
 * (one command template over many items). Nothing here knows about voxpool's ops: a caller (the
 * Node CLI) turns each task of its own workflow into a command such as `voxpool exec <run> <id>`.
 */

/** What a task asks the scheduler for. Every field is optional: the site's defaults apply. */
export interface Resources {
  /** `--cpus-per-task`. */
  cpus?: number;
  /** `--mem`, in MiB. */
  memoryMB?: number;
  /** `--time`, in minutes, for one task (a job that runs k tasks asks for k times this). */
  timeMinutes?: number;
  /** `--partition`. */
  partition?: string;
  /** How long one task is expected to run: what the grouping rule reads (see `itemsPerJob`). */
  estimatedSeconds?: number;
}

/** One command. `after` names tasks, fan-outs (all their items) or fan-out items (`id[item]`). */
export interface ClusterTask {
  id: string;
  command: string[];
  after?: string[];
  /** Where the command runs: an absolute path on the shared file system. */
  cwd: string;
  env?: Record<string, string>;
  resources?: Resources;
  /**
   * The task's warm form: a program that, started once in a job element, runs one task per
   * `request` line on its stdin and answers each with its exit code on its file descriptor 3
   * (protocol in script.ts). Used when a grouped element runs two or more tasks with the same
   * serve command, so they share one process; `command` runs the task otherwise.
   */
  serve?: ServeSpec;
}

export interface ServeSpec {
  command: string[];
  /** One line, no tabs: what the program is sent for this task (a fan-out's `{item}` and `{index}` replaced). */
  request: string;
}

/**
 * One command template over many items, run as a Slurm job array. `{item}` and `{index}` in the
 * command, cwd and env values are replaced per item; item `s` becomes the task `id[s]`.
 */
export interface FanOut extends Omit<ClusterTask, 'command'> {
  items: string[];
  command: string[];
  /**
   * How many items one array element runs, one after another. Unset: chosen from
   * `resources.estimatedSeconds` (see `itemsPerJob` in plan.ts); 1 when there is no estimate.
   */
  itemsPerJob?: number;
  /**
   * Fan-outs over the same items (in the same order) whose item s this fan-out's item s waits
   * for: one subject's steps chained, so a failed subject stops only its own later steps. Run as
   * Slurm's `aftercorr`; the items are grouped as the first of these fan-outs groups them.
   */
  afterEach?: string[];
}

export interface ClusterDag {
  tasks?: ClusterTask[];
  fanOuts?: FanOut[];
}

/** A task's state, as `status` reports it. */
export type TaskState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';

export const FINAL_STATES: readonly TaskState[] = ['done', 'failed', 'cancelled', 'skipped'];

export interface TaskStatus {
  id: string;
  state: TaskState;
  /** The Slurm job (`1234` or `1234_5` for an array element) of the task's latest submission. */
  jobId?: string;
  /** The command's exit code, from the file the job script writes. */
  exitCode?: number;
  /** Why, in words, when the state is not `done` (the scheduler's state and reason, a failed prerequisite). */
  reason?: string;
  /** How many times the task was submitted. */
  attempts: number;
  stdout: string;
  stderr: string;
}

export interface RunStatus {
  runDir: string;
  runId: string;
  tasks: TaskStatus[];
  counts: Record<TaskState, number>;
  /** Every task is done, failed, cancelled or skipped. */
  finished: boolean;
}
