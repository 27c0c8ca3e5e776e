/** The Slurm executor (Node only): run a DAG of commands as Slurm jobs, watch, cancel, resume. */
export { SlurmExecutor, arraySpec, type SlurmExecutorOptions, type WaitOptions } from './executor.ts';
export { SlurmCli, LIVE_STATES, type SlurmClient, type SlurmCliOptions, type QueueRow } from './slurm.ts';
export { planDag, itemsPerJob, DEFAULT_TARGET_JOB_SECONDS, type Plan, type PlannedJob, type PlannedTask, type PlanOptions } from './plan.ts';
export { groupPlan, maxPerElement, unitsPerElement, DEFAULT_JOB_OVERHEAD_SECONDS, OVERHEAD_SHARE, type GroupMode, type GroupOptions } from './group.ts';
export { LOCK_FILE } from './lock.ts';
export { RECORD_FILE, readRecord, type RunRecord, type Submission } from './record.ts';
export { ClusterPlanError, SlurmCommandError, RunRecordError, UnknownTaskError, RunBusyError, RunIncompleteError } from './errors.ts';
export {
  FINAL_STATES,
  type ClusterDag,
  type ClusterTask,
  type FanOut,
  type Resources,
  type ServeSpec,
  type RunStatus,
  type TaskState,
  type TaskStatus,
} from './types.ts';
